// `sparks connect PLATFORM`: starts connecting a platform on a running `sparks serve` (POST
// …/integrations/{platform}/connect, an owner's key) and prints the authorize URL to open in a
// browser; the platform sends it back to the server's OAuth callback.
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "server_client.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct ConnectOptions {
  ServerOptions server;
  std::string platform;
};

int run_connect(const ConnectOptions& options) {
  const std::string who = "sparks connect";
  auto server = find_server(options.server, who);
  if (!server) return 1;
  const auto response =
      call_workspace(*server, "POST", "/integrations/" + options.platform + "/connect");
  if (!response.ok() || response.status != 200) return report_failure(who, *server, response);
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  const auto* url =
      !ec && body.is_object() ? body.get_object().if_contains("authorize_url") : nullptr;
  if (!url || !url->is_string()) {
    std::cerr << who << ": the server's answer has no authorize URL\n";
    return 1;
  }
  std::cout << "Open this address in a browser to connect " << options.platform << ":\n"
            << url->get_string().c_str() << "\n";
  if (const auto* expires = body.get_object().if_contains("expires_at");
      expires && expires->is_string())
    std::cout << "(it works until " << expires->get_string().c_str() << ")\n";
  return 0;
}

}  // namespace

void add_connect_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ConnectOptions>();
  auto* command = app.add_subcommand(
      "connect",
      "Start connecting a platform on a running `sparks serve`: prints the authorize URL to open");
  command->add_option("PLATFORM", options->platform, "tiktok or tiktok_shop")->required();
  add_server_options(*command, options->server);
  command->footer("Example:\n  sparks connect tiktok");
  command->callback([options, &exit_code] { exit_code = run_connect(*options); });
}

}  // namespace sparks::cli

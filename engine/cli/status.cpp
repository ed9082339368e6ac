// `sparks status`: the integration cards of a running `sparks serve`, as a table or as JSON. It
// asks the server over HTTP (GET /api/v1/workspaces/{ws}/integrations) with the API key of the
// workspace's first owner from the same config, so it shows exactly what the API shows.
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <iomanip>
#include <iostream>

#include "command.hpp"
#include "config/config.hpp"
#include "config_file.hpp"
#include "http/client.hpp"
#include "http/server.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct StatusOptions {
  std::string config_file;
  std::string workspace;
  std::string url;
  bool json = false;
};

std::string text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "-";
  return json::serialize(v);
}

void print_table(const json::array& cards) {
  std::cout << std::left << std::setw(13) << "PLATFORM" << std::setw(28) << "STATUS"
            << std::setw(16) << "STATE" << std::setw(26) << "ACCOUNT" << std::setw(22)
            << "LAST SYNC"
            << "WEBHOOK\n";
  for (const auto& c : cards) {
    const auto& card = c.as_object();
    std::string account = "-";
    if (const auto& a = card.at("account"); a.is_object())
      account = text(a.at("name")) + " (" + text(a.at("type")) + ")";
    std::cout << std::setw(13) << text(card.at("platform")) << std::setw(30)
              << ("● " + text(card.at("dot")) + " " + text(card.at("status"))) << std::setw(16)
              << text(card.at("state")) << std::setw(26) << account << std::setw(22)
              << text(card.at("last_sync")) << text(card.at("webhook")) << "\n";
    for (const auto& issue : card.at("issues").as_array())
      std::cout << "    ! " << text(issue.at("message")) << "\n      → "
                << text(issue.at("troubleshooting")) << "\n";
  }
}

int run_status(const StatusOptions& options) {
  auto config = config_or_default(options.config_file);
  if (!config) return 1;
  const config::Workspace* workspace = nullptr;
  for (const auto& ws : config->workspaces)
    if (options.workspace.empty() ? workspace == nullptr : ws.id == options.workspace)
      workspace = &ws;
  if (!workspace) {
    std::cerr << "sparks status: no workspace '" << options.workspace << "' in the config\n";
    return 1;
  }
  const config::Member* member = nullptr;
  for (const auto& m : workspace->members)
    if (!member || (m.role == Role::owner && member->role != Role::owner)) member = &m;
  if (!member) {
    std::cerr << "sparks status: workspace '" << workspace->id << "' has no members\n";
    return 1;
  }

  std::string base = options.url;
  if (base.empty()) {
    auto address = http::parse_listen_address(config->listen);
    base = "http://" +
           (address ? address->host + ":" + std::to_string(address->port) : config->listen);
  }
  boost::asio::io_context io;
  http::ClientResponse response;
  http::send_request(io.get_executor(),
                     {"GET",
                      base + "/api/v1/workspaces/" + workspace->id + "/integrations",
                      {{"Authorization", "Bearer " + member->api_key}},
                      ""},
                     [&](http::ClientResponse r) { response = std::move(r); });
  io.run();
  if (!response.ok()) {
    std::cerr << "sparks status: no sparks server answers at " << base << " (" << response.error
              << ") — start it with `sparks serve`\n";
    return 1;
  }
  if (response.status != 200) {
    std::cerr << "sparks status: the server answered " << response.status << ": " << response.body
              << "\n";
    return 1;
  }
  if (options.json) {
    std::cout << response.body << "\n";
    return 0;
  }
  boost::system::error_code ec;
  auto body = json::parse(response.body, ec);
  if (ec || !body.is_object() || !body.get_object().contains("integrations")) {
    std::cerr << "sparks status: the server's answer is not a list of cards\n";
    return 1;
  }
  std::cout << "Workspace " << workspace->id << "\n";
  print_table(body.at("integrations").as_array());
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<StatusOptions>();
  auto* command = app.add_subcommand(
      "status", "Print the integration cards of a running `sparks serve` (asks its HTTP API)");
  command->add_option("--config", options->config_file, "the sparks.yaml the server runs with")
      ->check(CLI::ExistingFile);
  command->add_option("--workspace", options->workspace, "workspace id (default: the first)");
  command->add_option("--url", options->url,
                      "the server's base URL (default: from the config's listen)");
  command->add_flag("--json", options->json, "print the cards as JSON");
  command->callback([options, &exit_code] { exit_code = run_status(*options); });
}

}  // namespace sparks::cli

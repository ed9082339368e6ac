// `sparks sandbox`: the TikTok / TikTok Shop emulator on its own HTTP server (docs/sandbox.md).
// Prints the seeded accounts and keys, then `sandbox listening on http://HOST:PORT` (the real port
// when --listen asks for port 0), and runs until SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "http/server.hpp"
#include "sandbox/sandbox.hpp"

namespace sparks::cli {

namespace {

struct SandboxCommandOptions {
  std::string listen = "127.0.0.1:8081";
  std::string webhook_target;         // a Sparks server's base URL
  std::string tiktok_webhook_target;  // full URLs, overriding the base for one platform
  std::string shop_webhook_target;
  sandbox::SandboxOptions sandbox;
};

int run_sandbox(SandboxCommandOptions options) {
  const auto address = http::parse_listen_address(options.listen);
  if (!address) {
    std::cerr << "sparks sandbox: --listen wants HOST:PORT, got \"" << options.listen << "\"\n";
    return 1;
  }
  if (!options.webhook_target.empty()) {
    options.sandbox.tiktok_webhook_target = sandbox::tiktok_webhook_url(options.webhook_target);
    options.sandbox.shop_webhook_target = sandbox::shop_webhook_url(options.webhook_target);
  }
  if (!options.tiktok_webhook_target.empty()) {
    options.sandbox.tiktok_webhook_target = options.tiktok_webhook_target;
  }
  if (!options.shop_webhook_target.empty()) {
    options.sandbox.shop_webhook_target = options.shop_webhook_target;
  }

  boost::asio::io_context io;
  auto router = std::make_shared<http::Router>();
  sandbox::Sandbox emulator(io.get_executor(), options.sandbox);
  emulator.mount(*router);
  http::Server server(io.get_executor(), router);
  try {
    server.listen(address->host, address->port);
  } catch (const std::exception& e) {
    std::cerr << "sparks sandbox: cannot listen on " << options.listen << ": " << e.what() << "\n";
    return 1;
  }

  const auto& keys = emulator.options();
  std::cout << "Seeded accounts (sandbox data, not real):\n";
  for (const auto& a : emulator.accounts()) {
    std::cout << "  " << a.id << "  " << a.platform << "  " << a.type << "  business "
              << (a.business_id.empty() ? "-" : a.business_id) << "  \"" << a.name << "\"\n";
  }
  std::cout << "TikTok client_key " << keys.client_key << " / client_secret " << keys.client_secret
            << "\nTikTok Shop app_key " << keys.app_key << " / app_secret " << keys.app_secret
            << "\nWebhooks: tiktok -> "
            << (keys.tiktok_webhook_target.empty() ? "(none)" : keys.tiktok_webhook_target)
            << ", tiktok_shop -> "
            << (keys.shop_webhook_target.empty() ? "(none)" : keys.shop_webhook_target) << "\n";
  std::cout << "sandbox listening on " << server.base_url() << std::endl;

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server.stop();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace

void add_sandbox_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<SandboxCommandOptions>();
  auto* command = app.add_subcommand(
      "sandbox", "Run the TikTok / TikTok Shop emulator alone (endpoints in docs/sandbox.md)");
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  command->add_option("--webhook-target", options->webhook_target,
                      "Base URL of a Sparks server: webhooks go to URL/webhooks/tiktok and "
                      "URL/webhooks/tiktok_shop");
  command->add_option("--tiktok-webhook-target", options->tiktok_webhook_target,
                      "Full URL for TikTok webhooks (overrides --webhook-target)");
  command->add_option("--shop-webhook-target", options->shop_webhook_target,
                      "Full URL for TikTok Shop webhooks (overrides --webhook-target)");
  command->add_option("--client-key", options->sandbox.client_key, "TikTok app client_key")
      ->capture_default_str();
  command->add_option("--client-secret", options->sandbox.client_secret, "TikTok app client_secret")
      ->capture_default_str();
  command->add_option("--app-key", options->sandbox.app_key, "TikTok Shop app_key")
      ->capture_default_str();
  command->add_option("--app-secret", options->sandbox.app_secret, "TikTok Shop app_secret")
      ->capture_default_str();
  command->callback([options, &exit_code] { exit_code = run_sandbox(*options); });
}

}  // namespace sparks::cli

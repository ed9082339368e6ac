// `sparks serve`: the engine with its HTTP API, OAuth callbacks, webhooks and timers, until SIGINT
// or SIGTERM. Without --config it runs the embedded default: SQLite under ./sparks-data/, both
// platforms on the in-process sandbox, workspace `demo` with owner `ana` and member `ben`.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <thread>

#include "command.hpp"
#include "config_file.hpp"
#include "serve_app.hpp"

namespace sparks::cli {

namespace {

struct ServeOptions {
  std::string config_file;
  int threads = 2;
};

void print_start(const ServeApp& app) {
  std::cout << "Workspaces:";
  for (const auto& ws : app.config().workspaces) std::cout << ' ' << ws.id;
  std::cout << "\n";
  for (const char* platform : {"tiktok", "tiktok_shop"})
    std::cout << "  " << platform << ": "
              << (app.sandboxed(platform) ? "the in-process sandbox at " + app.base_url()
                                          : std::string("the configured platform endpoints"))
              << "\n";
  if (app.config().uses_demo_keys()) {
    std::cout << "DEMO-ONLY API keys (public values; never use them outside a demo):\n";
    for (const auto& ws : app.config().workspaces)
      for (const auto& m : ws.members)
        std::cout << "  workspace " << ws.id << ": " << m.user << " ("
                  << (m.role == Role::owner   ? "owner"
                      : m.role == Role::admin ? "admin"
                                              : "member")
                  << ")  Authorization: Bearer " << m.api_key << "\n";
  }
  std::cout << "OAuth callbacks: " << app.public_url() << "/oauth/{platform}/callback\n";
  std::cout << "sparks serve: listening on " << app.base_url() << std::endl;
}

int run_serve(const ServeOptions& options, const std::filesystem::path& executable_dir) {
  auto config = config_or_default(options.config_file);
  if (!config) return 1;

  boost::asio::io_context io;
  std::unique_ptr<ServeApp> app;
  try {
    app = std::make_unique<ServeApp>(io.get_executor(), std::move(*config),
                                     executable_dir / "plugins");
  } catch (const std::exception& e) {
    std::cerr << "sparks serve: " << e.what() << "\n";
    return 1;
  }
  print_start(*app);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    app->stop();
    io.stop();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  app.reset();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve",
      "Run the engine: HTTP API, OAuth callbacks, webhooks, token refresh and sync.\n"
      "Without --config: the embedded default — SQLite under ./sparks-data/, TikTok and TikTok "
      "Shop\n"
      "on the in-process sandbox, workspace `demo` with owner `ana` and member `ben` (demo-only "
      "keys).");
  command->add_option("--config", options->config_file, "sparks.yaml (schemas/config.schema.json)")
      ->check(CLI::ExistingFile);
  command->add_option("--threads", options->threads, "I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->callback([options, &exit_code] { exit_code = run_serve(*options, executable_dir()); });
}

}  // namespace sparks::cli

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
        if (config::Config::is_demo_key(m.api_key))  // a real member's key is a secret
          std::cout << "  workspace " << ws.id << ": " << m.user << " ("
                    << (m.role == Role::owner   ? "owner"
                        : m.role == Role::admin ? "admin"
                                                : "member")
                    << ")  Authorization: Bearer " << m.api_key << "\n";
  }
  std::cout << "OAuth callbacks: " << app.public_url() << "/oauth/{platform}/callback\n";
  std::cout << "Web app: " << app.public_url() << "/app/ (sign in with a member's API key";
  if (app.config().uses_demo_keys()) std::cout << ", e.g. ana-demo-key";
  std::cout << ")\n";
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
  // Armed before the listening line is printed: whoever waits for that line may stop us at once.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    app->stop();
    io.stop();
  });
  print_start(*app);
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
  command->footer(
      "It serves, on the config's `listen` (default 127.0.0.1:8080; port 0: any free port):\n"
      "  /api/v1/workspaces/{ws}/...  the API (Authorization: Bearer <a member's api_key>)\n"
      "  /oauth/{platform}/callback   where the platforms send the owner back\n"
      "  /webhooks/tiktok, /webhooks/tiktok_shop, /healthz, /metrics\n"
      "  the sandbox's platform endpoints, for each platform without base URLs\n"
      "Data: the `database`, a SQLite file (default ./sparks-data/sparks.db) or a\n"
      "postgresql://USER@HOST:PORT/DB URL, and the token key\n"
      "`secrets.key_file` (default ./sparks-data/secret.key, created 0600).\n"
      "Several instances (docs/scaling.md): each with the same PostgreSQL `database`, key file\n"
      "and workspaces, its own `instance_id` (default: host name + pid) and a `listen` address\n"
      "the others reach; each runs a share of the workspaces and forwards the rest.\n"
      "Connectors: every *.so in `plugin_dir` (default: plugins/ beside this executable).\n"
      "SIGINT or SIGTERM stops it cleanly (exit 0), handing its workspaces to the others.\n"
      "`sparks status` prints its cards.");
  command->add_option("--config", options->config_file, "sparks.yaml (schemas/config.schema.json)")
      ->check(CLI::ExistingFile);
  command->add_option("--threads", options->threads, "I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->callback([options, &exit_code] { exit_code = run_serve(*options, executable_dir()); });
}

}  // namespace sparks::cli

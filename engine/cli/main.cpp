// `sparks` — the command-line tool. Each command is registered from its own file (command.hpp).
#include <CLI/CLI.hpp>

#include "command.hpp"
#include "logging.hpp"
#include "sparks/version.hpp"
#include "unknown_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "Sparks: an automation engine for creator commerce.\n"
      "Connect a workspace's TikTok account and TikTok Shop, run YAML flows, see attributed "
      "orders."};
  app.require_subcommand(1);
  app.set_version_flag("--version", sparks::kVersion);

  sparks::cli::GlobalOptions global;
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_flag("--log-json", global.log_json, "Write logs as one JSON object per line");
  app.parse_complete_callback([&] { sparks::cli::configure_logging(global); });

  sparks::cli::ExitCode exit_code = 0;
  sparks::cli::add_check_command(app, exit_code);
  sparks::cli::add_serve_command(app, exit_code);
  sparks::cli::add_status_command(app, exit_code);
  sparks::cli::add_demo_command(app, exit_code);
  sparks::cli::add_sandbox_command(app, exit_code);
  sparks::cli::add_plugin_command(app, exit_code);
  sparks::cli::add_flows_command(app, exit_code);
  sparks::cli::add_connect_command(app, exit_code);

  // --version and the logging options work after any command too (`sparks check --version`).
  for (auto* sub : app.get_subcommands({})) {
    sub->set_version_flag("--version", sparks::kVersion);
    sub->fallthrough();
  }

  if (auto refused = sparks::cli::reject_unknown_command(app, argc, argv)) return *refused;
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}

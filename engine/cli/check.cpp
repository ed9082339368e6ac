// `sparks check FILE...`: validate Sparks YAML files without running them, the way a compiler
// reports errors, so that editors and CI can point at the line. Flows are checked against the
// triggers and actions of the plugins in --plugin-dir, as the server would check them.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sparks/json_fields.hpp>
#include "check/check.hpp"
#include "command.hpp"
#include "config/config.hpp"
#include "inspection_bridge.hpp"
#include "plugins/plugin_host.hpp"
#include "store/connection.hpp"
#include "store/postgresql/url.hpp"
#include "store/transaction.hpp"

namespace sparks::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string plugin_dir;  // empty: plugins/ beside this executable
  std::string config;      // empty: no store to read connected accounts from
};

// What the accounts connected in the store of `config_file` cannot do (each account's
// `unavailable`, as its connector reported it). Nothing when the store does not exist yet;
// a problem is said on stderr and checking goes on without them.
std::vector<flows::AccountLimit> connected_account_limits(const std::string& config_file) {
  std::vector<flows::AccountLimit> limits;
  const auto loaded = config::load_config_file(config_file);
  for (const Diagnostic& d : loaded.diagnostics) std::cerr << d.to_string() << '\n';
  if (!loaded.config) return limits;
  const auto database = loaded.config->database;
  std::error_code ec;
  // A PostgreSQL database is opened to be found out; a SQLite file that is not there yet has no
  // accounts, and opening it would create it.
  if (!store::postgresql::is_url(database.string()) && !std::filesystem::exists(database, ec)) {
    std::cerr << "sparks check: no store at " << database.string()
              << " yet: no connected account to check flows against\n";
    return limits;
  }
  try {
    auto connection = store::open(database.string());
    connection->begin(false);
    for (const auto& facts : connection->records().load_facts(store::Scope::every_workspace())) {
      if (!facts.account_json) continue;
      const auto account = json_fields::parse_or_null(*facts.account_json);
      const auto* list =
          account.is_object() ? account.get_object().if_contains("unavailable") : nullptr;
      if (!list || !list->is_array()) continue;
      for (const auto& item : list->get_array())
        if (item.is_object())
          limits.push_back({facts.workspace_id, facts.platform,
                            json_fields::text(account.get_object(), "id"),
                            json_fields::text(item.get_object(), "action"),
                            json_fields::text(item.get_object(), "reason")});
    }
    connection->rollback();
  } catch (const std::exception& e) {
    std::cerr << "sparks check: the store of " << config_file << " could not be read: " << e.what()
              << '\n';
  }
  return limits;
}

std::string known_kinds_list() {
  std::string out;
  for (const std::string& kind : check::known_kinds()) out += "  " + kind + ":\n";
  return out;
}

// The capabilities of every plugin in `directory`, loaded as the server loads them (refusals are
// logged) and unloaded again: only their descriptors are kept.
flows::Capabilities plugin_capabilities(const std::filesystem::path& directory) {
  // Which plugins loaded is not news here; a refused one (an error) still is.
  const auto level = spdlog::get_level();
  if (level < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  boost::asio::io_context io;
  InspectionBridge bridge(io.get_executor());
  plugins::PluginHost host(io.get_executor(), bridge);
  host.load_directory(directory);
  std::vector<const plugins::PluginDescriptor*> descriptors;
  for (const plugins::LoadedPlugin* plugin : host.plugins())
    descriptors.push_back(&plugin->descriptor());
  flows::Capabilities capabilities = flows::Capabilities::from_descriptors(descriptors);
  host.unload_all();
  io.run();  // lets anything a plugin started during init finish being cancelled
  spdlog::set_level(level);
  return capabilities;
}

}  // namespace

void add_check_command(CLI::App& app, ExitCode& exit_code) {
  auto* command = app.add_subcommand(
      "check",
      "Validate Sparks YAML files (schema and meaning) without running them.\n"
      "The kind of each file is told by its top-level key:\n" +
          known_kinds_list() +
          "A flow is checked against the triggers and actions that the plugins in --plugin-dir\n"
          "declare, as the server checks it.\n"
          "With --config, a flow is also checked against the accounts connected in that\n"
          "configuration's store: a step the account's platform will not perform (its region,\n"
          "say) is a warning.\n"
          "Every problem is printed on stderr, one per line, as\n"
          "  FILE:LINE:COL: error: MESSAGE   (or warning: what will run, but not as meant)\n"
          "(LINE and COL count from 1; 0:0 means the whole file, e.g. it cannot be read).\n"
          "A valid file prints `FILE: ok (KIND)` on stdout.\n"
          "Exit status: 0 when every file is valid (warnings allowed), 1 otherwise.");

  // Kept alive for the callback, which runs after parsing.
  auto options = std::make_shared<CheckOptions>();
  // No CLI::ExistingFile check: a missing file is reported like any other problem, in the same
  // format, and the other files are still checked.
  command->add_option("files", options->files, "YAML files to check")->required()->expected(1, -1);
  command->add_option("--plugin-dir", options->plugin_dir,
                      "The connector plugins (*.so) whose triggers and actions flows may use\n"
                      "(default: plugins/ beside this executable, where `sparks serve` looks)");
  command->add_option("--config", options->config,
                      "A sparks.yaml whose store's connected accounts flows are checked against\n"
                      "(what each account's platform will not do for it)");

  command->callback([options, &exit_code] {
    const std::filesystem::path plugin_dir = options->plugin_dir.empty()
                                                 ? executable_dir() / "plugins"
                                                 : std::filesystem::path(options->plugin_dir);
    flows::Capabilities capabilities = plugin_capabilities(plugin_dir);
    if (!options->config.empty())
      capabilities.account_limits = connected_account_limits(options->config);
    bool all_ok = true;
    for (const std::string& file : options->files) {
      const check::CheckResult result = check::check_file(file, capabilities);
      for (const Diagnostic& diagnostic : result.diagnostics)
        std::cerr << diagnostic.to_string() << '\n';
      if (result.ok()) {
        std::cout << file << ": ok (" << result.kind << ")\n";
      } else {
        all_ok = false;
      }
    }
    exit_code = all_ok ? 0 : 1;
  });
}

}  // namespace sparks::cli

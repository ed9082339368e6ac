// `sparks check FILE...`: validate Sparks YAML files without running them, the way a compiler
// reports errors, so that editors and CI can point at the line. Flows are checked against the
// triggers and actions of the plugins in --plugin-dir, as the server would check them.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "command.hpp"
#include "inspection_bridge.hpp"
#include "plugins/plugin_host.hpp"

namespace sparks::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string plugin_dir;  // empty: plugins/ beside this executable
};

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
          "Every problem is printed on stderr, one per line, as\n"
          "  FILE:LINE:COL: error: MESSAGE\n"
          "(LINE and COL count from 1; 0:0 means the whole file, e.g. it cannot be read).\n"
          "A valid file prints `FILE: ok (KIND)` on stdout.\n"
          "Exit status: 0 when every file is valid, 1 otherwise.");

  // Kept alive for the callback, which runs after parsing.
  auto options = std::make_shared<CheckOptions>();
  // No CLI::ExistingFile check: a missing file is reported like any other problem, in the same
  // format, and the other files are still checked.
  command->add_option("files", options->files, "YAML files to check")->required()->expected(1, -1);
  command->add_option("--plugin-dir", options->plugin_dir,
                      "The connector plugins (*.so) whose triggers and actions flows may use\n"
                      "(default: plugins/ beside this executable, where `sparks serve` looks)");

  command->callback([options, &exit_code] {
    const std::filesystem::path plugin_dir = options->plugin_dir.empty()
                                                 ? executable_dir() / "plugins"
                                                 : std::filesystem::path(options->plugin_dir);
    const flows::Capabilities capabilities = plugin_capabilities(plugin_dir);
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

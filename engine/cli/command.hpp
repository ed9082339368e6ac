#pragma once
// Each `sparks <command>` lives in its own cli/<command>.cpp and registers itself here.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>

namespace sparks::cli {

// Filled in by the command that runs; main() returns it.
using ExitCode = int;

// Options every command shares (set up by main before the command runs).
struct GlobalOptions {
  std::string log_level = "info";
  bool log_json = false;
};

// The folder of the running `sparks` binary: build/plugins/ beside it is the default plugin folder.
inline std::filesystem::path executable_dir() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : self.parent_path();
}

void add_check_command(CLI::App& app, ExitCode& exit_code);
void add_serve_command(CLI::App& app, ExitCode& exit_code);
void add_status_command(CLI::App& app, ExitCode& exit_code);
void add_demo_command(CLI::App& app, ExitCode& exit_code);
void add_sandbox_command(CLI::App& app, ExitCode& exit_code);
void add_plugin_command(CLI::App& app, ExitCode& exit_code);
void add_flows_command(CLI::App& app, ExitCode& exit_code);
void add_connect_command(CLI::App& app, ExitCode& exit_code);

}  // namespace sparks::cli

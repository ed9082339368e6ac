#pragma once
// The subcommands of `sparks flows`, each in its own cli/flows_<name>.cpp, registered by
// cli/flows.cpp.
#include <CLI/CLI.hpp>

#include "command.hpp"

namespace sparks::cli {

void add_flows_apply_command(CLI::App& flows, ExitCode& exit_code);
void add_flows_list_command(CLI::App& flows, ExitCode& exit_code);
// publish, pause and resume.
void add_flows_status_commands(CLI::App& flows, ExitCode& exit_code);

}  // namespace sparks::cli

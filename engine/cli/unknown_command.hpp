#pragma once
// A command line naming a command that does not exist: "sparks: unknown command 'stauts' (did you
// mean 'status'?)", the list of commands, exit code 2 — before CLI11 would call it an extra
// argument. The same for the subcommands of a command that has them (`sparks flows aply`).
#include <CLI/CLI.hpp>
#include <optional>

namespace sparks::cli {

// The exit code (2) when argv names an unknown command, after saying so on stderr; nullopt when
// every command it names exists (or it asks for --help / --version: CLI11 answers those).
std::optional<int> reject_unknown_command(CLI::App& app, int argc, const char* const* argv);

}  // namespace sparks::cli

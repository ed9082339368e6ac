// `sparks check FILE...`: validate Sparks YAML files without running them, the way a compiler
// reports errors, so that editors and CI can point at the line.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "command.hpp"

namespace sparks::cli {

namespace {

std::string known_kinds_list() {
  std::string out;
  for (const std::string& kind : check::known_kinds()) out += "  " + kind + ":\n";
  return out;
}

}  // namespace

void add_check_command(CLI::App& app, ExitCode& exit_code) {
  auto* command = app.add_subcommand(
      "check",
      "Validate Sparks YAML files (schema and meaning) without running them.\n"
      "The kind of each file is told by its top-level key:\n" +
          known_kinds_list() +
          "Every problem is printed on stderr, one per line, as\n"
          "  FILE:LINE:COL: error: MESSAGE\n"
          "(LINE and COL count from 1; 0:0 means the whole file, e.g. it cannot be read).\n"
          "A valid file prints `FILE: ok (KIND)` on stdout.\n"
          "Exit status: 0 when every file is valid, 1 otherwise.");

  // Kept alive for the callback, which runs after parsing.
  auto files = std::make_shared<std::vector<std::string>>();
  // No CLI::ExistingFile check: a missing file is reported like any other problem, in the same
  // format, and the other files are still checked.
  command->add_option("files", *files, "YAML files to check")->required()->expected(1, -1);

  command->callback([files, &exit_code] {
    bool all_ok = true;
    for (const std::string& file : *files) {
      const check::CheckResult result = check::check_file(file);
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

#pragma once
// `sparks check`: validating any Sparks YAML file without running it. The kind of file is told by
// its top-level key (`lifecycle:` ...), and each kind is checked by its own loader.
#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "flows/capabilities.hpp"
#include "util/diagnostic.hpp"

namespace sparks::check {

struct CheckResult {
  std::string kind;  // the top-level key that was recognised ("lifecycle"); empty if none was
  Diagnostics diagnostics;  // errors, and warnings (Diagnostic::warning)
  bool ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return !d.warning; });
  }
};

// A file that cannot be read is one diagnostic at 0:0. A flow is checked against `capabilities`,
// those of the plugins `sparks check` loaded (with none, only the engine's own actions are known).
CheckResult check_file(
    const std::filesystem::path& path,
    const flows::Capabilities& capabilities = flows::Capabilities::from_descriptors({}));

// As check_file, on text already read; `file_name` only names it in diagnostics.
CheckResult check_text(
    const std::string& file_name, std::string_view text,
    const flows::Capabilities& capabilities = flows::Capabilities::from_descriptors({}));

// The top-level keys check_file recognises, in the order they are listed in messages.
std::vector<std::string> known_kinds();

}  // namespace sparks::check

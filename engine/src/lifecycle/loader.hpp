#pragma once
// Loading a lifecycle from YAML: parse, check against schemas/lifecycle.schema.json, build the
// Definition, then check what a schema cannot say (every name refers to something that exists,
// every state can be entered and left, every row can run). A file with any problem is refused
// whole, and every problem found is reported, each at its line and column.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "lifecycle/definition.hpp"
#include "lifecycle/registry.hpp"
#include "util/diagnostic.hpp"

namespace sparks::lifecycle {

struct LoadResult {
  std::optional<Definition> definition;  // set only when `diagnostics` is empty
  Diagnostics diagnostics;               // in the order of their position in the file
};

// `file_name` names the source in diagnostics and in Definition::file. Guards and actions the file
// names must be in `registry`.
LoadResult load_lifecycle(const std::string& file_name, std::string_view text,
                          const Registry& registry);

// As load_lifecycle; a file that cannot be read is one diagnostic at 0:0.
LoadResult load_lifecycle_file(const std::filesystem::path& path, const Registry& registry);

// `after:` values: a whole number then ms, s, m, h or d ("500ms", "10m", "1d"). nullopt for any
// other text, or a value too large to count in milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace sparks::lifecycle

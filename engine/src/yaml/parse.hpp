#pragma once
// Reading YAML text into a yaml-cpp tree, with every problem reported at its line and column.
// Besides syntax errors this refuses what yaml-cpp silently accepts: a mapping that names the same
// key twice (yaml-cpp keeps both entries, so the second would be ignored by lookups) and nesting
// that never ends (an alias inside its own anchor makes a cycle).
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace sparks::yaml {

struct ParseResult {
  YAML::Node root;  // null when the text does not parse
  Diagnostics diagnostics;
};

// Syntax errors, duplicate keys and runaway nesting. The text's size and nesting are checked
// first (yaml/bounds.hpp), so an oversized or too deeply nested text never becomes a tree. `file`
// only names the source in diagnostics.
ParseResult parse(const std::string& file, std::string_view text);

// The checks parse() runs after the syntax (duplicate keys, nesting, alias expansion), on a tree
// that is already loaded.
Diagnostics check_tree(const std::string& file, const YAML::Node& root);

// yaml-cpp marks count from 0; diagnostics count from 1. A node built in code has no mark: it is
// reported against the whole file (0:0).
Diagnostic diagnostic_at(const std::string& file, const YAML::Mark& mark, std::string message);

}  // namespace sparks::yaml

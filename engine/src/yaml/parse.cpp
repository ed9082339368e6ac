#include "yaml/parse.hpp"

#include <map>

#include "yaml/bounds.hpp"

namespace sparks::yaml {

namespace {

// Deeper than any file a person writes; reaching it means an alias cycle (`&a [*a]`).
constexpr int kMaxDepth = 64;
// Aliases let a short file expand to an enormous tree ("billion laughs"); every later stage walks
// the expanded tree, so the walk stops here.
constexpr int kMaxNodes = 200'000;

struct Walk {
  const std::string& file;
  Diagnostics& out;
  int nodes_left = kMaxNodes;
  bool stopped = false;
};

void check_node(Walk& walk, const YAML::Node& node, int depth) {
  if (walk.stopped) return;
  if (depth > kMaxDepth) {
    walk.out.push_back(diagnostic_at(walk.file, node.Mark(),
                                     "nesting deeper than " + std::to_string(kMaxDepth) +
                                         " levels (is an alias used inside its own anchor?)"));
    walk.stopped = true;
    return;
  }
  if (--walk.nodes_left < 0) {
    walk.out.push_back(diagnostic_at(walk.file, node.Mark(),
                                     "the document expands to more than " +
                                         std::to_string(kMaxNodes) + " nodes (through aliases?)"));
    walk.stopped = true;
    return;
  }
  if (node.IsSequence()) {
    for (const auto& item : node) check_node(walk, item, depth + 1);
    return;
  }
  if (!node.IsMap()) return;

  std::map<std::string, YAML::Mark> first_seen;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (key.IsScalar()) {
      auto [it, inserted] = first_seen.emplace(key.Scalar(), key.Mark());
      if (!inserted) {
        const YAML::Mark& first = it->second;
        // Two keys on one line (a flow mapping) are told apart by their column.
        const std::string column = first.line == key.Mark().line
                                       ? ", column " + std::to_string(first.column + 1)
                                       : std::string();
        walk.out.push_back(diagnostic_at(walk.file, key.Mark(),
                                         "duplicate key '" + key.Scalar() +
                                             "' (first defined at line " +
                                             std::to_string(first.line + 1) + column + ")"));
      }
    }
    check_node(walk, entry.second, depth + 1);
  }
}

}  // namespace

Diagnostic diagnostic_at(const std::string& file, const YAML::Mark& mark, std::string message) {
  if (mark.is_null()) return {file, 0, 0, std::move(message)};
  return {file, mark.line + 1, mark.column + 1, std::move(message)};
}

Diagnostics check_tree(const std::string& file, const YAML::Node& root) {
  Diagnostics out;
  Walk walk{file, out};
  check_node(walk, root, 0);
  return out;
}

ParseResult parse(const std::string& file, std::string_view text) {
  ParseResult result;
  if (auto refused = check_bounds(file, text)) {
    result.diagnostics.push_back(std::move(*refused));
    return result;
  }
  try {
    result.root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    result.diagnostics.push_back(diagnostic_at(file, error.mark, error.msg));
    return result;
  }
  result.diagnostics = check_tree(file, result.root);
  return result;
}

}  // namespace sparks::yaml

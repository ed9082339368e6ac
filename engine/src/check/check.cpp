#include "check/check.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "config/config.hpp"
#include "flows/flow_loader.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"
#include "plugins/manifest_file.hpp"
#include "util/read_file.hpp"
#include "yaml/parse.hpp"

namespace sparks::check {

namespace {

Diagnostics check_lifecycle(const std::string& file_name, std::string_view text,
                            const flows::Capabilities&) {
  return lifecycle::load_lifecycle(file_name, text, runtime::lifecycle_registry()).diagnostics;
}

Diagnostics check_flow(const std::string& file_name, std::string_view text,
                       const flows::Capabilities& capabilities) {
  auto loaded = flows::load_flow(file_name, text, capabilities);
  Diagnostics out = std::move(loaded.diagnostics);
  out.insert(out.end(), loaded.warnings.begin(), loaded.warnings.end());
  return out;
}

Diagnostics check_manifest(const std::string& file_name, std::string_view text,
                           const flows::Capabilities&) {
  return plugins::check_manifest_file(file_name, text);
}

Diagnostics check_config(const std::string& file_name, std::string_view text,
                         const flows::Capabilities&) {
  return config::load_config(file_name, text, std::filesystem::path(file_name).parent_path())
      .diagnostics;
}

// One row per kind of file: its top-level key and the loader that checks it.
struct Kind {
  std::string_view key;
  Diagnostics (*check)(const std::string& file_name, std::string_view text,
                       const flows::Capabilities& capabilities);
};

constexpr Kind kKinds[] = {
    {"flow", &check_flow},
    {"lifecycle", &check_lifecycle},
    {"plugin", &check_manifest},
    {"sparks", &check_config},
};

std::string known_kinds_text() {
  std::string out;
  for (const Kind& kind : kKinds) {
    if (!out.empty()) out += ", ";
    out += "'" + std::string(kind.key) + ":'";
  }
  return out;
}

}  // namespace

std::vector<std::string> known_kinds() {
  std::vector<std::string> out;
  for (const Kind& kind : kKinds) out.emplace_back(kind.key);
  return out;
}

CheckResult check_text(const std::string& file_name, std::string_view text,
                       const flows::Capabilities& capabilities) {
  CheckResult result;
  yaml::ParseResult parsed = yaml::parse(file_name, text);
  if (!parsed.diagnostics.empty()) {
    result.diagnostics = std::move(parsed.diagnostics);
    return result;
  }

  const YAML::Node& root = parsed.root;
  if (!root.IsMap() || root.size() == 0) {
    // An empty document has no mark; the start of the file is where its key is missing.
    const YAML::Mark where = root.Mark().is_null() ? YAML::Mark() : root.Mark();
    result.diagnostics.push_back(yaml::diagnostic_at(
        file_name, where,
        "expected a top-level key telling the kind of file (" + known_kinds_text() + ")"));
    return result;
  }
  // The first key decides; any other top-level key is then the kind's schema's to refuse.
  const YAML::Node first_key = root.begin()->first;
  for (const Kind& kind : kKinds) {
    if (first_key.IsScalar() && first_key.Scalar() == kind.key) {
      result.kind = kind.key;
      result.diagnostics = kind.check(file_name, text, capabilities);
      return result;
    }
  }
  result.diagnostics.push_back(yaml::diagnostic_at(
      file_name, first_key.Mark(),
      "unknown kind of file: top-level key '" + (first_key.IsScalar() ? first_key.Scalar() : "?") +
          "' (known: " + known_kinds_text() + ")"));
  return result;
}

CheckResult check_file(const std::filesystem::path& path, const flows::Capabilities& capabilities) {
  std::optional<std::string> text = read_text_file(path);
  if (!text) {
    CheckResult result;
    result.diagnostics.push_back({path.string(), 0, 0, "cannot read file"});
    return result;
  }
  return check_text(path.string(), *text, capabilities);
}

}  // namespace sparks::check

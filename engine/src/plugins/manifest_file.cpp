#include "plugins/manifest_file.hpp"

#include "yaml/parse.hpp"
#include "yaml/schema.hpp"

namespace sparks::plugins {

Diagnostics check_manifest_file(const std::string& file_name, std::string_view text) {
  yaml::ParseResult parsed = yaml::parse(file_name, text);
  if (!parsed.diagnostics.empty()) return parsed.diagnostics;
  return yaml::validate_yaml(file_name, parsed.root, "schemas/plugin-manifest.schema.json");
}

}  // namespace sparks::plugins

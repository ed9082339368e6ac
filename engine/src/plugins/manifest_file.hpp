#pragma once
// Checking a hand-written plugin manifest (a YAML file whose top-level key is `plugin:`) against
// schemas/plugin-manifest.schema.json, for `sparks check`. Loaded plugins are checked from their
// descriptor instead (descriptor.hpp), against the same schema.
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace sparks::plugins {

Diagnostics check_manifest_file(const std::string& file_name, std::string_view text);

}  // namespace sparks::plugins

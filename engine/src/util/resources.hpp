#pragma once
// Files compiled into the binary (schemas, the default lifecycle), looked up by their path in the
// source tree, e.g. "schemas/lifecycle.schema.json". See cmake/EmbedResources.cmake.
#include <optional>
#include <string_view>

namespace sparks::resources {

std::optional<std::string_view> find(std::string_view path);

}  // namespace sparks::resources

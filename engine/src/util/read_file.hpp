#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace sparks {

// The whole content of a regular file; nullopt when it is missing, unreadable or not a regular
// file (reading a directory would otherwise throw).
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace sparks

#pragma once
// Reading fields out of JSON that came from elsewhere (plugins, the store, payloads): a missing or
// mistyped field reads as empty instead of throwing, because each caller decides what empty means.
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::json_fields {

// The string at `key`, or "".
inline std::string text(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// A string as a list of one, an array as its strings; anything else as an empty list.
inline std::vector<std::string> strings(const boost::json::value& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.emplace_back(value.get_string());
  if (value.is_array())
    for (const auto& item : value.get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

inline std::vector<std::string> strings(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value ? strings(*value) : std::vector<std::string>{};
}

// The parsed text, or null when it is not JSON.
inline boost::json::value parse_or_null(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  return ec ? boost::json::value(nullptr) : value;
}

inline boost::json::array array_of(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// An integer, or a string holding one (platforms send both); 0 otherwise.
inline std::int64_t integer(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (!value) return 0;
  if (value->is_int64()) return value->get_int64();
  if (value->is_string()) {
    try {
      return std::stoll(std::string(value->get_string()));
    } catch (...) {
    }
  }
  return 0;
}

}  // namespace sparks::json_fields

#pragma once
// Reading JSON that came from elsewhere — a platform's answer, the engine's request, a stored
// payload — without a cascade of type checks at every call site: a missing or mistyped field reads
// as empty, and each caller decides what empty means; only a document that must be an object and
// is not one is an error. Header-only; used by the engine and by plugins alike (a plugin compiles
// Boost.JSON into itself, so it needs no Boost library at run time).
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::json_fields {

namespace json = boost::json;

// A JSON object, or throws std::invalid_argument naming `what` (the SDK turns the exception into a
// failed operation).
inline json::object parse_object(std::string_view text, std::string_view what = "the document") {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object())
    throw std::invalid_argument(std::string(what) + " is not a JSON object");
  return std::move(value.as_object());
}

// The same, without throwing: nullopt when `text` is not a JSON object. Its keys and strings are
// allocated from `storage` (the default resource unless given).
inline std::optional<json::object> try_parse_object(std::string_view text,
                                                    json::storage_ptr storage = {}) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, std::move(storage));
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// The string at `key`; numbers are written out (platforms are loose about ids); else "".
inline std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_int64()) return std::to_string(value->as_int64());
  if (value->is_uint64()) return std::to_string(value->as_uint64());
  return {};
}

// The integer at `key`, also when the platform sends it as a string of digits. A number that does
// not fit in 64 bits is none (converting it would be undefined behaviour).
inline std::optional<std::int64_t> integer(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) {
    if (value->as_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(value->as_uint64());
  }
  if (value->is_double()) {
    const double number = value->as_double();
    // [-2^63, 2^63): both bounds are exact doubles; NaN fails both comparisons.
    if (!(number >= -9223372036854775808.0 && number < 9223372036854775808.0)) return std::nullopt;
    return static_cast<std::int64_t>(number);
  }
  if (value->is_string()) {
    const json::string& digits = value->as_string();
    if (digits.empty() || digits.size() > 18) return std::nullopt;
    std::int64_t number = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      number = number * 10 + (c - '0');
    }
    return number;
  }
  return std::nullopt;
}

inline bool boolean(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

// The object at `key`, or an empty one.
inline json::object object_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_object() ? value->as_object() : json::object{};
}

// The array at `key`, or an empty one.
inline json::array array_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_array() ? value->as_array() : json::array{};
}

// A string as a list of one, an array as its strings (other elements are skipped); anything else
// as an empty list.
inline std::vector<std::string> strings(const json::value& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.emplace_back(value.get_string());
  if (value.is_array())
    for (const auto& item : value.get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

// The strings at `key`, read as strings(value) reads them.
inline std::vector<std::string> strings(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? strings(*value) : std::vector<std::string>{};
}

// The parsed text, or null when it is not JSON.
inline json::value parse_or_null(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return ec ? json::value(nullptr) : value;
}

// "a,b , c" → {"a", "b", "c"}: how OAuth answers list granted scopes.
inline std::vector<std::string> split_list(std::string_view list, char separator = ',') {
  std::vector<std::string> out;
  while (!list.empty()) {
    std::size_t end = list.find(separator);
    std::string_view item = list.substr(0, end);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return out;
}

inline json::array array_of(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

}  // namespace sparks::json_fields

#include "yaml/to_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <regex>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

namespace sparks::yaml {

namespace {

// yaml-cpp's tag for a scalar written without quotes and without a tag: the one kind whose type
// is decided by its text.
constexpr std::string_view kPlainTag = "?";
constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";  // what `!!int` expands to
constexpr std::string_view kStringTag = "tag:yaml.org,2002:str";

// Plain scalars, and scalars tagged with a core type other than `!!str` (`!!int "3"`), are typed
// by their text; quoted scalars and any other tag keep their text as a string.
bool typed_by_text(const std::string& tag) {
  return tag == kPlainTag || (tag.starts_with(kCoreTagPrefix) && tag != kStringTag);
}

// The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1023-core-schema), rule by rule.
bool is_null(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
bool is_true(const std::string& s) {
  return s == "true" || s == "True" || s == "TRUE";
}
bool is_false(const std::string& s) {
  return s == "false" || s == "False" || s == "FALSE";
}

const std::regex& decimal_int() {
  static const std::regex re("[-+]?[0-9]+");
  return re;
}
const std::regex& octal_int() {
  static const std::regex re("0o[0-7]+");
  return re;
}
const std::regex& hex_int() {
  static const std::regex re("0x[0-9a-fA-F]+");
  return re;
}
const std::regex& decimal_float() {
  static const std::regex re("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  return re;
}

// Integers too large for 64 bits fall back to double, as most JSON readers do.
boost::json::value integer(std::string_view digits, int base, bool negative) {
  std::uint64_t magnitude = 0;
  auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (error == std::errc() && end == digits.data() + digits.size()) {
    if (!negative) {
      if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return static_cast<std::int64_t>(magnitude);
      return magnitude;
    }
    if (magnitude <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
      return static_cast<std::int64_t>(0 - magnitude);
  }
  double value = std::strtod(std::string(digits).c_str(), nullptr);
  return negative ? -value : value;
}

boost::json::value decimal_integer(const std::string& text) {
  std::string_view digits = text;
  bool negative = false;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  return integer(digits, 10, negative);
}

}  // namespace

boost::json::value plain_scalar_to_json(const std::string& text) {
  if (is_null(text)) return nullptr;
  if (is_true(text)) return true;
  if (is_false(text)) return false;
  if (std::regex_match(text, decimal_int())) return decimal_integer(text);
  if (std::regex_match(text, octal_int()))
    return integer(std::string_view(text).substr(2), 8, false);
  if (std::regex_match(text, hex_int()))
    return integer(std::string_view(text).substr(2), 16, false);
  if (std::regex_match(text, decimal_float())) return std::strtod(text.c_str(), nullptr);
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf" || text == "+.Inf" ||
      text == "+.INF")
    return std::numeric_limits<double>::infinity();
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF")
    return -std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return std::nan("");
  return boost::json::string(text);
}

boost::json::value to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (typed_by_text(node.Tag())) return plain_scalar_to_json(node.Scalar());
      return boost::json::string(node.Scalar());
    case YAML::NodeType::Sequence: {
      boost::json::array array;
      array.reserve(node.size());
      for (const auto& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      boost::json::object object;
      for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        std::string name = key.IsScalar() ? key.Scalar() : YAML::Dump(key);
        object.insert_or_assign(name, to_json(entry.second));
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace sparks::yaml

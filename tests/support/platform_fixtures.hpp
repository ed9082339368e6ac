#pragma once
// The golden fixtures of tests/data/platforms/ (written from the platforms' documentation; the
// README there says how they are shaped), read by the connector and sandbox tests alike.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sparks::testing {

inline boost::json::object platform_fixture(const std::string& platform, const std::string& name) {
  const std::string path = std::string(SPARKS_PLATFORM_FIXTURES) + "/" + platform + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("no fixture " + path);
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

// True when `actual` has every field of `expected`, each of the same JSON kind (a string where a
// string is, an array of such objects where an array is, …), recursively; `where` names the
// first difference. Values are not compared: ids, tokens and times differ by nature.
inline bool same_shape(const boost::json::value& expected, const boost::json::value& actual,
                       std::string& where, const std::string& path = "") {
  const bool both_numbers = expected.is_number() && actual.is_number();
  if (expected.kind() != actual.kind() && !both_numbers && !expected.is_null()) {
    where = path.empty() ? "(root)" : path;
    return false;
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.as_object()) {
      const std::string field = path + "." + std::string(key);
      const auto* found = actual.as_object().if_contains(key);
      if (found == nullptr) {
        where = field + " (missing)";
        return false;
      }
      if (!same_shape(value, *found, where, field)) return false;
    }
  }
  if (expected.is_array() && !expected.as_array().empty()) {
    for (const auto& item : actual.as_array())
      if (!same_shape(expected.as_array().front(), item, where, path + "[]")) return false;
  }
  return true;
}

}  // namespace sparks::testing

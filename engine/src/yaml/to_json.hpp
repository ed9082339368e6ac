#pragma once
// A YAML tree as JSON, so that JSON tools (valijson, Boost.JSON consumers) can read it.
// Plain scalars are typed the way the YAML 1.2 core schema types them (`~`, `true`, `42`, `0x2a`,
// `1.5e3`, `.inf`); quoted scalars and `!!str` stay strings, so `"42"` is the string "42".
#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>

namespace sparks::yaml {

// `node` must have passed yaml::parse (no alias cycles). Mapping keys become their text.
boost::json::value to_json(const YAML::Node& node);

// The core-schema value of one plain scalar's text: null, bool, int64/uint64, double or string.
boost::json::value plain_scalar_to_json(const std::string& text);

}  // namespace sparks::yaml

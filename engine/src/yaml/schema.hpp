#pragma once
// Checking a YAML document against one of the JSON Schemas (draft 7) compiled into the binary
// (schemas/*.schema.json, see util/resources.hpp), with one readable line per problem.
//
// valijson validates a Boost.JSON copy of the document (its own yaml-cpp adapter does not compile
// against its validator in the packaged version). Its errors carry a path such as
// `<root> [lifecycle] [transitions] [3] [to]`, which is turned into a JSON pointer and then back
// into the yaml-cpp node, whose mark gives the line and column.
#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.hpp"

namespace sparks::yaml {

struct SchemaError {
  std::string path;     // JSON pointer to the value at fault, e.g. "/lifecycle/transitions/3/to"
  std::string message;  // one line that names the field, e.g. "lifecycle.transitions[3].to: must be
                        // a string, not a list"
  bool at_key = false;  // the key itself is at fault (an unknown field): point at it, not its value
};

// `schema_resource` is the path of an embedded schema, e.g. "schemas/lifecycle.schema.json"; each
// schema is compiled once and shared. Throws std::logic_error if it is not embedded or not valid.
// valijson's cascade (a failed item fails its list, which fails its parent...) is collapsed to the
// innermost specific problem.
std::vector<SchemaError> validate_json(const boost::json::value& doc,
                                       std::string_view schema_resource);

// validate_json on the YAML document, each error reported at its node's line and column (a missing
// field at the mapping that lacks it), in document order.
Diagnostics validate_yaml(const std::string& file, const YAML::Node& root,
                          std::string_view schema_resource);

// Where a JSON pointer lands in the YAML document: the value's mark, or its key's mark when
// `at_key` is set or the value is empty (an empty value has no position of its own). A pointer that
// leaves the document lands on the deepest node it reached.
YAML::Mark mark_at(const YAML::Node& root, std::string_view pointer, bool at_key = false);

}  // namespace sparks::yaml

#pragma once
// The connectors read JSON with the SDK's field readers (sparks/json_fields.hpp), as
// connectors::text(…) and so on.
#include <sparks/json_fields.hpp>

namespace sparks::connectors {

namespace json = boost::json;
using namespace sparks::json_fields;

}  // namespace sparks::connectors

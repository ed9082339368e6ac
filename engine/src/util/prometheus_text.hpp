#pragma once
// Pieces of the Prometheus text exposition format (version 0.0.4) that /metrics writes.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sparks::util {

// `value` as a label value inside its quotes: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

// `{a="1",b="2"}` from the names and values, in order; empty when there are none.
using Labels = std::vector<std::pair<std::string, std::string>>;
std::string label_set(const Labels& labels);

// A sample value: the shortest text that reads back as `value` ("0.005", "1", "2.5e-05"), and
// "+Inf" / "-Inf" / "NaN" as Prometheus spells them.
std::string number_text(double value);

}  // namespace sparks::util

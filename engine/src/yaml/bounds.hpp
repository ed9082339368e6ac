#pragma once
// What a YAML text must be before yaml-cpp builds a tree from it: UTF-8 (what every later stage
// takes its strings to be), and within limits of size and nesting. yaml-cpp keeps a token per
// bracket and a node per level, so a hostile file (a megabyte of `[`) would cost a hundred times
// its size in memory before any later check could refuse it. One pass over the text measures its
// nesting — flow collections (`[`, `{`) and block collections (by indentation and `- `) — skipping
// quoted scalars, block scalars and comments, so that what they contain never counts.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/diagnostic.hpp"

namespace sparks::yaml {

struct Limits {
  std::size_t max_bytes = 1024 * 1024;  // a flow, lifecycle, config or manifest file
  int max_depth = 64;                   // collections inside collections
};

// The first limit the text exceeds, as the diagnostic to refuse it with:
// `FILE: error: file is N bytes; the limit is M`,
// `FILE:LINE:COL: error: the text is not UTF-8 (byte 0x8F)` (at the first byte that is not) or
// `FILE:LINE:COL: error: nesting deeper than 64 levels` (where the limit is crossed).
std::optional<Diagnostic> check_bounds(const std::string& file, std::string_view text,
                                       const Limits& limits = {});

}  // namespace sparks::yaml

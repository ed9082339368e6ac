#pragma once
// One step of a backend's schema history, taking the database from `version - 1` to `version`.
// Every backend has the same steps, numbered and meaning the same, each in its own SQL. A step is
// never edited once released; a change is a new step at the end, for every backend.
#include <cstddef>
#include <string_view>

namespace sparks::store {

struct Migration {
  int version;                   // 1, 2, 3, … without gaps
  std::string_view description;  // shown in errors and logs
  std::string_view sql;          // one or more statements, run inside one transaction
};

// True when the steps are numbered 1, 2, 3, … in order: a backend's migrations.cpp asserts it.
template <typename Steps>
constexpr bool versions_are_consecutive(const Steps& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].version != static_cast<int>(i) + 1) return false;
  return true;
}

}  // namespace sparks::store

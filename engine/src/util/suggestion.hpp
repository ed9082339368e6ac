#pragma once
// "Did you mean …?" for a name that is not known: the known name closest by edit distance, when
// it is close enough to be the one meant.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace sparks {

// Levenshtein distance.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" when one known name is close to `name`, else "".
inline std::string did_you_mean(std::string_view name, const std::vector<std::string>& known) {
  const std::size_t tolerance = std::max<std::size_t>(2, name.size() / 4);
  const std::string* best = nullptr;
  std::size_t best_distance = tolerance + 1;
  for (const std::string& candidate : known) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best ? " (did you mean '" + *best + "'?)" : std::string();
}

}  // namespace sparks

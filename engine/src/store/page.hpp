#pragma once
// Keyset paging of a listing: the rows after the last one a previous page showed, in the listing's
// own stable order, at most `limit` of them. The key of a row is at most a number and a text (an
// id, a time and an id, …): each listing says which. Listings ask for one row more than they show,
// to know whether a next page exists. docs/http-api.md ("Pages") says how the API presents it.
#include <cstdint>
#include <optional>
#include <string>

namespace sparks::store {

struct PageKey {
  std::int64_t number = 0;
  std::string text;
};

struct PageRequest {
  // Every row, when unset by the caller: what the store's own callers (and tests) ask for.
  static constexpr std::int64_t kEverything = 1'000'000'000;
  std::int64_t limit = kEverything;
  std::optional<PageKey> after;  // unset: from the first row
};

}  // namespace sparks::store

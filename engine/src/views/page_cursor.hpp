#pragma once
// The cursors of paged listings (docs/http-api.md, "Pages"). A cursor names the last row a page
// showed, by the listing's key (store/page.hpp), and the listing it was made for: "v1." followed
// by base64url of the JSON array [listing, number, text]. Opaque to callers and URL-safe; one
// that this code did not make, or made for another listing, is refused.
#include <boost/json/value.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sparks/engine.hpp"
#include "store/page.hpp"

namespace sparks::runtime {

inline constexpr std::size_t kMaxPageLimit = 200;

std::string encode_cursor(std::string_view listing, const store::PageKey& key);
std::optional<store::PageKey> decode_cursor(std::string_view listing, std::string_view cursor);

// What the store is asked for a page: one row more than it shows, to know whether another page
// follows. A limit outside 1–200 or a cursor not made for `listing`: the error to answer.
std::variant<store::PageRequest, Error> page_request(std::string_view listing, const Page& page);

// Keeps the first `limit` rows and answers the cursor of the next page (null when there is none).
template <typename Row>
boost::json::value keep_page(std::vector<Row>& rows, std::size_t limit, std::string_view listing,
                             const std::function<store::PageKey(const Row&)>& key_of) {
  if (rows.size() <= limit) return nullptr;
  rows.resize(limit);
  return boost::json::value(encode_cursor(listing, key_of(rows.back())));
}

}  // namespace sparks::runtime

#include "api/paging.hpp"

#include <charconv>

namespace sparks::api {

namespace {

constexpr std::size_t kMaxLimit = 200;

}  // namespace

std::variant<Page, Error> page_of(const http::Request& request) {
  Page page;
  if (auto limit = request.query_value("limit")) {
    std::size_t value = 0;
    const auto* end = limit->data() + limit->size();
    const auto [at, ec] = std::from_chars(limit->data(), end, value);
    if (ec != std::errc() || at != end || limit->empty() || value < 1 || value > kMaxLimit)
      return Error{ErrorKind::invalid,
                   "invalid_limit",
                   "limit must be a whole number from 1 to " + std::to_string(kMaxLimit) +
                       " (got '" + *limit + "')",
                   {}};
    page.limit = value;
  }
  if (auto cursor = request.query_value("cursor")) page.cursor = *cursor;
  return page;
}

}  // namespace sparks::api

#include "webapp/paging.hpp"

#include <charconv>

namespace sparks::webapp {

PageRequest page_of(const http::Fields& query, std::size_t default_limit) {
  PageRequest asked;
  asked.page.limit = default_limit;
  asked.page.cursor = http::field(query, "cursor").value_or("");
  if (const auto limit = http::field(query, "limit")) {
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec == std::errc() && end == limit->data() + limit->size() && n >= 1 && n <= 200) {
      asked.page.limit = n;
      asked.limit = *limit;
    }
  }
  return asked;
}

}  // namespace sparks::webapp

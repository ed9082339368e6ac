#pragma once
// Which page of a listing a request asks for (docs/http-api.md, pages): `?cursor=` is the
// `next_cursor` of the page before, `?limit=` the page size (1–200; otherwise the default, 50).
#include <string>

#include "http/message.hpp"
#include "sparks/engine.hpp"

namespace sparks::webapp {

struct PageRequest {
  Page page;
  std::string limit;  // as asked, for the next link; empty: the default
};

PageRequest page_of(const http::Fields& query, std::size_t default_limit = 50);

}  // namespace sparks::webapp

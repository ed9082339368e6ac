#pragma once
// A listing's page as the query asks for it: `limit` (1–200, default 50) and `cursor` (the
// `next_cursor` of the previous page), docs/http-api.md ("Pages").
#include <variant>

#include "http/message.hpp"
#include "sparks/engine.hpp"

namespace sparks::api {

// The page, or why the query cannot name one (400 invalid_limit). The cursor is checked by the
// listing it is for (400 invalid_cursor).
std::variant<Page, Error> page_of(const http::Request& request);

}  // namespace sparks::api

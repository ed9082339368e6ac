#pragma once
// application/x-www-form-urlencoded and URL query strings, both ways (Boost.URL underneath).
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sparks::http {

// Decodes `a=1&b=x+y&b=%2F` ('+' is a space); nullopt when the text is not a valid query.
std::optional<Fields> decode_form(std::string_view encoded);

// Encodes fields as `a=1&b=x%20y` (every byte outside RFC 3986 "unreserved" is escaped).
std::string encode_form(const Fields& fields);

// Percent-encodes one component.
std::string percent_encode(std::string_view text);

// `url` with `fields` appended to its query (keeping what it already had); nullopt when `url` is
// not a valid absolute URL.
std::optional<std::string> append_query(std::string_view url, const Fields& fields);

}  // namespace sparks::http

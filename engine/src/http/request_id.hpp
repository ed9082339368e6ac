#pragma once
// X-Request-Id (docs/http-api.md): every answer of the server carries one, the caller's when it
// sent a usable one, else a new one, so that a request can be found in the logs of every instance
// it passed through.
#include <optional>
#include <string>
#include <string_view>

namespace sparks::http {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// 1 to 128 printable ASCII characters, none of them a space.
bool is_usable_request_id(std::string_view id);

// 16 random bytes in hex (32 characters).
std::string new_request_id();

// The caller's id when it is usable, else a new one.
std::string request_id_for(const std::optional<std::string>& sent);

}  // namespace sparks::http

#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace sparks::crypto {

// `count` bytes from OpenSSL's CSPRNG; throws std::runtime_error if it cannot supply them.
std::string random_bytes(std::size_t count);

// Base64url without padding (RFC 4648 §5), as OAuth state, PKCE and tokens use it.
std::string base64url_encode(std::string_view bytes);
// Decodes into `out`; false when `text` is not unpadded base64url.
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace sparks::crypto

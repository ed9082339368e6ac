#pragma once
// HMAC-SHA256 (OpenSSL), as bytes or lowercase hex, and a comparison that takes the same time
// whatever the inputs hold, so that checking a signature does not tell an attacker how much of it
// was right.
#include <array>
#include <string>
#include <string_view>

namespace sparks::crypto {

using Sha256Mac = std::array<unsigned char, 32>;

// HMAC-SHA256(key, message). Throws std::runtime_error if OpenSSL fails.
Sha256Mac hmac_sha256(std::string_view key, std::string_view message);

// Lowercase hex of HMAC-SHA256(key, message): 64 characters.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Lowercase hex of any bytes.
std::string to_hex(std::string_view bytes);

// True when `a` and `b` are equal. Time depends only on the lengths (a length mismatch returns at
// once: lengths of signatures are public anyway).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sparks::crypto

#pragma once
// What webhook verification and request signing share: hex digests, a comparison whose time does
// not depend on where two signatures differ, and the wall clock for freshness checks. Reading the
// system clock is not I/O; the HMAC itself is the host's (sparks_host_api_t::hmac_sha256).
// Header-only, compiled into each connector.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sparks::connectors {

inline std::string to_hex(const std::array<std::uint8_t, 32>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

// Compares a received hex signature with the expected one (lower case) in time that depends only
// on their lengths, so that an attacker cannot learn a valid signature byte by byte. Upper-case hex
// digits in `received` are accepted.
inline bool hex_signature_equal(std::string_view expected, std::string_view received) {
  if (expected.size() != received.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    char c = received[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    difference |= static_cast<unsigned char>(expected[i] ^ c);
  }
  return difference == 0;
}

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sparks::connectors

#include "http/request_id.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>

#include "crypto/random.hpp"

namespace sparks::http {

namespace {
constexpr std::size_t kMaxRequestIdLength = 128;
}  // namespace

bool is_usable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRequestIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// 32 hex digits: 16 random ones drawn once per process, then a count of the ids it made. Unique
// without a call into the random source per request (an id names a request; it guards nothing).
std::string new_request_id() {
  static const std::string prefix = [] {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (const char b : crypto::random_bytes(8)) {
      const auto byte = static_cast<unsigned char>(b);
      hex += kHex[byte >> 4];
      hex += kHex[byte & 0x0f];
    }
    return hex;
  }();
  static std::atomic<std::uint64_t> made{0};
  char count[17];
  std::snprintf(count, sizeof count, "%016llx",
                static_cast<unsigned long long>(made.fetch_add(1, std::memory_order_relaxed)));
  return prefix + count;
}

std::string request_id_for(const std::optional<std::string>& sent) {
  return sent && is_usable_request_id(*sent) ? *sent : new_request_id();
}

}  // namespace sparks::http

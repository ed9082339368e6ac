#include "http/request_id.hpp"

#include <algorithm>

#include "crypto/random.hpp"

namespace sparks::http {

namespace {
constexpr std::size_t kMaxRequestIdLength = 128;
}  // namespace

bool is_usable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRequestIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string new_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = crypto::random_bytes(16);
  std::string id;
  id.reserve(bytes.size() * 2);
  for (const char b : bytes) {
    const auto byte = static_cast<unsigned char>(b);
    id += kHex[byte >> 4];
    id += kHex[byte & 0x0f];
  }
  return id;
}

std::string request_id_for(const std::optional<std::string>& sent) {
  return sent && is_usable_request_id(*sent) ? *sent : new_request_id();
}

}  // namespace sparks::http

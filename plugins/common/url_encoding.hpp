#pragma once
// URL query strings and application/x-www-form-urlencoded bodies, as OAuth token endpoints and
// signed Partner API calls need them. Header-only, compiled into each connector.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sparks::connectors {

// Every byte outside RFC 3986's unreserved set (ALPHA DIGIT - . _ ~) becomes %XX, so a value can go
// in a query or a form body whatever it holds ('&', '=', '+', ',', spaces, UTF-8).
inline std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

using Params = std::vector<std::pair<std::string, std::string>>;

// "k1=v1&k2=v2", each key and value percent-encoded, in the order given. The same text is a form
// body (application/x-www-form-urlencoded) and a query string.
inline std::string encode_params(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(key);
    out += '=';
    out += percent_encode(value);
  }
  return out;
}

// A base URL from the configuration may end in '/'; paths here always start with one.
inline std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

}  // namespace sparks::connectors

#pragma once
// The TikTok Shop Partner API request signature (API version 202309):
//   1. the query parameters except `sign` and `access_token`, sorted by key, each as key + value;
//   2. the request path in front;
//   3. for a request other than GET, the raw body after;
//   4. wrapped as app_secret + text + app_secret;
//   5. sign = hex HMAC-SHA256 of that, keyed with app_secret.
// Steps 1–4 are here, header-only and pure, so that tests can check them against a vector worked
// out by hand; the HMAC is the host's.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sparks::tiktok_shop {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

inline std::string string_to_sign(std::string_view app_secret, std::string_view method,
                                  std::string_view path, QueryParams query, std::string_view body) {
  std::erase_if(query,
                [](const auto& p) { return p.first == "sign" || p.first == "access_token"; });
  std::stable_sort(query.begin(), query.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text(app_secret);
  text += path;
  for (const auto& [key, value] : query) text += key + value;
  if (method != "GET") text += body;
  text += app_secret;
  return text;
}

}  // namespace sparks::tiktok_shop

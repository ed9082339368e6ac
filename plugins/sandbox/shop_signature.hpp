#pragma once
// The TikTok Shop request signature: the query parameters except `sign` and `access_token`, sorted
// by key, each as key+value; the request path in front; for non-GET the raw body after; wrapped
// as app_secret + that + app_secret; sign = hex HMAC-SHA256 keyed with app_secret.
#include <string>

#include "http/message.hpp"

namespace sparks::sandbox {

std::string shop_sign(const std::string& app_secret, const std::string& method,
                      const std::string& path, const http::Fields& query, const std::string& body);

}  // namespace sparks::sandbox

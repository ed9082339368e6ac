#include "sandbox/shop_signature.hpp"

#include <algorithm>

#include "crypto/hmac.hpp"

namespace sparks::sandbox {

std::string shop_sign(const std::string& app_secret, const std::string& method,
                      const std::string& path, const http::Fields& query, const std::string& body) {
  http::Fields signed_params;
  for (const auto& param : query) {
    if (param.first != "sign" && param.first != "access_token") signed_params.push_back(param);
  }
  std::stable_sort(signed_params.begin(), signed_params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text = path;
  for (const auto& [key, value] : signed_params) text += key + value;
  if (method != "GET") text += body;
  return crypto::hmac_sha256_hex(app_secret, app_secret + text + app_secret);
}

}  // namespace sparks::sandbox

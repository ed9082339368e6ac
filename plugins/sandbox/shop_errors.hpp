#pragma once
// The Partner API's answer envelope {code, message, data, request_id} and the codes the sandbox
// answers with, as the platform does: token calls and business errors with HTTP 200, the gateway's
// refusals (signature, parameters, credentials, throttling) with a 4xx. Sources and the statuses
// that were observed rather than published: docs/sandbox.md, TikTok Shop.
#include <boost/json/value.hpp>
#include <string>

#include "sandbox/context.hpp"

namespace sparks::sandbox {

inline constexpr int kShopRateLimited = 36009002;     // too many requests (HTTP 429)
inline constexpr int kShopInternalError = 36009003;   // retry later (HTTP 5xx)
inline constexpr int kShopInvalidRequest = 36009004;  // app_key, sign, timestamp, token, cipher …
inline constexpr int kShopInvalidAuthCode = 36004004;
inline constexpr int kShopUnknownRefreshToken = 36004005;
inline constexpr int kShopInvalidSign = 106001;
inline constexpr int kShopMissingCipher = 106013;
inline constexpr int kShopTokenRevoked = 105001;
inline constexpr int kShopTokenExpired = 105002;
inline constexpr int kShopMissingScope = 105005;

inline http::Response shop_answer(Context& context, int http_status, int code,
                                  const std::string& message, boost::json::value data) {
  return http::Response::json(http_status, {{"code", code},
                                            {"message", message},
                                            {"data", std::move(data)},
                                            {"request_id", context.request_id()}});
}

inline http::Response shop_refusal(Context& context, int http_status, int code,
                                   const std::string& message) {
  return shop_answer(context, http_status, code, message, nullptr);
}

}  // namespace sparks::sandbox

// What the Partner API's error answers mean for the engine: {code, message, data, request_id}
// with a 4xx (or 429 / 5xx) status. The table is in docs/connectors.md; keep the two in step.
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

std::optional<Failure> shop_failure(const connectors::HttpResponse& response,
                                    const json::object& body) {
  const std::optional<std::int64_t> code = connectors::integer(body, "code");
  if (code == 0 && response.http_status >= 200 && response.http_status < 300) return std::nullopt;
  if (auto failure = connectors::transport_failure(response, "TikTok Shop")) return failure;

  std::string message = "TikTok Shop code " + (code ? std::to_string(*code) : "(none)");
  if (const std::string detail = connectors::text(body, "message"); !detail.empty())
    message += ": " + detail;
  if (const std::string id = connectors::text(body, "request_id"); !id.empty())
    message += " (request_id " + id + ")";
  if (!code) return Failure{SPARKS_ERR_PROTOCOL, message};

  switch (*code) {
    // Our app key or secret, our signature or clock, or a malformed call: the operator's or this
    // plugin's problem. Reconnecting would not help, so it is not UNAUTHORIZED.
    case 100001:  // invalid parameter
    case 105000:  // wrong app_key or app_secret on a token call
    case 106001:  // wrong signature
    case 106002:  // timestamp more than 5 minutes off
    case 106003:  // unknown app_key
    case 106004:  // shop_cipher missing or not the authorized shop's
      return Failure{SPARKS_ERR_INVALID_ARGUMENT, message};
    // The seller's grant: access token missing, revoked or expired; auth code or refresh token
    // invalid, used, expired or rejected. Refresh (for an expired access token) or reconnect.
    case 105001:
    case 105002:
    case 105003:
    case 105004:
      return Failure{SPARKS_ERR_UNAUTHORIZED, message};
    case 105005:  // the token lacks the scope
      return Failure{SPARKS_ERR_FORBIDDEN, message};
    case 36009004:
      return Failure{SPARKS_ERR_RATE_LIMITED, message};
    case 36009500:
      return Failure{SPARKS_ERR_UNAVAILABLE, message};
    default:
      break;
  }
  if (response.http_status == 401) return Failure{SPARKS_ERR_UNAUTHORIZED, message};
  if (response.http_status == 403) return Failure{SPARKS_ERR_FORBIDDEN, message};
  if (response.http_status == 404) return Failure{SPARKS_ERR_NOT_FOUND, message};
  return Failure{SPARKS_ERR_PROTOCOL, message};
}

}  // namespace sparks::tiktok_shop

// What the Partner API's error answers mean for the engine: {code, message, data, request_id}.
// Token calls and business errors answer HTTP 200 with a non-zero code; the gateway's refusals
// (signature, parameters, credentials, throttling) come with a 4xx. The code decides, whatever
// the status. The table and its sources are in docs/connectors.md; keep the two in step.
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

namespace {

// 36009004 is one code for many malformed calls; its message says which (the common errors page
// indexes them by keyword). An invalid access token is the seller's grant, the rest are ours.
sparks_status_t status_of_36009004(std::string_view message) {
  return message.find("access_token") != std::string_view::npos ||
                 message.find("access-token") != std::string_view::npos
             ? SPARKS_ERR_UNAUTHORIZED
             : SPARKS_ERR_INVALID_ARGUMENT;
}

std::optional<sparks_status_t> status_of_code(std::int64_t code, std::string_view message) {
  switch (code) {
    case 36009002:  // too many requests
      return SPARKS_ERR_RATE_LIMITED;
    case 36009003:  // internal error, retry later
      return SPARKS_ERR_UNAVAILABLE;
    // The seller's grant: access token invalid, revoked or expired; auth code invalid or used;
    // refresh token unknown, revoked or expired. Refresh (an expired access token) or reconnect.
    case 105001:
    case 105002:
    case 36004004:
    case 36004005:
      return SPARKS_ERR_UNAUTHORIZED;
    case 105005:  // the app lacks the permission (scope) this endpoint needs
      return SPARKS_ERR_FORBIDDEN;
    // Our signature or a malformed call: the operator's or this plugin's problem, which
    // reconnecting would not fix.
    case 106001:  // wrong sign
    case 106013:  // shop_cipher missing
      return SPARKS_ERR_INVALID_ARGUMENT;
    case 36009004:
      return status_of_36009004(message);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Failure> shop_failure(const connectors::HttpResponse& response,
                                    const json::object& body) {
  const std::optional<std::int64_t> code = connectors::integer(body, "code");
  if (code == 0 && response.http_status >= 200 && response.http_status < 300) return std::nullopt;
  if (response.status != SPARKS_OK) return connectors::transport_failure(response, "TikTok Shop");

  const std::string detail = connectors::text(body, "message");
  std::string message = "TikTok Shop code " + (code ? std::to_string(*code) : "(none)");
  if (!detail.empty()) message += ": " + detail;
  if (const std::string id = connectors::text(body, "request_id"); !id.empty())
    message += " (request_id " + id + ")";
  if (code && *code != 0)
    if (const auto status = status_of_code(*code, detail)) return Failure{*status, message};
  if (auto failure = connectors::transport_failure(response, "TikTok Shop")) return failure;
  if (response.http_status == 401) return Failure{SPARKS_ERR_UNAUTHORIZED, message};
  if (response.http_status == 403) return Failure{SPARKS_ERR_FORBIDDEN, message};
  if (response.http_status == 404) return Failure{SPARKS_ERR_NOT_FOUND, message};
  return Failure{SPARKS_ERR_PROTOCOL, message};
}

}  // namespace sparks::tiktok_shop

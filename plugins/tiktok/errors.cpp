// What TikTok API for Business answers mean for the engine. Every endpoint, the token endpoints
// included, answers HTTP 200 {code, message, request_id, data}; a non-zero code is a business
// error. The codes are the platform's published return codes; the table is in docs/connectors.md,
// keep the two in step.
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

sparks_status_t status_of(std::int64_t code) {
  switch (code) {
    // Throttled: about 40 requests a minute per account and endpoint, 600 per app. No Retry-After.
    case 40100:
    case 40132:
      return SPARKS_ERR_RATE_LIMITED;
    // The access token is expired, missing or invalid; the refresh token is expired or invalid;
    // the auth code is invalid, expired or used. Refreshing, else reconnecting, is what helps.
    case 40102:
    case 40103:
    case 40104:
    case 40105:
    case 40107:
    case 40110:
      return SPARKS_ERR_UNAUTHORIZED;
    // No permission, forbidden, a scope the owner did not grant. Messaging refusals (no open
    // conversation window, the 10-message limit, Business Messaging not offered where the account
    // is registered) come back as these too: the platform refuses this message, not the
    // integration, so the run is recorded as refused with TikTok's own words rather than retried.
    case 40001:
    case 40003:
    case 40130:
    case 40131:
      return SPARKS_ERR_FORBIDDEN;
    // Not a business account: comments and Business Messaging are refused to a personal account.
    // A refusal of this request, not a broken integration (the account is reported as personal).
    case 40014:
      return SPARKS_ERR_FORBIDDEN;
    // Parameter errors; a wrong grant type; our app id or secret refused — the operator's
    // configuration, which reconnecting would not fix.
    case 40000:
    case 40002:
    case 40006:
    case 40101:
    case 40108:
    case 40113:
      return SPARKS_ERR_INVALID_ARGUMENT;
    case 40007:
      return SPARKS_ERR_NOT_FOUND;
    default:
      return code >= 50000 ? SPARKS_ERR_UNAVAILABLE : SPARKS_ERR_PROTOCOL;
  }
}

}  // namespace

std::optional<Failure> business_failure(const connectors::HttpResponse& response,
                                        const json::object& body) {
  const std::optional<std::int64_t> code = connectors::integer(body, "code");
  std::string message = "TikTok code " + (code ? std::to_string(*code) : "(none)");
  if (const std::string detail = connectors::text(body, "message"); !detail.empty())
    message += ": " + detail;
  if (const std::string id = connectors::text(body, "request_id"); !id.empty())
    message += " (request_id " + id + ")";
  if (response.http_status == 429) return Failure{SPARKS_ERR_RATE_LIMITED, message};
  if (response.http_status >= 500) return Failure{SPARKS_ERR_UNAVAILABLE, message};
  if (!code) return Failure{SPARKS_ERR_PROTOCOL, "TikTok answered without a code: " + message};
  if (*code == 0 && response.http_status == 200) return std::nullopt;
  if (*code == 0)
    return Failure{SPARKS_ERR_PROTOCOL,
                   "TikTok answered HTTP " + std::to_string(response.http_status) + ": " + message};
  return Failure{status_of(*code), message};
}

}  // namespace sparks::tiktok

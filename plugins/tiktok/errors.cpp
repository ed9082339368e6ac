// What TikTok's error answers mean for the engine. Each API has its own shape:
//   Login Kit     HTTP 4xx {error, error_description, log_id}
//   Business API  HTTP 200 {code != 0, message, request_id} (429 for rate limiting)
//   Display API   HTTP 4xx {error: {code, message, log_id}}
// The table is in docs/connectors.md; keep the two in step.
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

// Appends the platform's own words, and its id for support, to our one-line message.
std::string with_detail(std::string message, const std::string& detail, const std::string& id) {
  if (!detail.empty()) message += ": " + detail;
  if (!id.empty()) message += " (log_id " + id + ")";
  return message;
}

}  // namespace

Failure oauth_failure(const connectors::HttpResponse& response) {
  if (auto failure = connectors::transport_failure(response, "TikTok")) return *failure;
  const auto body = connectors::try_parse_object(response.body).value_or(json::object{});
  const std::string error = connectors::text(body, "error");
  const std::string message =
      with_detail("TikTok OAuth error " + (error.empty() ? "(none given)" : error),
                  connectors::text(body, "error_description"), connectors::text(body, "log_id"));
  // invalid_grant: the code or refresh token is unknown, used, expired or revoked. Only the owner
  // reconnecting fixes that, so it is the one answer that means "reconnect".
  if (error == "invalid_grant") return {SPARKS_ERR_UNAUTHORIZED, message};
  // invalid_client: our client key or secret is wrong — the operator's configuration, not the
  // owner's grant; reconnecting would not help.
  if (error == "invalid_client" || error == "invalid_request" ||
      error == "unsupported_grant_type" || error == "invalid_scope")
    return {SPARKS_ERR_INVALID_ARGUMENT, message};
  if (error == "access_denied" || error == "scope_not_authorized")
    return {SPARKS_ERR_FORBIDDEN, message};
  if (error == "rate_limit_exceeded") return {SPARKS_ERR_RATE_LIMITED, message};
  if (error == "server_error" || error == "temporarily_unavailable")
    return {SPARKS_ERR_UNAVAILABLE, message};
  if (response.http_status == 401) return {SPARKS_ERR_UNAUTHORIZED, message};
  return {SPARKS_ERR_PROTOCOL,
          "TikTok answered HTTP " + std::to_string(response.http_status) + ": " + message};
}

std::optional<Failure> business_failure(const connectors::HttpResponse& response,
                                        const json::object& body) {
  const std::optional<std::int64_t> code = connectors::integer(body, "code");
  const std::string message =
      with_detail("TikTok Business API code " + (code ? std::to_string(*code) : "(none)"),
                  connectors::text(body, "message"), connectors::text(body, "request_id"));
  if (response.http_status == 429 || code == 40100)
    return Failure{SPARKS_ERR_RATE_LIMITED, message};
  if (response.http_status >= 500 || (code && *code >= 50000))
    return Failure{SPARKS_ERR_UNAVAILABLE, message};
  if (!code) return Failure{SPARKS_ERR_PROTOCOL, "TikTok answered without a code: " + message};
  switch (*code) {
    case 0:
      return std::nullopt;
    // The token lacks a scope; or the account is personal, which no scope can fix.
    case 40001:
    case 40014:
      return Failure{SPARKS_ERR_FORBIDDEN, message};
    case 40002:
      return Failure{SPARKS_ERR_INVALID_ARGUMENT, message};
    // The messaging rules: no conversation yet, the 48-hour window closed, or 10 messages sent
    // since the user last wrote. The platform refuses this message, not the integration: the status
    // is FORBIDDEN and the message names the rule, so the run is recorded as refused rather than
    // retried (retrying cannot succeed until the user writes again).
    case 40060:
    case 40061:
    case 40062:
      return Failure{SPARKS_ERR_FORBIDDEN, message};
    // Missing, invalid, revoked or expired access token: refresh, then reconnect if that fails.
    case 40102:
    case 40104:
    case 40105:
      return Failure{SPARKS_ERR_UNAUTHORIZED, message};
    default:
      return Failure{SPARKS_ERR_PROTOCOL, message};
  }
}

std::optional<Failure> display_failure(const connectors::HttpResponse& response,
                                       const json::object& body) {
  const json::object error = connectors::object_at(body, "error");
  const std::string code = connectors::text(error, "code");
  if (response.http_status == 200 && code == "ok") return std::nullopt;
  const std::string message =
      with_detail("TikTok Display API error " + (code.empty() ? "(none given)" : code),
                  connectors::text(error, "message"), connectors::text(error, "log_id"));
  if (response.http_status == 429 || code == "rate_limit_exceeded")
    return Failure{SPARKS_ERR_RATE_LIMITED, message};
  if (response.http_status >= 500) return Failure{SPARKS_ERR_UNAVAILABLE, message};
  if (code == "access_token_invalid" || response.http_status == 401)
    return Failure{SPARKS_ERR_UNAUTHORIZED, message};
  if (code == "scope_not_authorized" || response.http_status == 403)
    return Failure{SPARKS_ERR_FORBIDDEN, message};
  if (code == "invalid_params") return Failure{SPARKS_ERR_INVALID_ARGUMENT, message};
  return Failure{SPARKS_ERR_PROTOCOL, message};
}

}  // namespace sparks::tiktok

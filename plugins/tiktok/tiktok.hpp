#pragma once
// The TikTok connector's parts, one file each: the descriptor (manifest.cpp), what the platform's
// error answers mean (errors.cpp), webhook verification and normalization (webhook.cpp), and the
// connector that ties them to the host (tiktok_connector.cpp).
//
// TikTok is three APIs behind two hosts: Login Kit (consent page on www.tiktok.com, tokens on
// open.tiktokapis.com), the Display API (open.tiktokapis.com: the video list) and the Business API
// (business-api.tiktok.com: account, comments, direct messages). The sandbox serves them all.
#include <sparks/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/json_fields.hpp"
#include "common/platform_call.hpp"

namespace sparks::tiktok {

using connectors::Failure;
namespace json = boost::json;

inline constexpr std::string_view kPlatform = "tiktok";

// `configure`'s JSON. The base URLs point at the sandbox when the engine runs it.
struct Config {
  std::string client_key;
  std::string client_secret;
  std::string auth_base_url;      // the consent page: https://www.tiktok.com
  std::string api_base_url;       // the Business API: https://business-api.tiktok.com
  std::string open_api_base_url;  // Login Kit tokens and the Display API; default: api_base_url
};

sparks::plugin::Manifest manifest();

// ---- errors.cpp
// ------------------------------------------------------------------------------------

// A Login Kit answer that is not a token: {error, error_description, log_id}, or no answer.
Failure oauth_failure(const connectors::HttpResponse& response);
// A Business API answer {code, message, request_id, data}: nullopt when code is 0.
std::optional<Failure> business_failure(const connectors::HttpResponse& response,
                                        const json::object& body);
// A Display API answer {data, error: {code, message, log_id}}: nullopt when error.code is "ok".
std::optional<Failure> display_failure(const connectors::HttpResponse& response,
                                       const json::object& body);

// ---- webhook.cpp
// -----------------------------------------------------------------------------------

// How far a webhook's signed timestamp may be from our clock, either way.
inline constexpr std::int64_t kWebhookTolerance = 5 * 60;

// Checks `TikTok-Signature: t=<unix>,s=<hex HMAC-SHA256(client_secret, t + "." + body)>` and the
// freshness of t against `now`; then turns the body into {"events": [...]}. A Failure with
// SPARKS_ERR_BAD_SIGNATURE when the signature or timestamp is wrong.
struct WebhookOutcome {
  std::optional<Failure> failure;
  std::string result_json;  // when no failure
};
WebhookOutcome verify_webhook(const sparks::plugin::Host& host, const Config& config,
                              const sparks::plugin::Webhook& webhook, std::int64_t now);

}  // namespace sparks::tiktok

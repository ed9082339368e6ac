#pragma once
// The TikTok connector's parts, one file each: the descriptor (manifest.cpp), what the platform's
// error answers mean (errors.cpp), one call to the Business API (business_api.cpp), the account and
// the connect-time webhook subscription (account.cpp), the comment sync (comment_sync.cpp), whether
// an interrupted action took effect (find_action.cpp), webhook verification and normalization
// (webhook.cpp), and the connector that ties them to the host (tiktok_connector.cpp).
//
// TikTok API for Business, two hosts: the consent page on auth_base_url (www.tiktok.com) and every
// call — tokens, the account, posts, comments, direct messages, webhook subscriptions — on
// api_base_url (business-api.tiktok.com) below /open_api/v1.3. docs/connectors.md has the table of
// endpoints and events with their sources.
#include <sparks/plugin.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_fields.hpp"
#include "common/platform_call.hpp"
#include "common/url_encoding.hpp"

namespace sparks::tiktok {

using connectors::Failure;
using connectors::Params;
namespace json = boost::json;

inline constexpr std::string_view kPlatform = "tiktok";

// `configure`'s JSON. The base URLs point at the sandbox when the engine runs it. Other keys (the
// retired open_api_base_url among them) are ignored.
struct Config {
  std::string client_key;     // the app id: client_key, client_id and app_id in TikTok's words
  std::string client_secret;  // the app secret
  std::string auth_base_url;  // the consent page: https://www.tiktok.com
  std::string api_base_url;   // TikTok API for Business: https://business-api.tiktok.com
  std::string
      webhook_url;  // optional: where TikTok should deliver webhooks (subscribed at connect)
};

sparks::plugin::Manifest manifest();

// ---- errors.cpp
// ------------------------------------------------------------------------------------

// An answer {code, message, request_id, data}: nullopt when code is 0 and the HTTP status is 200.
std::optional<Failure> business_failure(const connectors::HttpResponse& response,
                                        const json::object& body);

// ---- business_api.cpp
// ------------------------------------------------------------------------------

// What one Business API call came to: a failure (with the platform's own message), or `data`.
struct BusinessAnswer {
  std::optional<Failure> failure;
  std::string platform_message;  // the answer's `message`, as TikTok wrote it
  json::object data;
};

// One call below {api_base_url}/open_api/v1.3. `access_token` empty: no Access-Token header (the
// token and webhook endpoints). A body, when given, is sent as JSON.
struct BusinessCall {
  std::string method;
  std::string path;  // "/business/get/"
  Params query;
  std::optional<json::object> body;
  std::string access_token;
};

class BusinessApi {
 public:
  BusinessApi(sparks::plugin::Host host, Config config) : host_(host), config_(std::move(config)) {}
  const Config& config() const { return config_; }
  const sparks::plugin::Host& host() const { return host_; }

  // `then` sees every outcome. `done` is failed only when the host refuses to start the request.
  void call(const std::string& integration, BusinessCall call, const sparks::plugin::Done& done,
            std::function<void(const BusinessAnswer&)> then) const;
  // The same, failing `done` on any failure; `on_data` gets `data`.
  void call_data(const std::string& integration, BusinessCall call,
                 const sparks::plugin::Done& done,
                 std::function<void(const json::object&)> on_data) const;

 private:
  sparks::plugin::Host host_;
  Config config_;
};

// The Accounts API's `fields` parameters: JSON arrays in the query string.
inline constexpr std::string_view kAccountFields =
    R"(["username","display_name","profile_image","is_business_account"])";
inline constexpr std::string_view kVideoFields =
    R"(["item_id","caption","create_time","share_url"])";

// ---- account.cpp
// -----------------------------------------------------------------------------------

// get_account: the profile, what the platform will not do for this account, and — when a
// webhook_url is configured — the webhook subscription and Comment-to-Message, once.
void get_account(const BusinessApi& api, const std::string& integration,
                 const json::object& credentials, const sparks::plugin::Done& done);

// ---- comment_sync.cpp
// ------------------------------------------------------------------------------

// One page of the comment sync: every comment of the next video of the account. `cursor` is the
// opaque text a previous page gave as next_cursor ("" to start).
void sync_comments(const BusinessApi& api, const std::string& integration,
                   const json::object& credentials, const std::string& cursor,
                   const sparks::plugin::Done& done);

// ---- find_action.cpp
// -------------------------------------------------------------------------------

// Whether an interrupted action reached TikTok, answered as find_action answers
// ({"found": true, "result"} | {"found": false}); `since` is when the call started (unix seconds).
// A send_dm without a conversation_id (Comment-to-Message) is SPARKS_ERR_UNSUPPORTED.
void find_sent_dm(const BusinessApi& api, const std::string& integration,
                  const json::object& credentials, const json::object& params, std::int64_t since,
                  const sparks::plugin::Done& done);
void find_comment_reply(const BusinessApi& api, const std::string& integration,
                        const json::object& credentials, const json::object& params,
                        std::int64_t since, const sparks::plugin::Done& done);

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

// A platform time in unix seconds: TikTok sends seconds in some events and milliseconds in others.
inline std::int64_t unix_seconds(std::int64_t seconds_or_millis) {
  return seconds_or_millis > 100'000'000'000 ? seconds_or_millis / 1000 : seconds_or_millis;
}

}  // namespace sparks::tiktok

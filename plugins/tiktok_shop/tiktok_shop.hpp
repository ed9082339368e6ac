#pragma once
// The TikTok Shop connector's parts, one file each: the descriptor (manifest.cpp), what the
// Partner API's error answers mean (errors.cpp), webhook verification and normalization
// (webhook.cpp), products and orders in the engine's shapes (normalize.cpp), attribution codes
// (attribution.cpp), the configuration and the authorize page (config.cpp), and the connector
// itself (shop_connector.cpp). Request signing is signing.hpp.
//
// The Partner API lives on three hosts: the seller's authorization page (services.tiktokshop.com,
// or auth.tiktok-shops.com for legacy apps), tokens (auth.tiktok-shops.com) and the signed API
// (open-api.tiktokglobalshop.com). The sandbox serves all three on one host (docs/connectors.md).
#include <sparks/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_fields.hpp"
#include "common/platform_call.hpp"

namespace sparks::tiktok_shop {

using connectors::Failure;
namespace json = boost::json;

inline constexpr std::string_view kPlatform = "tiktok_shop";
// Where a product's page is: the product id is appended (`product_link_base_url` overrides it).
inline constexpr std::string_view kProductLinkBase = "https://shop.tiktok.com/view/product/";

// The real authorization host, and the host of the newer authorize page that goes with it.
inline constexpr std::string_view kRealAuthBaseUrl = "https://auth.tiktok-shops.com";
inline constexpr std::string_view kRealServiceAuthorizeBaseUrl = "https://services.tiktokshop.com";

// `configure`'s JSON. The base URLs point at the sandbox when the engine runs it.
struct Config {
  std::string app_key;
  std::string app_secret;
  std::string auth_base_url;       // tokens: /api/v2/token/get and /refresh
  std::string api_base_url;        // signed Partner API calls
  std::string service_id;          // the Partner Center service: the newer authorize page
  std::string authorize_base_url;  // the authorize page; derived from auth_base_url by default
  std::string token_base_url;      // tokens, when not on auth_base_url (older configurations)
  std::string webhook_url;         // where the shop's webhooks go, subscribed at connect
  std::string product_link_base_url = std::string(kProductLinkBase);
};

// Reads `configure`'s JSON; throws std::invalid_argument naming a missing key.
Config read_config(const boost::json::object& in);
// The seller's authorize page: `{authorize}/open/authorize?service_id&state` with a service_id,
// `{authorize}/oauth/authorize?app_key&state` without (+ `redirect_uri` when given).
std::string authorize_page_url(const Config& config, std::string_view state,
                               std::string_view redirect_uri);

sparks::plugin::Manifest manifest();

// A Partner API answer {code, message, data, request_id}: nullopt when code is 0 and the HTTP
// status is 2xx. Also reads transport failures (no answer, 429, 5xx).
std::optional<Failure> shop_failure(const connectors::HttpResponse& response,
                                    const json::object& body);

// Partner API products (each with its SKUs) → the normalized products, one per SKU, each with the
// link of its product page (`link_base` + the product id).
json::array normalized_products(const json::array& products, std::string_view link_base);
// A Partner API order → the normalized order: buyer, status, total, its items by SKU, and the
// attribution codes its buyer_message carries.
json::object normalized_order(const json::object& order);

// The codes a buyer may have copied from a DM into the order's note (buyer_message): each word of
// 4 to 32 letters, digits, '-' or '_' holding at least one letter and one digit, upper-cased, in
// order, without repeats. The engine keeps those it issued (docs/connectors.md, Attribution).
std::vector<std::string> attribution_codes(std::string_view text);

// The webhook event types the connector subscribes a shop to at connect, and acts on.
inline constexpr std::string_view kWebhookEventTypes[] = {
    "ORDER_STATUS_CHANGE", "SELLER_DEAUTHORIZATION", "UPCOMING_AUTHORIZATION_EXPIRATION"};

// Checks `Authorization: hex HMAC-SHA256(app_secret, app_key + body)`, then turns the body
// {type, tts_notification_id, shop_id, timestamp, data} into {"events": [...]}.
struct WebhookOutcome {
  std::optional<Failure> failure;
  std::string result_json;  // when no failure
};
WebhookOutcome verify_webhook(const sparks::plugin::Host& host, const Config& config,
                              const sparks::plugin::Webhook& webhook);

}  // namespace sparks::tiktok_shop

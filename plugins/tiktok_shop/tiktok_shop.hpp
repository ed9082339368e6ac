#pragma once
// The TikTok Shop connector's parts, one file each: the descriptor (manifest.cpp), what the
// Partner API's error answers mean (errors.cpp), webhook verification and normalization
// (webhook.cpp), products and orders in the engine's shapes (normalize.cpp), and the connector
// itself (shop_connector.cpp). Request signing is signing.hpp.
//
// The Partner API lives on two hosts: seller authorization and tokens (auth.tiktok-shops.com) and
// the signed API (open-api.tiktokglobalshop.com). The sandbox serves both.
#include <sparks/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/json_fields.hpp"
#include "common/platform_call.hpp"

namespace sparks::tiktok_shop {

using connectors::Failure;
namespace json = boost::json;

inline constexpr std::string_view kPlatform = "tiktok_shop";
// Where a product's page is: the product id is appended (`product_link_base_url` overrides it).
inline constexpr std::string_view kProductLinkBase = "https://shop.tiktok.com/view/product/";

// `configure`'s JSON. The base URLs point at the sandbox when the engine runs it.
struct Config {
  std::string app_key;
  std::string app_secret;
  std::string auth_base_url;   // the seller's consent page
  std::string api_base_url;    // signed Partner API calls
  std::string token_base_url;  // /api/v2/token/get and /refresh; default: auth_base_url
  std::string product_link_base_url = std::string(kProductLinkBase);
};

sparks::plugin::Manifest manifest();

// A Partner API answer {code, message, data, request_id}: nullopt when code is 0 and the HTTP
// status is 2xx. Also reads transport failures (no answer, 429, 5xx).
std::optional<Failure> shop_failure(const connectors::HttpResponse& response,
                                    const json::object& body);

// Partner API products (each with its SKUs) → the normalized products, one per SKU, each with the
// link of its product page (`link_base` + the product id).
json::array normalized_products(const json::array& products, std::string_view link_base);
// A Partner API order → the normalized order: buyer, status, total, and its items by SKU.
json::object normalized_order(const json::object& order);

// Checks `Authorization: hex HMAC-SHA256(app_secret, app_key + body)`, then turns the body
// {type, tts_notification_id, shop_id, timestamp, data} into {"events": [...]}.
struct WebhookOutcome {
  std::optional<Failure> failure;
  std::string result_json;  // when no failure
};
WebhookOutcome verify_webhook(const sparks::plugin::Host& host, const Config& config,
                              const sparks::plugin::Webhook& webhook);

}  // namespace sparks::tiktok_shop

// TikTok Shop webhooks: checking the `Authorization` signature, then turning
// {type, tts_notification_id, shop_id, timestamp, data} into the engine's normalized events:
// type 1 ORDER_STATUS_CHANGE, 6 SELLER_DEAUTHORIZATION, 7 UPCOMING_AUTHORIZATION_EXPIRATION.
#include "common/signatures.hpp"
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

namespace {

// Partner API notification types this connector acts on.
constexpr std::int64_t kOrderStatusChange = 1;
constexpr std::int64_t kSellerDeauthorization = 6;
constexpr std::int64_t kUpcomingAuthorizationExpiration = 7;

// The events of one notification; none for types the connector does not act on.
json::array events_of(std::int64_t type, const json::object& body) {
  const json::object data = connectors::object_at(body, "data");
  json::array events;
  if (type == kOrderStatusChange) {
    events.push_back({{"trigger", "tiktok_shop.order"},
                      {"payload",
                       {{"order_id", connectors::text(data, "order_id")},
                        {"order_status", connectors::text(data, "order_status")},
                        {"update_time", connectors::integer(data, "update_time").value_or(0)}}}});
  } else if (type == kSellerDeauthorization) {
    events.push_back({{"trigger", "authorization_removed"},
                      {"payload",
                       {{"shop_id", connectors::text(body, "shop_id")},
                        {"message", connectors::text(data, "message")}}}});
  } else if (type == kUpcomingAuthorizationExpiration) {
    // Sent daily from 30 days before the authorization lapses until the seller re-authorizes;
    // expiration_time arrives as a string of unix seconds.
    events.push_back(
        {{"trigger", "authorization_expiring"},
         {"payload", {{"expires_at", connectors::integer(data, "expiration_time").value_or(0)}}}});
  }
  return events;
}

}  // namespace

WebhookOutcome verify_webhook(const sparks::plugin::Host& host, const Config& config,
                              const sparks::plugin::Webhook& webhook) {
  const std::optional<std::string_view> signature = webhook.header("Authorization");
  if (!signature)
    return {Failure{SPARKS_ERR_BAD_SIGNATURE, "the Authorization header is missing"}, {}};
  const auto mac = host.hmac_sha256(config.app_secret, config.app_key + webhook.body);
  if (!mac) return {Failure{SPARKS_ERR_INTERNAL, "the host computed no HMAC"}, {}};
  if (!connectors::hex_signature_equal(connectors::to_hex(*mac), *signature))
    return {Failure{SPARKS_ERR_BAD_SIGNATURE, "Authorization does not match the body"}, {}};
  // The Shop signature carries no time, so there is no freshness check to make here; replays are
  // caught by the event id (tts_notification_id), which the engine de-duplicates.

  const std::optional<json::object> parsed = connectors::try_parse_object(webhook.body);
  if (!parsed) return {Failure{SPARKS_ERR_PROTOCOL, "the webhook body is not a JSON object"}, {}};
  const json::object& body = *parsed;
  const std::string id = connectors::text(body, "tts_notification_id");
  if (id.empty())
    return {Failure{SPARKS_ERR_PROTOCOL, "the notification has no tts_notification_id"}, {}};
  // Other notification types (returns, cancellations, …) are acknowledged and produce nothing.
  json::array events = events_of(connectors::integer(body, "type").value_or(0), body);
  for (json::value& event : events) {
    event.as_object()["id"] = id;
    event.as_object()["account"] = connectors::text(body, "shop_id");
  }
  return {std::nullopt, json::serialize(json::object{{"events", std::move(events)}})};
}

}  // namespace sparks::tiktok_shop

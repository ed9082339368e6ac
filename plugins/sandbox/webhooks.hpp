#pragma once
// Webhooks the sandbox sends, signed the way each platform signs them, and their delivery: POST to
// the target, retried with exponential backoff until a 2xx or the attempts run out. Armed faults
// delay, duplicate or reorder them. Call on the sandbox strand.
#include <boost/json/object.hpp>
#include <string>

#include "sandbox/context.hpp"

namespace sparks::sandbox {

// TikTok: {client_key, event, create_time, user_openid, content: "<JSON string>"}, header
// `TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(client_secret, t + "." + body)>`.
void emit_tiktok_webhook(Context& context, const std::string& event, const std::string& user_openid,
                         const boost::json::object& content);

// TikTok Shop: {type, tts_notification_id, shop_id, timestamp, data}, header
// `Authorization: <hex HMAC-SHA256(app_secret, app_key + body)>`. Sent to the address the shop
// subscribed for the type (Update Shop Webhook), else to the Shop target.
inline constexpr int kShopOrderStatusChange = 1;
inline constexpr int kShopSellerDeauthorization = 6;
inline constexpr int kShopUpcomingAuthorizationExpiration = 7;
void emit_shop_webhook(Context& context, int type, const std::string& shop_id,
                       const boost::json::object& data);

// The signature headers, exposed for tests and for the connectors' own checks.
std::string tiktok_signature_header(const std::string& client_secret, std::int64_t unix_seconds,
                                    const std::string& body);
std::string shop_signature_header(const std::string& app_key, const std::string& app_secret,
                                  const std::string& body);

boost::json::array webhook_log_json(const Context& context);

}  // namespace sparks::sandbox

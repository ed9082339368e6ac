#include "sandbox/webhooks.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include "crypto/hmac.hpp"
#include "http/client.hpp"

namespace sparks::sandbox {

namespace net = boost::asio;

namespace {

constexpr std::size_t kLogLimit = 1000;
constexpr std::chrono::seconds kReorderWait{5};  // a reorder batch never waits longer than this

std::int64_t real_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void attempt(const std::shared_ptr<Context>& context,
             const std::shared_ptr<WebhookDelivery>& delivery);

void after(const std::shared_ptr<Context>& context, std::chrono::milliseconds delay,
           std::function<void()> then) {
  auto timer = std::make_shared<net::steady_timer>(context->strand, delay);
  timer->async_wait([timer, then = std::move(then)](const boost::system::error_code& ec) {
    if (!ec) then();
  });
}

// Signs at send time: the TikTok signature carries the (real) time of this attempt, as a
// receiver checking freshness expects.
http::ClientRequest signed_request(const Context& context, const WebhookDelivery& delivery) {
  http::ClientRequest request{"POST",
                              delivery.url,
                              {{"Content-Type", "application/json"}},
                              delivery.body,
                              context.options.webhook_retry.timeout};
  if (delivery.platform == kTikTok) {
    request.headers["TikTok-Signature"] =
        tiktok_signature_header(context.options.client_secret, real_unix_seconds(), delivery.body);
  } else {
    request.headers["Authorization"] =
        shop_signature_header(context.options.app_key, context.options.app_secret, delivery.body);
  }
  return request;
}

void on_answer(const std::shared_ptr<Context>& context,
               const std::shared_ptr<WebhookDelivery>& delivery,
               const http::ClientResponse& answer) {
  delivery->last_status = answer.status;
  delivery->last_error = answer.error;
  if (answer.ok() && answer.status >= 200 && answer.status < 300) {
    delivery->delivered = true;
    return;
  }
  const auto& retry = context->options.webhook_retry;
  if (delivery->attempts >= retry.max_attempts) {
    delivery->gave_up = true;
    spdlog::warn("sandbox: webhook {} ({}) to {} given up after {} attempts", delivery->id,
                 delivery->event, delivery->url, delivery->attempts);
    return;
  }
  // 200 ms, 400 ms, 800 ms, … capped.
  auto delay = retry.first_delay * (1LL << std::min(delivery->attempts - 1, 20));
  delay = std::min<std::chrono::milliseconds>(delay, retry.max_delay);
  after(context, delay, [context, delivery] { attempt(context, delivery); });
}

void attempt(const std::shared_ptr<Context>& context,
             const std::shared_ptr<WebhookDelivery>& delivery) {
  ++delivery->attempts;
  http::send_request(context->executor, signed_request(*context, *delivery),
                     [context, delivery](http::ClientResponse answer) {
                       net::post(context->strand, [context, delivery, answer = std::move(answer)] {
                         on_answer(context, delivery, answer);
                       });
                     });
}

void release_held(const std::shared_ptr<Context>& context) {
  auto held = std::move(context->held_webhooks);
  context->held_webhooks.clear();
  ++context->held_batch;
  std::reverse(held.begin(), held.end());
  for (auto& delivery : held) attempt(context, delivery);
}

void enqueue(Context& context, std::string platform, std::string event, std::string url,
             std::string body) {
  auto self = context.shared_from_this();
  auto delivery = std::make_shared<WebhookDelivery>(
      WebhookDelivery{context.state.next_id("webhook-"), std::move(platform), std::move(event),
                      std::move(url), std::move(body)});
  context.webhook_log.push_back(delivery);
  if (context.webhook_log.size() > kLogLimit)
    context.webhook_log.erase(context.webhook_log.begin());
  if (delivery->url.empty()) {
    delivery->last_error = "no webhook target set";
    delivery->gave_up = true;
    return;
  }

  if (context.faults.take_webhook_reorder()) {
    context.held_webhooks.push_back(delivery);
    if (context.faults.webhook_reorder_remaining() == 0) return release_held(self);
    if (context.held_webhooks.size() == 1) {
      // Release the batch after a while even if fewer webhooks than `count` come.
      after(self, kReorderWait, [self, batch = context.held_batch] {
        if (self->held_batch == batch) release_held(self);
      });
    }
    return;
  }
  const auto delay = context.faults.take_webhook_delay();
  const bool duplicate = context.faults.take_webhook_duplicate();
  auto send = [self, delivery, duplicate] {
    attempt(self, delivery);
    if (duplicate) {
      auto copy = std::make_shared<WebhookDelivery>(*delivery);
      copy->id += "-duplicate";
      copy->attempts = 0;
      self->webhook_log.push_back(copy);
      attempt(self, copy);
    }
  };
  if (delay) return after(self, *delay, send);
  send();
}

}  // namespace

std::string tiktok_signature_header(const std::string& client_secret, std::int64_t unix_seconds,
                                    const std::string& body) {
  const std::string t = std::to_string(unix_seconds);
  return "t=" + t + ",s=" + crypto::hmac_sha256_hex(client_secret, t + "." + body);
}

std::string shop_signature_header(const std::string& app_key, const std::string& app_secret,
                                  const std::string& body) {
  return crypto::hmac_sha256_hex(app_secret, app_key + body);
}

namespace {

// Where a TikTok event goes: the app's subscription for its event type (business/webhook/update/),
// else the default target (the developer portal's setting).
std::string tiktok_target(const Context& context, const std::string& event) {
  const char* type = event == "comment.update"  ? "COMMENT"
                     : event.starts_with("im_") ? "DIRECT_MESSAGE"
                                                : "";
  auto found = context.state.webhook_subscriptions.find(type);
  return found != context.state.webhook_subscriptions.end() ? found->second.callback_url
                                                            : context.options.tiktok_webhook_target;
}

}  // namespace

void emit_tiktok_webhook(Context& context, const std::string& event, const std::string& user_openid,
                         const boost::json::object& content) {
  const boost::json::object payload{{"client_key", context.options.client_key},
                                    {"event", event},
                                    {"create_time", context.state.now()},
                                    {"user_openid", user_openid},
                                    {"content", boost::json::serialize(content)}};
  enqueue(context, kTikTok, event, tiktok_target(context, event), boost::json::serialize(payload));
}

void emit_shop_webhook(Context& context, int type, const std::string& shop_id,
                       const boost::json::object& data) {
  const boost::json::object payload{{"type", type},
                                    {"tts_notification_id", context.state.next_id("tts-ntf-")},
                                    {"shop_id", shop_id},
                                    {"timestamp", context.state.now()},
                                    {"data", data}};
  const char* event = type == kShopOrderStatusChange       ? "ORDER_STATUS_CHANGE"
                      : type == kShopSellerDeauthorization ? "SELLER_DEAUTHORIZATION"
                      : type == kShopUpcomingAuthorizationExpiration
                          ? "UPCOMING_AUTHORIZATION_EXPIRATION"
                          : "OTHER";
  std::string target = context.options.shop_webhook_target;
  if (auto shop = context.state.shop_webhooks.find(shop_id);
      shop != context.state.shop_webhooks.end()) {
    if (auto subscribed = shop->second.find(event); subscribed != shop->second.end())
      target = subscribed->second;
  }
  enqueue(context, kTikTokShop, event, std::move(target), boost::json::serialize(payload));
}

boost::json::array webhook_log_json(const Context& context) {
  boost::json::array log;
  for (const auto& d : context.webhook_log) {
    log.push_back({{"id", d->id},
                   {"platform", d->platform},
                   {"event", d->event},
                   {"url", d->url},
                   {"attempts", d->attempts},
                   {"last_status", d->last_status},
                   {"last_error", d->last_error},
                   {"delivered", d->delivered},
                   {"gave_up", d->gave_up},
                   {"body", d->body}});
  }
  return log;
}

}  // namespace sparks::sandbox

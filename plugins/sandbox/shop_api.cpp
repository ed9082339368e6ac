// TikTok Shop Partner API, signed calls: the authorized shops, product search, orders by id, and
// the shop's webhook subscriptions. Every call is checked as the platform checks it: app_key,
// sign, timestamp, the x-tts-access-token, its scope and the shop_cipher; refusals carry the
// platform's codes (sandbox/shop_errors.hpp).
#include <charconv>
#include <cstdlib>

#include <boost/json/parse.hpp>

#include "crypto/hmac.hpp"
#include "sandbox/context.hpp"
#include "sandbox/shop_errors.hpp"
#include "sandbox/shop_signature.hpp"

namespace sparks::sandbox {

namespace {

// A timestamp may be at most 5 minutes old and 30 seconds ahead (docs/sandbox.md).
constexpr std::int64_t kTimestampPast = 5 * 60;
constexpr std::int64_t kTimestampAhead = 30;

const std::vector<std::string> kWebhookEventTypes = {
    "ORDER_STATUS_CHANGE", "SELLER_DEAUTHORIZATION", "UPCOMING_AUTHORIZATION_EXPIRATION"};

struct Caller {
  Grant* grant = nullptr;
  const Account* shop = nullptr;
  std::optional<http::Response> error;
};

std::int64_t real_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Fresh against the real time, or the sandbox clock when a test advanced it.
bool fresh(std::int64_t timestamp, std::int64_t now) {
  return timestamp >= now - kTimestampPast && timestamp <= now + kTimestampAhead;
}

std::optional<http::Response> check_signature(Context& context, const http::Request& request) {
  if (request.query_value("app_key").value_or("") != context.options.app_key) {
    return shop_refusal(context, 400, kShopInvalidRequest,
                        "Invalid credentials. Invalid `app_key` query parameter.");
  }
  if (!request.query_value("sign")) {
    return shop_refusal(context, 400, kShopInvalidRequest,
                        "Missing credentials. The request does not include a required signature "
                        "in the query.");
  }
  const auto timestamp = whole_number(request.query_value("timestamp").value_or(""));
  if (!timestamp || *timestamp < 0 ||
      !(fresh(*timestamp, real_unix_seconds()) || fresh(*timestamp, context.state.now()))) {
    return shop_refusal(context, 400, kShopInvalidRequest,
                        "Invalid timestamp. The value of the `timestamp` query parameter must not "
                        "be earlier than 5 minutes before the current time.");
  }
  const std::string expected = shop_sign(context.options.app_secret, request.method, request.path,
                                         request.query, request.body);
  if (!crypto::constant_time_equal(expected, request.query_value("sign").value_or(""))) {
    return shop_refusal(context, 401, kShopInvalidSign,
                        "Invalid credentials. The 'sign' query parameter is invalid.");
  }
  return std::nullopt;
}

// `scope` empty: any valid token. `needs_cipher`: the call names a shop by shop_cipher.
Caller verify(Context& context, const http::Request& request, const std::string& scope,
              bool needs_cipher) {
  if (auto refused = check_signature(context, request)) return {.error = std::move(refused)};
  Grant* grant =
      context.state.grant_by_access_token(request.header("x-tts-access-token").value_or(""));
  if (grant == nullptr || grant->platform != kTikTokShop) {
    return {.error = shop_refusal(context, 401, kShopInvalidRequest,
                                  "Invalid credentials. The `x-tts-access-token` header is "
                                  "invalid.")};
  }
  if (grant->revoked) {
    return {.error = shop_refusal(context, 401, kShopTokenRevoked,
                                  "Invalid credentials. The access token has been revoked.")};
  }
  if (grant->access_expires_at < context.state.now()) {
    return {.error = shop_refusal(context, 401, kShopTokenExpired,
                                  "Expired credentials. The access token has expired.")};
  }
  if (!scope.empty() && !grant->has_scope(scope)) {
    return {.error = shop_refusal(context, 403, kShopMissingScope,
                                  "Access denied. This app has not been granted any access scope "
                                  "required by this endpoint (" +
                                      scope + ").")};
  }
  const Account* shop = context.state.account(grant->account);
  if (needs_cipher) {
    const auto cipher = request.query_value("shop_cipher");
    if (!cipher) {
      return {.error = shop_refusal(context, 400, kShopMissingCipher,
                                    "Missing identifier. The shop_cipher query parameter is "
                                    "required for this request.")};
    }
    if (*cipher != shop->shop_cipher) {
      return {.error = shop_refusal(context, 400, kShopInvalidRequest,
                                    "Invalid identifier. The `shop_cipher` query parameter is "
                                    "invalid.")};
    }
  }
  return {grant, shop, std::nullopt};
}

http::Response invalid_parameter(Context& context, const std::string& message) {
  return shop_refusal(context, 400, kShopInvalidRequest, "Invalid parameter. " + message);
}

http::Response list_shops(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "seller.authorization.info", false);
  if (caller.error) return *caller.error;
  const Account& shop = *caller.shop;
  boost::json::array shops;
  shops.push_back({{"id", shop.shop_id},
                   {"name", shop.name},
                   {"region", shop.region},
                   {"seller_type", "LOCAL"},
                   {"cipher", shop.shop_cipher},
                   {"code", "SANDBOX" + shop.shop_id},
                   // Sandbox only: the business the seller belongs to, which the engine compares
                   // with the creator's. The real list has no such field (docs/sandbox.md).
                   {"business_id", shop.business_id}});
  return shop_answer(context, 200, 0, "Success", boost::json::object{{"shops", std::move(shops)}});
}

http::Response search_products(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "seller.product.basic", true);
  if (caller.error) return *caller.error;
  const auto page_size = whole_number(request.query_value("page_size").value_or("10"));
  // The page token is the offset of the page's first product, as an opaque string.
  const auto offset = whole_number(request.query_value("page_token").value_or("0"));
  if (!page_size || *page_size < 1 || *page_size > 100 || !offset || *offset < 0) {
    return invalid_parameter(context,
                             "page_size must be 1 to 100 and page_token one this API returned.");
  }
  std::vector<const Product*> all;
  for (const auto& p : context.state.products) {
    if (p.shop == caller.shop->id) all.push_back(&p);
  }
  boost::json::array page;
  std::size_t next = static_cast<std::size_t>(*offset);
  for (; next < all.size() && page.size() < static_cast<std::size_t>(*page_size); ++next) {
    page.push_back(product_json(*all[next]));
  }
  return shop_answer(context, 200, 0, "Success",
                     boost::json::object{{"products", std::move(page)},
                                         {"next_page_token",
                                          next < all.size() ? std::to_string(next) : std::string()},
                                         {"total_count", all.size()}});
}

http::Response get_orders(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "seller.order.info", true);
  if (caller.error) return *caller.error;
  const auto ids = split_list(request.query_value("ids").value_or(""));
  if (ids.empty() || ids.size() > 50)
    return invalid_parameter(context, "ids must list 1 to 50 order ids.");
  boost::json::array orders;
  for (const auto& id : ids) {
    for (const auto& o : context.state.orders) {
      if (o.id == id && o.shop == caller.shop->id) orders.push_back(order_json(o));
    }
  }
  return shop_answer(context, 200, 0, "Success",
                     boost::json::object{{"orders", std::move(orders)}});
}

// Update Shop Webhook: {address, event_type}, one event type per call.
http::Response put_webhook(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "", true);
  if (caller.error) return *caller.error;
  boost::system::error_code ec;
  const auto body = boost::json::parse(request.body, ec);
  const auto* fields = !ec && body.is_object() ? &body.as_object() : nullptr;
  const auto* address = fields ? fields->if_contains("address") : nullptr;
  const auto* type = fields ? fields->if_contains("event_type") : nullptr;
  if (address == nullptr || !address->is_string() || type == nullptr || !type->is_string()) {
    return invalid_parameter(context, "the body must be {address, event_type}.");
  }
  const std::string event_type(type->as_string());
  if (std::find(kWebhookEventTypes.begin(), kWebhookEventTypes.end(), event_type) ==
      kWebhookEventTypes.end()) {
    return invalid_parameter(context, "unknown event_type " + event_type + ".");
  }
  context.state.shop_webhooks[caller.shop->shop_id][event_type] = std::string(address->as_string());
  return shop_answer(context, 200, 0, "Success", boost::json::object{});
}

http::Response get_webhooks(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "", true);
  if (caller.error) return *caller.error;
  boost::json::array webhooks;
  for (const auto& [event_type, address] : context.state.shop_webhooks[caller.shop->shop_id]) {
    webhooks.push_back({{"event_type", event_type}, {"address", address}});
  }
  return shop_answer(context, 200, 0, "Success",
                     boost::json::object{{"webhooks", std::move(webhooks)}});
}

}  // namespace

void add_shop_api_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/authorization/202309/shops", list_shops);
  add_route(router, context, "POST", "/product/202309/products/search", search_products);
  add_route(router, context, "GET", "/order/202309/orders", get_orders);
  add_route(router, context, "PUT", "/event/202309/webhooks", put_webhook);
  add_route(router, context, "GET", "/event/202309/webhooks", get_webhooks);
}

}  // namespace sparks::sandbox

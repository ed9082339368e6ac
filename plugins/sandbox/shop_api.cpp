// TikTok Shop Partner API, signed calls: the authorized shops, product search, orders by id.
// Every call is checked as the platform checks it: app_key, timestamp within 5 minutes, the
// signature, the x-tts-access-token, its scope and the shop_cipher.
#include <charconv>
#include <cstdlib>

#include "crypto/hmac.hpp"
#include "sandbox/context.hpp"
#include "sandbox/shop_signature.hpp"

namespace sparks::sandbox {

namespace {

constexpr std::int64_t kTimestampTolerance = 5 * 60;

// Codes (docs/sandbox.md lists them).
constexpr int kInvalidParameter = 100001;
constexpr int kInvalidAppKey = 106003;
constexpr int kInvalidSignature = 106001;
constexpr int kStaleTimestamp = 106002;
constexpr int kInvalidShopCipher = 106004;
constexpr int kInvalidToken = 105001;
constexpr int kExpiredToken = 105002;
constexpr int kMissingScope = 105005;

http::Response answer(Context& context, int status, int code, const std::string& message,
                      boost::json::value data) {
  return http::Response::json(status, {{"code", code},
                                       {"message", message},
                                       {"data", std::move(data)},
                                       {"request_id", context.request_id()}});
}

http::Response refuse(Context& context, int status, int code, const std::string& message) {
  return answer(context, status, code, message, nullptr);
}

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

// `scope` empty: any valid token. `needs_cipher`: the call names a shop by shop_cipher.
Caller verify(Context& context, const http::Request& request, const std::string& scope,
              bool needs_cipher) {
  if (request.query_value("app_key").value_or("") != context.options.app_key) {
    return {.error = refuse(context, 401, kInvalidAppKey, "app_key is missing or unknown.")};
  }
  const auto timestamp_text = request.query_value("timestamp").value_or("");
  std::int64_t timestamp = 0;
  const auto [end, ec] = std::from_chars(timestamp_text.data(),
                                         timestamp_text.data() + timestamp_text.size(), timestamp);
  if (timestamp_text.empty() || ec != std::errc{} ||
      end != timestamp_text.data() + timestamp_text.size()) {
    return {.error =
                refuse(context, 400, kInvalidParameter, "timestamp (unix seconds) is required.")};
  }
  // Within 5 minutes of the real time, or of the sandbox clock when a test advanced it.
  if (std::llabs(timestamp - real_unix_seconds()) > kTimestampTolerance &&
      std::llabs(timestamp - context.state.now()) > kTimestampTolerance) {
    return {.error = refuse(context, 401, kStaleTimestamp,
                            "timestamp is more than 5 minutes away from now.")};
  }
  const std::string expected = shop_sign(context.options.app_secret, request.method, request.path,
                                         request.query, request.body);
  if (!crypto::constant_time_equal(expected, request.query_value("sign").value_or(""))) {
    return {.error = refuse(context, 401, kInvalidSignature, "sign does not match the request.")};
  }
  Grant* grant =
      context.state.grant_by_access_token(request.header("x-tts-access-token").value_or(""));
  if (grant == nullptr || grant->platform != kTikTokShop || grant->revoked) {
    return {.error = refuse(context, 401, kInvalidToken,
                            "x-tts-access-token is missing, invalid or revoked.")};
  }
  if (grant->access_expires_at < context.state.now()) {
    return {.error = refuse(context, 401, kExpiredToken, "x-tts-access-token has expired.")};
  }
  if (!scope.empty() && !grant->has_scope(scope)) {
    return {.error = refuse(context, 403, kMissingScope,
                            "The access token lacks the scope " + scope + ".")};
  }
  const Account* shop = context.state.account(grant->account);
  if (needs_cipher && request.query_value("shop_cipher").value_or("") != shop->shop_cipher) {
    return {.error = refuse(context, 400, kInvalidShopCipher,
                            "shop_cipher is missing or is not the authorized shop's.")};
  }
  return {grant, shop, std::nullopt};
}

http::Response list_shops(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "", false);
  if (caller.error) return *caller.error;
  const Account& shop = *caller.shop;
  boost::json::array shops;
  shops.push_back({{"id", shop.shop_id},
                   {"name", shop.name},
                   {"region", shop.region},
                   {"seller_type", "LOCAL"},
                   {"cipher", shop.shop_cipher},
                   {"code", "SANDBOX" + shop.shop_id},
                   // The business the seller belongs to, which the engine compares with the
                   // creator's (the real API tells it through the seller's business profile).
                   {"business_id", shop.business_id}});
  return answer(context, 200, 0, "Success", boost::json::object{{"shops", std::move(shops)}});
}

std::optional<std::int64_t> non_negative(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

http::Response search_products(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "product.read", true);
  if (caller.error) return *caller.error;
  const auto page_size = non_negative(request.query_value("page_size").value_or("10"));
  // The page token is the offset of the page's first product, as an opaque string.
  const auto offset = non_negative(request.query_value("page_token").value_or("0"));
  if (!page_size || *page_size < 1 || *page_size > 100 || !offset) {
    return refuse(context, 400, kInvalidParameter,
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
  return answer(context, 200, 0, "Success",
                boost::json::object{
                    {"products", std::move(page)},
                    {"next_page_token", next < all.size() ? std::to_string(next) : std::string()},
                    {"total_count", all.size()}});
}

http::Response get_orders(Context& context, const http::Request& request) {
  auto caller = verify(context, request, "order.read", true);
  if (caller.error) return *caller.error;
  const auto ids = split_list(request.query_value("ids").value_or(""));
  if (ids.empty() || ids.size() > 50) {
    return refuse(context, 400, kInvalidParameter, "ids must list 1 to 50 order ids.");
  }
  boost::json::array orders;
  for (const auto& id : ids) {
    for (const auto& o : context.state.orders) {
      if (o.id == id && o.shop == caller.shop->id) orders.push_back(order_json(o));
    }
  }
  return answer(context, 200, 0, "Success", boost::json::object{{"orders", std::move(orders)}});
}

}  // namespace

void add_shop_api_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/authorization/202309/shops", list_shops);
  add_route(router, context, "POST", "/product/202309/products/search", search_products);
  add_route(router, context, "GET", "/order/202309/orders", get_orders);
}

}  // namespace sparks::sandbox

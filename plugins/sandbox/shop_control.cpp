// The control API's TikTok Shop side: orders (placed, possibly through a DM the sandbox's TikTok
// side sent, and moved through their statuses), the products, and the platform's notice that a
// seller's authorization is about to lapse. Errors use the engine's shape {"error": {…}}.
#include <algorithm>
#include <cctype>

#include "sandbox/context.hpp"
#include "sandbox/control_helpers.hpp"
#include "sandbox/webhooks.hpp"

namespace sparks::sandbox {

namespace {

constexpr UnixSeconds kExpiryNotice = 30 * 24 * 60 * 60;  // type 7 comes 30 days ahead

const Account* shop_account(Context& context, const std::string& id) {
  const Account* account = context.state.account(id);
  return account != nullptr && account->platform == kTikTokShop ? account : nullptr;
}

// What a buyer who ordered through a DM brings into the order: the codes the DM held, copied into
// the order note, the one field of the order a buyer writes. A code is a word of 4 to 32 letters,
// digits, '-' or '_' with at least one letter and one digit (docs/connectors.md, Attribution).
std::string codes_copied_from(const std::string& dm_text) {
  std::string note;
  std::size_t i = 0;
  const auto code_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  };
  while (i < dm_text.size()) {
    std::size_t end = i;
    while (end < dm_text.size() && code_char(dm_text[end])) ++end;
    const std::string word = dm_text.substr(i, end - i);
    const bool digit = std::any_of(word.begin(), word.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    const bool letter = std::any_of(word.begin(), word.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c)) != 0;
    });
    if (word.size() >= 4 && word.size() <= 32 && digit && letter)
      note += (note.empty() ? "" : " ") + word;
    i = end == i ? i + 1 : end;
  }
  return note;
}

// `items` → one line item per unit, as the Partner API reports them; an error answer if any is bad.
std::optional<http::Response> add_line_items(Context& context, const Account& shop,
                                             const boost::json::array& items, Order& order) {
  for (const auto& item : items) {
    if (!item.is_object()) return bad_request("each item must be {sku_id, quantity}");
    const auto sku_id = string_field(item.as_object(), "sku_id");
    const Product* product = nullptr;
    const Sku* sku = context.state.sku(shop.id, sku_id, &product);
    if (sku == nullptr) return not_found("shop " + shop.id + " has no SKU \"" + sku_id + "\"");
    const auto* quantity = item.as_object().if_contains("quantity");
    const std::int64_t count = quantity == nullptr    ? 1
                               : quantity->is_int64() ? quantity->as_int64()
                                                      : 0;
    if (count < 1 || count > 100) return bad_request("quantity must be 1 to 100");
    for (std::int64_t unit = 0; unit < count; ++unit) {
      order.line_items.push_back({context.state.next_id("line-"), sku->id, product->id,
                                  product->title, sku->seller_sku, sku->price_cents});
    }
  }
  return std::nullopt;
}

void emit_order_status(Context& context, const Order& order) {
  emit_shop_webhook(context, kShopOrderStatusChange, context.state.account(order.shop)->shop_id,
                    {{"order_id", order.id},
                     {"order_status", order.status},
                     {"is_on_hold_order", false},
                     {"update_time", order.update_time}});
}

// {shop, buyer, items: [{sku_id, quantity}], status?, from_message?, buyer_message?}. `buyer` is
// the Shop's buyer id; `from_message`, a DM the TikTok side sent, brings only what the buyer copies
// from it into the note, never who received it.
http::Response post_order(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  const Account* shop = shop_account(context, string_field(*body, "shop"));
  if (shop == nullptr) return not_found("no Shop account \"" + string_field(*body, "shop") + "\"");
  const auto buyer = string_field(*body, "buyer");
  if (buyer.empty()) return bad_request("\"buyer\" is required (the Shop's buyer id)");
  const auto* items = body->if_contains("items");
  if (items == nullptr || !items->is_array() || items->as_array().empty()) {
    return bad_request("\"items\" must list at least one {sku_id, quantity}");
  }
  Order order{
      context.state.next_id("57600000000"),
      shop->id,
      buyer,
      string_field(*body, "status").empty() ? "AWAITING_SHIPMENT" : string_field(*body, "status"),
      string_field(*body, "buyer_message"),
      context.state.now(),
      context.state.now()};
  if (const auto message_id = string_field(*body, "from_message"); !message_id.empty()) {
    const auto& sent = context.state.sent_messages;
    const auto dm = std::find_if(sent.begin(), sent.end(),
                                 [&](const SentMessage& m) { return m.message_id == message_id; });
    if (dm == sent.end()) return not_found("no sent DM \"" + message_id + "\"");
    order.buyer_message = codes_copied_from(dm->text);
  }
  if (auto refused = add_line_items(context, *shop, items->as_array(), order)) return *refused;
  context.state.orders.push_back(order);
  emit_order_status(context, order);
  return http::Response::json(201, {{"order", order_json(order)}});
}

http::Response post_order_status(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body || string_field(*body, "status").empty()) {
    return bad_request("the body must be {\"status\": \"…\"}, e.g. \"DELIVERED\"");
  }
  for (auto& order : context.state.orders) {
    if (order.id != request.params.at("id")) continue;
    order.status = string_field(*body, "status");
    order.update_time = context.state.now();
    emit_order_status(context, order);
    return http::Response::json(200, {{"order", order_json(order)}});
  }
  return not_found("no order \"" + request.params.at("id") + "\"");
}

http::Response get_orders(Context& context, const http::Request& request) {
  const auto shop = request.query_value("shop").value_or("");
  boost::json::array orders;
  for (const auto& o : context.state.orders) {
    if (shop.empty() || o.shop == shop) orders.push_back(order_json(o));
  }
  return http::Response::json(200, {{"orders", std::move(orders)}});
}

http::Response get_products(Context& context, const http::Request& request) {
  const auto shop = request.query_value("shop").value_or("");
  if (shop_account(context, shop) == nullptr) return not_found("no Shop account \"" + shop + "\"");
  boost::json::array products;
  for (const auto& p : context.state.products) {
    if (p.shop == shop) products.push_back(product_json(p));
  }
  return http::Response::json(200, {{"products", std::move(products)}});
}

// {account, expires_at?}: the UPCOMING_AUTHORIZATION_EXPIRATION notice (type 7) the platform sends
// daily from 30 days before a seller's authorization lapses. Without expires_at: when the shop's
// newest live grant lapses, or 30 days from now.
http::Response post_authorization_expiring(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  const Account* shop = shop_account(context, string_field(*body, "account"));
  if (shop == nullptr)
    return not_found("no Shop account \"" + string_field(*body, "account") + "\"");
  UnixSeconds expires_at = context.state.now() + kExpiryNotice;
  for (const auto& grant : context.state.grants)
    if (grant.account == shop->id && !grant.revoked) expires_at = grant.refresh_expires_at;
  if (const auto* given = body->if_contains("expires_at")) {
    if (!given->is_int64() || given->as_int64() < 0)
      return bad_request("\"expires_at\" must be unix seconds");
    expires_at = given->as_int64();
  }
  const UnixSeconds days = std::max<UnixSeconds>(0, (expires_at - context.state.now()) / 86400);
  emit_shop_webhook(
      context, kShopUpcomingAuthorizationExpiration, shop->shop_id,
      {{"message", "Authorization of shop_id " + shop->shop_id + " is expiring in " +
                       std::to_string(days) + " days. Please direct the merchant to re-authorize."},
       {"expiration_time", std::to_string(expires_at)}});
  return http::Response::json(201, {{"account", shop->id}, {"expires_at", expires_at}});
}

}  // namespace

void add_shop_control_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/sandbox/v1/orders", post_order);
  add_route(router, context, "GET", "/sandbox/v1/orders", get_orders);
  add_route(router, context, "POST", "/sandbox/v1/orders/{id}/status", post_order_status);
  add_route(router, context, "GET", "/sandbox/v1/products", get_products);
  add_route(router, context, "POST", "/sandbox/v1/authorization-expiring",
            post_authorization_expiring);
}

}  // namespace sparks::sandbox

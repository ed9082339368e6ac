// Partner API products and orders in the normalized shapes of sparks/plugin.h: the engine stores
// these, never the Partner API's own.
#include <algorithm>

#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

json::array normalized_products(const json::array& products, std::string_view link_base) {
  json::array out;
  for (const json::value& p : products) {
    if (!p.is_object()) continue;
    const json::object& product = p.as_object();
    const std::string product_id = connectors::text(product, "id");
    for (const json::value& s : connectors::array_at(product, "skus")) {
      if (!s.is_object()) continue;
      const json::object& sku = s.as_object();
      const json::object price = connectors::object_at(sku, "price");
      out.push_back(json::object{{"sku_id", connectors::text(sku, "id")},
                                 {"product_id", product_id},
                                 {"seller_sku", connectors::text(sku, "seller_sku")},
                                 {"title", connectors::text(product, "title")},
                                 {"price", connectors::text(price, "sale_price")},
                                 {"currency", connectors::text(price, "currency")},
                                 {"url", std::string(link_base) + product_id}});
    }
  }
  return out;
}

// The Partner API lists one line item per unit sold: items of the same SKU become one item with
// its quantity.
json::object normalized_order(const json::object& order) {
  json::array items;
  for (const json::value& l : connectors::array_at(order, "line_items")) {
    if (!l.is_object()) continue;
    const json::object& line = l.as_object();
    const std::string sku_id = connectors::text(line, "sku_id");
    const std::int64_t quantity = connectors::integer(line, "quantity").value_or(1);
    auto same = std::find_if(items.begin(), items.end(), [&](const json::value& item) {
      return connectors::text(item.as_object(), "sku_id") == sku_id;
    });
    if (same != items.end()) {
      json::object& item = same->as_object();
      item["quantity"] = item["quantity"].as_int64() + quantity;
      continue;
    }
    items.push_back(json::object{{"sku_id", sku_id},
                                 {"seller_sku", connectors::text(line, "seller_sku")},
                                 {"quantity", quantity},
                                 {"price", connectors::text(line, "sale_price")}});
  }
  const json::object payment = connectors::object_at(order, "payment");
  json::array codes;
  for (std::string& code : attribution_codes(connectors::text(order, "buyer_message")))
    codes.emplace_back(std::move(code));
  // The buyer is the Shop's own user_id: nothing in the order joins it to a TikTok account.
  return {{"id", connectors::text(order, "id")},
          {"buyer", connectors::text(order, "user_id")},
          {"status", connectors::text(order, "status")},
          {"total", connectors::text(payment, "total_amount")},
          {"currency", connectors::text(payment, "currency")},
          {"items", std::move(items)},
          {"attribution_codes", std::move(codes)}};
}

}  // namespace sparks::tiktok_shop

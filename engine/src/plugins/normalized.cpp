#include "plugins/normalized.hpp"

#include <sparks/json_fields.hpp>

namespace sparks::plugins::normalized {

using json_fields::text;

std::vector<Product> products(const boost::json::array& items) {
  std::vector<Product> out;
  for (const auto& item : items)
    if (item.is_object()) {
      const auto& p = item.get_object();
      out.push_back({text(p, "sku_id"), text(p, "product_id"), text(p, "seller_sku"),
                     text(p, "title"), text(p, "price"), text(p, "currency"), text(p, "url")});
    }
  return out;
}

std::vector<Post> posts(const boost::json::array& items) {
  std::vector<Post> out;
  for (const auto& item : items)
    if (item.is_object())
      out.push_back({text(item.get_object(), "id"), text(item.get_object(), "title")});
  return out;
}

std::vector<Comment> comments(const boost::json::array& items) {
  std::vector<Comment> out;
  for (const auto& item : items)
    if (item.is_object())
      out.push_back({text(item.get_object(), "id"),
                     json_fields::integer(item.get_object(), "create_time").value_or(0)});
  return out;
}

std::optional<Order> order(const boost::json::array& items, std::string_view id) {
  for (const auto& item : items) {
    if (!item.is_object() || text(item.get_object(), "id") != id) continue;
    const auto& o = item.get_object();
    Order out{text(o, "id"),
              text(o, "buyer"),
              text(o, "status"),
              text(o, "total"),
              text(o, "currency"),
              {},
              {},
              json_fields::strings(o.contains("attribution_codes") ? o.at("attribution_codes")
                                                                   : boost::json::value())};
    if (const auto* lines = o.if_contains("items"); lines && lines->is_array())
      for (const auto& line : lines->get_array())
        if (line.is_object()) {
          out.items.push_back(line);
          out.seller_skus.push_back(text(line.get_object(), "seller_sku"));
        }
    return out;
  }
  return std::nullopt;
}

}  // namespace sparks::plugins::normalized

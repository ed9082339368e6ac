#pragma once
// Reading what plugins hand the engine in the normalized shapes sparks/plugin.h defines
// ("Normalized shapes"): synced products, posts and comments, and looked-up orders. A missing or
// mistyped field reads as empty; an item that is not an object is skipped.
#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::plugins::normalized {

struct Product {  // one SKU of the catalog
  std::string sku_id, product_id, seller_sku, title, price, currency, url;
};

struct Post {
  std::string id, title;
};

struct Comment {
  std::string id;
  std::int64_t create_time = 0;  // unix seconds
};

struct Order {
  std::string id, buyer, status, total, currency;
  boost::json::array items;              // [{"sku_id", "seller_sku", "quantity", "price"}]
  std::vector<std::string> seller_skus;  // of its items, in order
  // What the order brought back that may be a code Sparks put in a message (a note the buyer
  // wrote, say): the connector says where its platform carries them.
  std::vector<std::string> attribution_codes;
};

std::vector<Product> products(const boost::json::array& items);
std::vector<Post> posts(const boost::json::array& items);
std::vector<Comment> comments(const boost::json::array& items);
// The order `id` among `items`, if there.
std::optional<Order> order(const boost::json::array& items, std::string_view id);

}  // namespace sparks::plugins::normalized

#include "sandbox/state.hpp"

#include <algorithm>

#include "crypto/hmac.hpp"

namespace sparks::sandbox {

bool Grant::has_scope(const std::string& scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::int64_t Order::total_cents() const {
  std::int64_t total = 0;
  for (const auto& item : line_items) total += item.price_cents;
  return total;
}

UnixSeconds State::now() const {
  const auto real = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return real.count() + clock_offset_;
}

const Account* State::account(const std::string& id) const {
  for (const auto& a : accounts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const Account* State::account_by_open_id(const std::string& open_id) const {
  for (const auto& a : accounts) {
    if (a.open_id == open_id) return &a;
  }
  return nullptr;
}

std::vector<const Account*> State::accounts_on(const std::string& platform) const {
  std::vector<const Account*> found;
  for (const auto& a : accounts) {
    if (a.platform == platform) found.push_back(&a);
  }
  return found;
}

// A sandbox holds a handful of grants: a linear search is simpler than keeping indexes in step.
Grant& State::add_grant(Grant grant) {
  return grants.emplace_back(std::move(grant));
}

Grant* State::grant_by_access_token(const std::string& token) {
  for (auto& g : grants) {
    if (!token.empty() && g.access_token == token) return &g;
  }
  return nullptr;
}

Grant* State::grant_by_refresh_token(const std::string& token) {
  for (auto& g : grants) {
    if (!token.empty() && g.refresh_token == token) return &g;
  }
  return nullptr;
}

void State::rotate_tokens(Grant& grant, std::string access_token, std::string refresh_token) {
  grant.access_token = std::move(access_token);
  grant.refresh_token = std::move(refresh_token);
}

int State::revoke_account(const std::string& account_id) {
  int revoked = 0;
  for (auto& g : grants) {
    if (g.account == account_id && !g.revoked) {
      g.revoked = true;
      ++revoked;
    }
  }
  return revoked;
}

std::string State::next_id(const std::string& prefix) {
  return prefix + std::to_string(++id_counter_);
}

Account* State::mutable_account(const std::string& id) {
  for (auto& a : accounts) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Conversation& State::conversation_with(const std::string& account_id, const std::string& user) {
  for (auto& [id, c] : conversations) {
    if (c.account == account_id && c.user == user) return c;
  }
  Conversation fresh{next_id("conv-"), account_id, user};
  return conversations.emplace(fresh.id, fresh).first->second;
}

Conversation& State::user_wrote(const std::string& account_id, const std::string& user) {
  Conversation& conversation = conversation_with(account_id, user);
  conversation.last_user_message_at = now();
  conversation.sent_since_user_message = 0;
  return conversation;
}

Conversation* State::conversation_by_id(const std::string& account_id, const std::string& id) {
  auto found = conversations.find(id);
  return found != conversations.end() && found->second.account == account_id ? &found->second
                                                                             : nullptr;
}

Comment* State::comment(const std::string& account_id, const std::string& id) {
  for (auto& c : comments) {
    if (c.account == account_id && c.id == id) return &c;
  }
  return nullptr;
}

const Sku* State::sku(const std::string& shop, const std::string& sku_id,
                      const Product** product) const {
  for (const auto& p : products) {
    if (p.shop != shop) continue;
    for (const auto& s : p.skus) {
      if (s.id == sku_id) {
        if (product != nullptr) *product = &p;
        return &s;
      }
    }
  }
  return nullptr;
}

std::string format_price(std::int64_t cents) {
  const std::string fraction = std::to_string(100 + cents % 100).substr(1);
  return std::to_string(cents / 100) + "." + fraction;
}

boost::json::object account_json(const Account& a) {
  boost::json::object json{
      {"id", a.id}, {"platform", a.platform}, {"type", a.type}, {"name", a.name}};
  json["business_id"] =
      a.business_id.empty() ? boost::json::value(nullptr) : boost::json::value(a.business_id);
  json["region"] = a.region;
  if (a.platform == kTikTok) {
    json["username"] = a.username;
  } else {
    json["shop_id"] = a.shop_id;
    json["shop_cipher"] = a.shop_cipher;
  }
  return json;
}

boost::json::object product_json(const Product& p) {
  boost::json::array skus;
  for (const auto& s : p.skus) {
    skus.push_back({{"id", s.id},
                    {"seller_sku", s.seller_sku},
                    {"price",
                     {{"sale_price", format_price(s.price_cents)},
                      {"tax_exclusive_price", format_price(s.price_cents)},
                      {"currency", "USD"}}}});
  }
  // The seeded catalog is as old as the seed's first video.
  constexpr UnixSeconds kCatalogTime = 1767225600;
  return {{"id", p.id},
          {"title", p.title},
          {"status", p.status},
          {"create_time", kCatalogTime},
          {"update_time", kCatalogTime},
          {"skus", std::move(skus)}};
}

boost::json::object order_json(const Order& o) {
  boost::json::array items;
  for (const auto& i : o.line_items) {
    items.push_back({{"id", i.id},
                     {"sku_id", i.sku_id},
                     {"product_id", i.product_id},
                     {"product_name", i.product_name},
                     {"sku_name", ""},
                     {"seller_sku", i.seller_sku},
                     {"sale_price", format_price(i.price_cents)},
                     {"original_price", format_price(i.price_cents)},
                     {"currency", "USD"},
                     {"display_status", o.status}});
  }
  return {{"id", o.id},
          {"status", o.status},
          {"user_id", o.buyer},
          {"buyer_message", o.buyer_message},
          {"create_time", o.create_time},
          {"update_time", o.update_time},
          {"payment",
           {{"currency", "USD"},
            {"sub_total", format_price(o.total_cents())},
            {"shipping_fee", "0.00"},
            {"seller_discount", "0.00"},
            {"platform_discount", "0.00"},
            {"total_amount", format_price(o.total_cents())}}},
          {"line_items", std::move(items)}};
}

// Derived from the control API's name for the person, so that the same person always gets the
// same ids (shaped like TikTok's: opaque, not the name).
std::string unique_identifier_of(const std::string& user) {
  return "uid." + crypto::hmac_sha256_hex("sandbox-unique-identifier", user).substr(0, 40);
}

std::string person_id_of(const std::string& user) {
  return "person." + crypto::hmac_sha256_hex("sandbox-person-id", user).substr(0, 32);
}

}  // namespace sparks::sandbox

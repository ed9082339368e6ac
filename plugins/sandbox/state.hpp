#pragma once
// Everything the emulated platforms know: accounts, grants (tokens), authorization codes,
// conversations, comments, sent messages, products, orders and the sandbox clock. Plain data; the
// rules live in the route files. Touched only on the sandbox's strand.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace sparks::sandbox {

// Unix seconds on the sandbox clock (the real clock plus whatever tests advanced it by).
using UnixSeconds = std::int64_t;

inline constexpr const char* kTikTok = "tiktok";
inline constexpr const char* kTikTokShop = "tiktok_shop";

struct Account {
  std::string id;           // fixed ids: "creator", "personal", "shop", "other-shop"
  std::string platform;     // kTikTok or kTikTokShop
  std::string type;         // "business", "personal" (TikTok) or "seller" (Shop)
  std::string business_id;  // empty when the account belongs to no business
  std::string name;         // display name (TikTok) or seller name (Shop)
  std::string username;     // TikTok handle
  std::string open_id;      // what the platform calls this account towards our app
  // Shop accounts only.
  std::string shop_id, shop_cipher, region;
};

struct Video {
  std::string id, account, title;
  UnixSeconds create_time = 0;
};

struct Sku {
  std::string id, seller_sku;
  std::int64_t price_cents = 0;
};

struct Product {
  std::string id, shop, title, status;
  std::vector<Sku> skus;
};

// One authorization of our app by an account; its tokens rotate on refresh.
struct Grant {
  std::string platform, account;
  std::vector<std::string> scopes;
  std::string access_token, refresh_token;
  UnixSeconds access_expires_at = 0, refresh_expires_at = 0;
  bool revoked = false;

  bool has_scope(const std::string& scope) const;
};

struct AuthorizationCode {
  std::string platform, account, redirect_uri;
  std::vector<std::string> scopes;
  UnixSeconds expires_at = 0;
};

// A user who commented or wrote to an account: the account may answer in this conversation.
struct Conversation {
  std::string id, account, user;
  UnixSeconds last_user_message_at = 0;
  int sent_since_user_message = 0;  // the account's messages since the user last wrote
};

struct Comment {
  std::string id, account, video_id, user, text, parent_comment_id;
  UnixSeconds create_time = 0;
};

struct SentMessage {
  std::string account, recipient, user, text, message_id;
  UnixSeconds sent_at = 0;
};

struct LineItem {
  std::string id, sku_id, product_id, product_name, seller_sku;
  std::int64_t price_cents = 0;
};

struct Order {
  std::string id, shop, buyer, status;
  std::string buyer_message;  // the note the buyer wrote at checkout
  UnixSeconds create_time = 0, update_time = 0;
  std::vector<LineItem> line_items;
  std::int64_t total_cents() const;
};

class State {
 public:
  State();  // seeded (seed.cpp)

  UnixSeconds now() const;
  void advance_clock(std::int64_t seconds) { clock_offset_ += seconds; }

  const Account* account(const std::string& id) const;
  const Account* account_by_open_id(const std::string& open_id) const;
  std::vector<const Account*> accounts_on(const std::string& platform) const;

  // Grants, indexed by both of their tokens.
  Grant& add_grant(Grant grant);
  Grant* grant_by_access_token(const std::string& token);
  Grant* grant_by_refresh_token(const std::string& token);
  // Replaces both tokens of `grant` (the old ones stop working).
  void rotate_tokens(Grant& grant, std::string access_token, std::string refresh_token);
  // Revokes every grant of `account`; returns how many were live.
  int revoke_account(const std::string& account);

  // Ids unique within this sandbox: "<prefix><n>".
  std::string next_id(const std::string& prefix);

  std::vector<Account> accounts;
  std::vector<Video> videos;
  std::vector<Product> products;
  std::map<std::string, AuthorizationCode> codes;  // by code
  std::vector<Grant> grants;
  std::map<std::string, Conversation> conversations;  // by conversation id
  std::vector<Comment> comments;
  std::vector<SentMessage> sent_messages;
  std::vector<Order> orders;
  // Shop webhook subscriptions (Update Shop Webhook): shop_id → event type → address.
  std::map<std::string, std::map<std::string, std::string>> shop_webhooks;

  Conversation& open_conversation(const std::string& account, const std::string& user);
  Conversation* conversation(const std::string& account, const std::string& id_or_user);
  const Sku* sku(const std::string& shop, const std::string& sku_id, const Product** product) const;

 private:
  std::int64_t clock_offset_ = 0;
  std::uint64_t id_counter_ = 0;
};

// Money as the platforms print it: "19.99".
std::string format_price(std::int64_t cents);

// Shapes shared by the platform API and the control API.
boost::json::object account_json(const Account& account);
boost::json::object product_json(const Product& product);
boost::json::object order_json(const Order& order);
boost::json::object comment_json(const Comment& comment);

}  // namespace sparks::sandbox

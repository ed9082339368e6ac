#pragma once
// Everything the emulated platforms know: accounts, grants (tokens), authorization codes,
// conversations, comments, messages both ways, products, orders and the sandbox clock. Plain data;
// the rules live in the route files. Touched only on the sandbox's strand.
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
  std::string id;           // fixed ids: "creator", "creator-eu", "personal", "shop", "other-shop"
  std::string platform;     // kTikTok or kTikTokShop
  std::string type;         // "business", "personal" (TikTok) or "seller" (Shop)
  std::string business_id;  // empty when the account belongs to no business
  std::string name;         // display name (TikTok) or seller name (Shop)
  std::string username;     // TikTok handle
  std::string open_id;      // what the platform calls this account towards our app
  // Shop accounts only.
  std::string shop_id, shop_cipher;
  std::string region;  // where the account is registered (ISO country code)
  // TikTok business accounts: Comment-to-Message switched on
  // (business/message/direct_reply/update/).
  bool comment_to_message = false;
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

// A person and an account's direct messages. The account may write only after the person wrote
// (last_user_message_at != 0); a Comment-to-Message reply creates the conversation without that.
struct Conversation {
  std::string id, account, user;
  UnixSeconds last_user_message_at = 0;      // 0: the person never wrote
  UnixSeconds last_business_message_at = 0;  // 0: the account never wrote
  int sent_since_user_message = 0;           // the account's messages since the person last wrote
};

// Visibility values of comment.update's comment_action other than insert and delete.
struct Comment {
  std::string id, account, video_id, user, text, parent_comment_id;
  UnixSeconds create_time = 0;
  bool deleted = false;
  std::string status = "PUBLIC";  // PUBLIC, HIDDEN or FRIENDS_ONLY (as comment/list reports it)
  bool high_intent = false;       // TikTok classified it so (im_receive_high_intent_comment)
  bool direct_replied = false;    // answered by a Comment-to-Message DM (once per comment)
  bool by_owner = false;          // a reply the account made (comment/reply/create)
};

struct SentMessage {
  std::string account, recipient_type, recipient, user, text, message_id;
  UnixSeconds sent_at = 0;
  std::string conversation_id;  // where it went (a direct reply opens one)
};

// A direct message the person wrote to the account (POST /sandbox/v1/messages).
struct ReceivedMessage {
  std::string account, conversation_id, user, text, message_id;
  UnixSeconds received_at = 0;
};

// The app's webhook subscription for one event type (business/webhook/update/).
struct WebhookSubscription {
  std::string event_type, callback_url;
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
  std::vector<ReceivedMessage> received_messages;
  std::vector<Order> orders;
  std::map<std::string, WebhookSubscription> webhook_subscriptions;  // by event type
  // Shop webhook subscriptions (Update Shop Webhook): shop_id → event type → address.
  std::map<std::string, std::map<std::string, std::string>> shop_webhooks;

  Account* mutable_account(const std::string& id);
  // The person wrote to the account: opens the conversation or reopens its window.
  Conversation& user_wrote(const std::string& account, const std::string& user);
  // The conversation of `account` with `user`, created (never written in) when there is none.
  Conversation& conversation_with(const std::string& account, const std::string& user);
  Conversation* conversation_by_id(const std::string& account, const std::string& id);
  Comment* comment(const std::string& account, const std::string& id);
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

// TikTok's ids for a person: `unique_identifier` is the same across comments and messages and
// every app; `person_id` is the id messaging events give in from_user.id.
std::string unique_identifier_of(const std::string& user);
std::string person_id_of(const std::string& user);

}  // namespace sparks::sandbox

// TikTok Business API: the account, its comments, and direct messages in open conversations.
// Answers use the Business API envelope {code, message, request_id, data}; like the real API an
// error is HTTP 200 with a non-zero code, except rate limiting (HTTP 429, code 40100).
#include <boost/json/parse.hpp>
#include <charconv>

#include "sandbox/context.hpp"

namespace sparks::sandbox {

namespace {

// Codes (docs/sandbox.md lists them).
constexpr int kOk = 0;
constexpr int kNoPermission = 40001;  // a scope is missing
constexpr int kInvalidParameter = 40002;
constexpr int kNotBusinessAccount = 40014;
constexpr int kNoConversation = 40060;            // the user never commented or wrote
constexpr int kConversationWindowClosed = 40061;  // 48 h since the user's last message
constexpr int kMessageLimitReached = 40062;       // 10 messages since the user's last message
constexpr int kRateLimited = 40100;
constexpr int kTokenExpired = 40102;
constexpr int kTokenMissing = 40104;
constexpr int kTokenInvalid = 40105;

constexpr UnixSeconds kConversationWindow = 48 * 60 * 60;
constexpr int kMessagesPerWindow = 10;

http::Response envelope(Context& context, int code, const std::string& message,
                        boost::json::object data = {}, int status = 200) {
  return http::Response::json(status, {{"code", code},
                                       {"message", message},
                                       {"request_id", context.request_id()},
                                       {"data", std::move(data)}});
}

// The caller's grant, or the error to answer with.
struct Caller {
  Grant* grant = nullptr;
  const Account* account = nullptr;
  std::optional<http::Response> error;
};

Caller authenticate(Context& context, const http::Request& request, const std::string& scope) {
  const auto token = request.header("Access-Token").value_or("");
  if (token.empty())
    return {.error = envelope(context, kTokenMissing, "Access-Token header is missing.")};
  Grant* grant = context.state.grant_by_access_token(token);
  if (grant == nullptr || grant->platform != kTikTok || grant->revoked) {
    return {.error =
                envelope(context, kTokenInvalid, "Access token is invalid or has been revoked.")};
  }
  if (grant->access_expires_at < context.state.now()) {
    return {.error = envelope(context, kTokenExpired, "Access token has expired.")};
  }
  if (context.over_rate_limit(token)) {
    return {.error =
                envelope(context, kRateLimited, "Too many requests. Please retry later.", {}, 429)};
  }
  if (!grant->has_scope(scope)) {
    return {.error = envelope(context, kNoPermission,
                              "No permission: the access token lacks the scope " + scope + ".")};
  }
  return {grant, context.state.account(grant->account), std::nullopt};
}

// business_id may name the account's business or its open_id; absent means the token's account.
bool business_matches(const Account& account, const std::string& business_id) {
  return business_id.empty() || business_id == account.open_id ||
         (!account.business_id.empty() && business_id == account.business_id);
}

http::Response get_business(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "user.info.basic");
  if (caller.error) return *caller.error;
  const Account& a = *caller.account;
  boost::json::object data{{"is_business_account", a.type == "business"},
                           {"username", a.username},
                           {"display_name", a.name},
                           {"open_id", a.open_id}};
  data["business_id"] =
      a.business_id.empty() ? boost::json::value(nullptr) : boost::json::value(a.business_id);
  return envelope(context, kOk, "OK", std::move(data));
}

std::optional<std::int64_t> int_param(const http::Request& request, const char* key,
                                      std::int64_t fallback) {
  const auto text = request.query_value(key);
  if (!text) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < 0) return std::nullopt;
  return value;
}

http::Response list_comments(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "comment.list");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount, "Only business accounts can use this API.");
  }
  if (!business_matches(account, request.query_value("business_id").value_or(""))) {
    return envelope(context, kInvalidParameter, "business_id does not match the access token.");
  }
  const auto cursor = int_param(request, "cursor", 0);
  const auto max_count = int_param(request, "max_count", 20);
  if (!cursor || !max_count || *max_count < 1 || *max_count > 50) {
    return envelope(context, kInvalidParameter,
                    "cursor must be a non-negative integer and max_count 1 to 50.");
  }
  const auto video_id = request.query_value("video_id").value_or("");

  std::vector<const Comment*> matching;
  for (const auto& c : context.state.comments) {
    if (c.account == account.id && (video_id.empty() || c.video_id == video_id)) {
      matching.push_back(&c);
    }
  }
  boost::json::array page;
  std::size_t next = static_cast<std::size_t>(*cursor);
  for (; next < matching.size() && page.size() < static_cast<std::size_t>(*max_count); ++next) {
    page.push_back(comment_json(*matching[next]));
  }
  return envelope(context, kOk, "OK",
                  {{"comments", std::move(page)},
                   {"cursor", static_cast<std::int64_t>(next)},
                   {"has_more", next < matching.size()}});
}

http::Response send_message(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.send");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount, "Only business accounts can send messages.");
  }
  boost::system::error_code ec;
  const auto json = boost::json::parse(request.body, ec);
  if (ec || !json.is_object())
    return envelope(context, kInvalidParameter, "The body must be a JSON object.");
  const auto& body = json.as_object();
  auto text_of = [&](const boost::json::object& o, const char* key) -> std::string {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  if (!business_matches(account, text_of(body, "business_id")) ||
      text_of(body, "business_id").empty()) {
    return envelope(context, kInvalidParameter,
                    "business_id is missing or does not match the access token.");
  }
  if (text_of(body, "recipient_type") != "CONVERSATION") {
    return envelope(context, kInvalidParameter, "recipient_type must be CONVERSATION.");
  }
  if (text_of(body, "message_type") != "TEXT") {
    return envelope(context, kInvalidParameter, "message_type must be TEXT.");
  }
  const auto* text = body.if_contains("text");
  const std::string message_body =
      text != nullptr && text->is_object() ? text_of(text->as_object(), "body") : "";
  if (message_body.empty() || message_body.size() > 6000) {
    return envelope(context, kInvalidParameter, "text.body must hold 1 to 6000 characters.");
  }
  const std::string recipient = text_of(body, "recipient");
  Conversation* conversation = context.state.conversation(account.id, recipient);
  if (recipient.empty() || conversation == nullptr) {
    return envelope(context, kNoConversation,
                    "No conversation with this recipient: the user must comment or write first.");
  }
  const UnixSeconds now = context.state.now();
  if (now > conversation->last_user_message_at + kConversationWindow) {
    return envelope(context, kConversationWindowClosed,
                    "The 48-hour window since the user's last message has closed.");
  }
  if (conversation->sent_since_user_message >= kMessagesPerWindow) {
    return envelope(context, kMessageLimitReached,
                    "At most 10 messages may be sent until the user writes again.");
  }
  ++conversation->sent_since_user_message;
  const std::string message_id = context.state.next_id("msg-");
  context.state.sent_messages.push_back(
      {account.id, recipient, conversation->user, message_body, message_id, now});
  return envelope(
      context, kOk, "OK",
      {{"message", {{"message_id", message_id}, {"conversation_id", conversation->id}}}});
}

}  // namespace

void add_tiktok_business_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/open_api/v1.3/business/get/", get_business);
  add_route(router, context, "GET", "/open_api/v1.3/business/comment/list/", list_comments);
  add_route(router, context, "POST", "/open_api/v1.3/business/message/send/", send_message);
}

}  // namespace sparks::sandbox

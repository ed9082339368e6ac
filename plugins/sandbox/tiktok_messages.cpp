// TikTok Business Messaging: business/message/send/ and the Comment-to-Message setting
// (business/message/direct_reply/update/ and get/). The platform's rules, refusals included:
// - to a CONVERSATION: only after the person wrote, at most 10 messages in the 48 hours after the
//   person's last message (each new message from the person reopens the window);
// - a direct_reply to a comment: Comment-to-Message enabled, a high-intent first-level comment
//   less than 48 hours old, once per comment, and no DM either way with that person in the past
//   24 hours;
// - nothing for accounts registered in the EEA, Switzerland or the UK, or personal accounts.
#include <variant>

#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

constexpr UnixSeconds kConversationWindow = 48 * 60 * 60;
constexpr UnixSeconds kDirectReplyWindow = 48 * 60 * 60;
constexpr UnixSeconds kDirectReplyQuiet = 24 * 60 * 60;  // no DM to the person in this long
constexpr int kMessagesPerWindow = 10;
constexpr std::size_t kMaxTextCharacters = 6000;

struct Outgoing {
  std::string recipient_type, recipient;
  Conversation* conversation = nullptr;
  Comment* comment = nullptr;  // a direct reply's comment
};

std::optional<http::Response> comment_to_message_refused(Context& context, const Account& account) {
  if (comment_to_message_offered(account.region)) return std::nullopt;
  return envelope(context, kNoPermission,
                  "The Comment-to-Message feature is only available for Business Accounts "
                  "registered in Vietnam, Indonesia, and Thailand.");
}

// A CONVERSATION recipient the rules let the account write to, or the refusal.
std::variant<Outgoing, http::Response> to_conversation(Context& context, const Account& account,
                                                       const std::string& recipient) {
  Conversation* conversation = context.state.conversation_by_id(account.id, recipient);
  const UnixSeconds now = context.state.now();
  if (conversation == nullptr || conversation->last_user_message_at == 0 ||
      now > conversation->last_user_message_at + kConversationWindow) {
    return envelope(context, kMessagingRule,
                    "The message cannot be sent: the user has not messaged you in the last 48 "
                    "hours.");
  }
  if (conversation->sent_since_user_message >= kMessagesPerWindow) {
    return envelope(context, kMessagingRule,
                    "The message cannot be sent: 10 messages were already sent since the user's "
                    "last message.");
  }
  return Outgoing{"CONVERSATION", recipient, conversation, nullptr};
}

// A Comment-to-Message reply the rules allow, or the refusal.
std::variant<Outgoing, http::Response> to_comment(Context& context, const Account& account,
                                                  const boost::json::object& direct_reply) {
  auto refuse = [&](const std::string& why) {
    return envelope(context, kMessagingRule, "The direct reply cannot be sent: " + why);
  };
  const auto* reply = direct_reply.if_contains("comment_reply");
  if (text_field(direct_reply, "reply_type") != "COMMENT_REPLY" || reply == nullptr ||
      !reply->is_object()) {
    return envelope(
        context, kInvalidParameter,
        "direct_reply must be {reply_type: COMMENT_REPLY, comment_reply: {comment_id}}.");
  }
  if (!account.comment_to_message) return refuse("Comment-to-Message is not enabled.");
  Comment* comment =
      context.state.comment(account.id, text_field(reply->as_object(), "comment_id"));
  if (comment == nullptr || comment->deleted) return refuse("the comment does not exist.");
  if (!comment->parent_comment_id.empty()) return refuse("only first-level comments qualify.");
  if (!comment->high_intent) return refuse("the comment is not a high-intent comment.");
  if (comment->direct_replied) return refuse("the comment was already replied to by message.");
  const UnixSeconds now = context.state.now();
  if (now > comment->create_time + kDirectReplyWindow) {
    return refuse("the comment is more than 48 hours old.");
  }
  Conversation& conversation = context.state.conversation_with(account.id, comment->user);
  auto recent = [&](UnixSeconds at) { return at != 0 && now < at + kDirectReplyQuiet; };
  if (recent(conversation.last_business_message_at) || recent(conversation.last_user_message_at)) {
    return refuse("the business and the user exchanged messages in the past 24 hours.");
  }
  return Outgoing{"COMMENT", comment->id, &conversation, comment};
}

// {business_id, recipient_type: CONVERSATION, recipient, message_type: TEXT, text: {body}}, or
// {business_id, direct_reply: {reply_type: COMMENT_REPLY, comment_reply: {comment_id}}, …}
http::Response send_message(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.send");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused = messaging_refused(context, account)) return *refused;
  const auto body = json_body(request);
  if (!body) return envelope(context, kInvalidParameter, "The body must be a JSON object.");
  if (auto refused = business_id_refused(context, account, text_field(*body, "business_id")))
    return *refused;
  if (text_field(*body, "message_type") != "TEXT") {
    return envelope(context, kInvalidParameter,
                    "message_type must be TEXT (the sandbox sends text).");
  }
  const auto* text = body->if_contains("text");
  const std::string message_body =
      text != nullptr && text->is_object() ? text_field(text->as_object(), "body") : "";
  if (message_body.empty() || character_count(message_body) > kMaxTextCharacters) {
    return envelope(context, kInvalidParameter, "text.body must hold 1 to 6000 characters.");
  }
  const auto* direct_reply = body->if_contains("direct_reply");
  std::variant<Outgoing, http::Response> outgoing = http::Response{};
  if (direct_reply != nullptr) {
    if (body->contains("recipient_type") || body->contains("recipient") ||
        !direct_reply->is_object()) {
      return envelope(context, kInvalidParameter,
                      "direct_reply is an object and excludes recipient_type and recipient.");
    }
    outgoing = to_comment(context, account, direct_reply->as_object());
  } else if (text_field(*body, "recipient_type") != "CONVERSATION") {
    return envelope(context, kInvalidParameter, "recipient_type must be CONVERSATION.");
  } else {
    outgoing = to_conversation(context, account, text_field(*body, "recipient"));
  }
  if (auto* refusal = std::get_if<http::Response>(&outgoing)) return std::move(*refusal);
  auto& sending = std::get<Outgoing>(outgoing);
  const UnixSeconds now = context.state.now();
  ++sending.conversation->sent_since_user_message;
  sending.conversation->last_business_message_at = now;
  if (sending.comment != nullptr) sending.comment->direct_replied = true;
  const std::string message_id = context.state.next_id("msg-");
  context.state.sent_messages.push_back({account.id, sending.recipient_type, sending.recipient,
                                         sending.conversation->user, message_body, message_id, now,
                                         sending.conversation->id});
  return envelope(
      context, kOk, "OK",
      {{"message", {{"message_id", message_id}, {"conversation_id", sending.conversation->id}}}});
}

// {business_id, direct_reply_type: COMMENT_TO_MESSAGE, operation_status: ENABLE | DISABLE}
http::Response update_direct_reply(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.send");
  if (caller.error) return *caller.error;
  Account& account = *caller.account;
  if (auto refused = messaging_refused(context, account)) return *refused;
  const auto body = json_body(request);
  if (auto refused =
          business_id_refused(context, account, body ? text_field(*body, "business_id") : ""))
    return *refused;
  const auto status = text_field(*body, "operation_status");
  if (text_field(*body, "direct_reply_type") != "COMMENT_TO_MESSAGE" ||
      (status != "ENABLE" && status != "DISABLE")) {
    return envelope(context, kInvalidParameter,
                    "direct_reply_type must be COMMENT_TO_MESSAGE and operation_status ENABLE or "
                    "DISABLE.");
  }
  if (auto refused = comment_to_message_refused(context, account)) return *refused;
  account.comment_to_message = status == "ENABLE";
  return envelope(context, kOk, "OK");
}

// ?business_id&direct_reply_type=COMMENT_TO_MESSAGE
http::Response get_direct_reply(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.read");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused = messaging_refused(context, account)) return *refused;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  if (request.query_value("direct_reply_type").value_or("") != "COMMENT_TO_MESSAGE") {
    return envelope(context, kInvalidParameter, "direct_reply_type must be COMMENT_TO_MESSAGE.");
  }
  if (auto refused = comment_to_message_refused(context, account)) return *refused;
  return envelope(context, kOk, "OK",
                  {{"business_id", account.open_id},
                   {"direct_reply_type", "COMMENT_TO_MESSAGE"},
                   {"operation_status", account.comment_to_message ? "ENABLE" : "DISABLE"}});
}

}  // namespace

void add_tiktok_message_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/open_api/v1.3/business/message/send/", send_message);
  add_route(router, context, "POST", "/open_api/v1.3/business/message/direct_reply/update/",
            update_direct_reply);
  add_route(router, context, "GET", "/open_api/v1.3/business/message/direct_reply/get/",
            get_direct_reply);
}

}  // namespace sparks::sandbox

// TikTok Business Messaging, reading a conversation: business/message/content/list/ (scope
// message.list.read; business_id and conversation_id required). It lists both sides: what the
// person wrote (control API POST /sandbox/v1/messages) and what the account sent
// (business/message/send/), oldest first, in the shapes of the TikTok Business SDK's message and
// participant models (tests/data/platforms/tiktok/business_message_content_list.response.json).
// Counted in the rate limits like every other endpoint; refused where messaging is not offered.
#include <algorithm>

#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

boost::json::object business_participant(const Account& account) {
  return {{"role", "BUSINESS_ACCOUNT"},
          {"id", account.open_id},
          {"display_name", account.name},
          {"profile_image", "https://p16.tiktokcdn.com/sandbox/" + account.id + ".jpeg"}};
}

boost::json::object person_participant(const std::string& user) {
  return {{"role", "PERSONAL_ACCOUNT"},
          {"id", person_id_of(user)},
          {"display_name", user},
          {"profile_image", "https://p16.tiktokcdn.com/sandbox/" + user + ".jpeg"}};
}

// One message of the conversation: `from_business` says which way it went.
struct Line {
  UnixSeconds at = 0;
  std::string message_id, text;
  bool from_business = false;
};

boost::json::object message_json(const Account& account, const Conversation& conversation,
                                 const Line& line) {
  auto business = business_participant(account);
  auto person = person_participant(conversation.user);
  return {{"sender", line.from_business ? account.username : conversation.user},
          {"recipient", line.from_business ? conversation.user : account.username},
          {"conversation_id", conversation.id},
          {"message_id", line.message_id},
          {"timestamp", line.at * 1000},
          {"message_tag", {{"source", line.from_business ? "API" : "APP"}}},
          {"message_type", "TEXT"},
          {"text", {{"body", line.text}}},
          {"from_user", line.from_business ? business : person},
          {"to_user", line.from_business ? person : business}};
}

// ?business_id&conversation_id
http::Response list_message_content(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.read");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  if (auto refused = messaging_refused(context, account)) return *refused;
  const auto conversation_id = request.query_value("conversation_id").value_or("");
  if (conversation_id.empty()) {
    return envelope(context, kInvalidParameter,
                    "conversation_id: Missing data for required field.");
  }
  const Conversation* conversation = context.state.conversation_by_id(account.id, conversation_id);
  if (conversation == nullptr) {
    return envelope(context, kInvalidParameter, "Param conversation_id is invalid.");
  }
  std::vector<Line> lines;
  for (const auto& m : context.state.received_messages) {
    if (m.account == account.id && m.conversation_id == conversation->id)
      lines.push_back({m.received_at, m.message_id, m.text, false});
  }
  for (const auto& m : context.state.sent_messages) {
    if (m.account == account.id && m.conversation_id == conversation->id)
      lines.push_back({m.sent_at, m.message_id, m.text, true});
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.at < b.at; });
  boost::json::array messages;
  for (const auto& line : lines) messages.push_back(message_json(account, *conversation, line));
  auto person = person_participant(conversation->user);
  person["is_follower"] = false;  // only a personal account's participant says it
  return envelope(context, kOk, "OK",
                  {{"messages", std::move(messages)},
                   {"participants", {business_participant(account), std::move(person)}}});
}

}  // namespace

void add_tiktok_message_content_routes(http::Router& router,
                                       const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/open_api/v1.3/business/message/content/list/",
            list_message_content);
}

}  // namespace sparks::sandbox

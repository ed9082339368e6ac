// The control API's TikTok side (/sandbox/v1/…): a person comments on a post (comment.update,
// and im_receive_high_intent_comment when TikTok would judge the comment high-intent and the
// account has Comment-to-Message on), edits, deletes or changes the visibility of a comment, or
// writes to the account (im_receive_msg); and what the account sent: DMs and comment replies.
// Webhook contents are shaped as tests/data/platforms/tiktok/webhook_*.json show them.
#include <algorithm>
#include <cctype>

#include "sandbox/control_helpers.hpp"
#include "sandbox/tiktok_api.hpp"
#include "sandbox/tiktok_shapes.hpp"
#include "sandbox/webhooks.hpp"

namespace sparks::sandbox {

namespace {

using tiktok::json_body;
using tiktok::text_field;

const Account* tiktok_account(Context& context, const std::string& id) {
  const Account* account = context.state.account(id);
  return account != nullptr && account->platform == kTikTok ? account : nullptr;
}

// An id as TikTok puts it in comment.update: a JSON number when it is one.
boost::json::value json_id(const std::string& id) {
  const bool numeric =
      !id.empty() && id.size() <= 18 &&
      std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
  return numeric ? boost::json::value(std::stoll(id)) : boost::json::value(id);
}

// The sandbox's stand-in for TikTok's own classifier: a comment asking about price, buying or
// where to get the thing is high-intent (docs/sandbox.md lists the words).
bool sounds_high_intent(const std::string& text) {
  static const std::vector<std::string> cues = {
      "price", "how much",  "cost", "buy", "purchase", "order", "link",
      "where", "available", "ship", "giá", "harga",    "ราคา"};
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(cues.begin(), cues.end(),
                     [&](const std::string& cue) { return lower.find(cue) != std::string::npos; });
}

void emit_comment_update(Context& context, const Comment& comment, const std::string& action) {
  boost::json::object content{{"comment_id", json_id(comment.id)},
                              {"video_id", json_id(comment.video_id)}};
  if (!comment.parent_comment_id.empty()) {
    content["parent_comment_id"] = json_id(comment.parent_comment_id);
  }
  content["comment_type"] = comment.parent_comment_id.empty() ? "comment" : "reply";
  content["comment_action"] = action;
  content["unique_identifier"] = unique_identifier_of(comment.user);
  content["timestamp"] = context.state.now();
  content["text"] = comment.text;
  emit_tiktok_webhook(context, "comment.update", context.state.account(comment.account)->open_id,
                      content);
}

// The person and the business as messaging events name them.
void add_parties(boost::json::object& content, const Account& account, const std::string& user) {
  content["from"] = user;
  content["from_user"] = {{"id", person_id_of(user)}, {"role", "personal_account"}};
  content["to"] = account.username;
  content["to_user"] = {{"id", account.open_id}, {"role", "business_account"}};
  content["unique_identifier"] = unique_identifier_of(user);
  content["is_follower"] = false;
}

void emit_high_intent_comment(Context& context, const Account& account, const Comment& comment) {
  boost::json::object content{{"comment_id", comment.id},
                              {"comment_text", comment.text},
                              {"timestamp", context.state.now() * 1000}};
  add_parties(content, account, comment.user);
  emit_tiktok_webhook(context, "im_receive_high_intent_comment", account.open_id, content);
}

// {account, video_id, user, text, parent_comment_id?, high_intent?}
http::Response post_comment(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  const Account* account = tiktok_account(context, text_field(*body, "account"));
  if (account == nullptr) {
    return not_found("no TikTok account \"" + text_field(*body, "account") + "\"");
  }
  const auto video_id = text_field(*body, "video_id");
  bool video_found = false;
  for (const auto& v : context.state.videos)
    video_found |= v.id == video_id && v.account == account->id;
  if (!video_found) {
    return not_found("account " + account->id + " has no video \"" + video_id + "\"");
  }
  const auto user = text_field(*body, "user");
  const auto comment_text = text_field(*body, "text");
  if (user.empty() || comment_text.empty()) {
    return bad_request("\"user\" and \"text\" are required");
  }
  const auto parent = text_field(*body, "parent_comment_id");
  if (!parent.empty() && context.state.comment(account->id, parent) == nullptr) {
    return not_found("no comment \"" + parent + "\" on account " + account->id);
  }
  const auto* given = body->if_contains("high_intent");
  if (given != nullptr && !given->is_bool()) return bad_request("\"high_intent\" must be a bool");

  Comment comment{context.state.next_id(tiktok::kCommentIdPrefix),
                  account->id,
                  video_id,
                  user,
                  comment_text,
                  parent,
                  context.state.now()};
  comment.high_intent =
      parent.empty() && (given != nullptr ? given->as_bool() : sounds_high_intent(comment_text));
  context.state.comments.push_back(comment);
  emit_comment_update(context, comment, "insert");
  const bool high_intent_event = comment.high_intent && account->comment_to_message &&
                                 tiktok::comment_to_message_offered(account->region);
  if (high_intent_event) emit_high_intent_comment(context, *account, comment);
  auto json = tiktok::comment_json(context, comment);
  json["high_intent"] = comment.high_intent;
  json["high_intent_event"] = high_intent_event;
  return http::Response::json(201, {{"comment", std::move(json)}});
}

Comment* comment_by_id(Context& context, const std::string& id) {
  for (auto& c : context.state.comments) {
    if (c.id == id && !c.deleted) return &c;
  }
  return nullptr;
}

// PATCH {text}: TikTok publishes no edit action; comment.update says "edit", which receivers
// must acknowledge like any action that is not an insert.
http::Response edit_comment(Context& context, const http::Request& request) {
  Comment* comment = comment_by_id(context, request.params.at("id"));
  if (comment == nullptr) return not_found("no comment \"" + request.params.at("id") + "\"");
  auto body = json_body(request);
  if (!body || text_field(*body, "text").empty()) return bad_request("the body must be {text}");
  comment->text = text_field(*body, "text");
  emit_comment_update(context, *comment, "edit");
  return http::Response::json(200, {{"comment", tiktok::comment_json(context, *comment)}});
}

http::Response delete_comment(Context& context, const http::Request& request) {
  Comment* comment = comment_by_id(context, request.params.at("id"));
  if (comment == nullptr) return not_found("no comment \"" + request.params.at("id") + "\"");
  comment->deleted = true;
  emit_comment_update(context, *comment, "delete");
  return http::Response::json(200, {{"deleted", comment->id}});
}

// {visibility: hidden | friends_only | public} → comment_action set_to_<visibility>
http::Response set_comment_visibility(Context& context, const http::Request& request) {
  Comment* comment = comment_by_id(context, request.params.at("id"));
  if (comment == nullptr) return not_found("no comment \"" + request.params.at("id") + "\"");
  auto body = json_body(request);
  const auto visibility = body ? text_field(*body, "visibility") : "";
  if (visibility != "hidden" && visibility != "friends_only" && visibility != "public") {
    return bad_request("\"visibility\" must be hidden, friends_only or public");
  }
  comment->status = visibility == "public"   ? "PUBLIC"
                    : visibility == "hidden" ? "HIDDEN"
                                             : "FRIENDS_ONLY";
  emit_comment_update(context, *comment, "set_to_" + visibility);
  return http::Response::json(200, {{"comment", tiktok::comment_json(context, *comment)}});
}

// {account, user, text}: the person writes to the account, opening or reopening the window.
http::Response post_message(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  const Account* account = tiktok_account(context, text_field(*body, "account"));
  if (account == nullptr) {
    return not_found("no TikTok account \"" + text_field(*body, "account") + "\"");
  }
  const auto user = text_field(*body, "user");
  const auto message_text = text_field(*body, "text");
  if (user.empty() || message_text.empty()) {
    return bad_request("\"user\" and \"text\" are required");
  }
  const Conversation& conversation = context.state.user_wrote(account->id, user);
  const std::string message_id = context.state.next_id("msg-");
  context.state.received_messages.push_back(
      {account->id, conversation.id, user, message_text, message_id, context.state.now()});
  boost::json::object content{{"conversation_id", conversation.id},
                              {"message_id", message_id},
                              {"timestamp", context.state.now() * 1000},
                              {"type", "text"},
                              {"text", {{"body", message_text}}}};
  add_parties(content, *account, user);
  emit_tiktok_webhook(context, "im_receive_msg", account->open_id, content);
  return http::Response::json(
      201, {{"message", {{"message_id", message_id}, {"conversation_id", conversation.id}}}});
}

http::Response get_sent_messages(Context& context, const http::Request& request) {
  const auto account = request.query_value("account").value_or("");
  boost::json::array messages;
  for (const auto& m : context.state.sent_messages) {
    if (!account.empty() && m.account != account) continue;
    messages.push_back({{"account", m.account},
                        {"recipient_type", m.recipient_type},
                        {"recipient", m.recipient},
                        {"user", m.user},
                        {"text", m.text},
                        {"message_id", m.message_id},
                        {"sent_at", m.sent_at}});
  }
  return http::Response::json(200, {{"messages", std::move(messages)}});
}

http::Response get_comment_replies(Context& context, const http::Request& request) {
  const auto account = request.query_value("account").value_or("");
  boost::json::array replies;
  for (const auto& c : context.state.comments) {
    if (!c.by_owner || (!account.empty() && c.account != account)) continue;
    replies.push_back({{"account", c.account},
                       {"comment_id", c.id},
                       {"parent_comment_id", c.parent_comment_id},
                       {"video_id", c.video_id},
                       {"text", c.text},
                       {"created_at", c.create_time}});
  }
  return http::Response::json(200, {{"replies", std::move(replies)}});
}

}  // namespace

void add_tiktok_control_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/sandbox/v1/comments", post_comment);
  add_route(router, context, "PATCH", "/sandbox/v1/comments/{id}", edit_comment);
  add_route(router, context, "DELETE", "/sandbox/v1/comments/{id}", delete_comment);
  add_route(router, context, "POST", "/sandbox/v1/comments/{id}/visibility",
            set_comment_visibility);
  add_route(router, context, "POST", "/sandbox/v1/messages", post_message);
  add_route(router, context, "GET", "/sandbox/v1/sent-messages", get_sent_messages);
  add_route(router, context, "GET", "/sandbox/v1/comment-replies", get_comment_replies);
}

}  // namespace sparks::sandbox

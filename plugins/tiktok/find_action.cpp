// find_action: whether a DM or a comment reply the engine started, but never heard back from,
// reached TikTok. The engine asks after a restart, for a step that was in flight when the process
// stopped (docs/plugin-authors.md, "find_action"), so that a person gets the message once.
//
// - tiktok.send_dm to a conversation: the conversation's messages
//   (GET /business/message/content/list/) hold one the business sent with the same text at or
//   after the call started.
// - tiktok.reply_comment: the comment's replies (GET /business/comment/reply/list/, newest first)
//   hold one by the account with the same text at or after the call started.
// - A Comment-to-Message DM (a direct_reply to a comment) cannot be looked up: TikTok lists a
//   conversation by its id, and the send never got far enough to tell us which one it opened.
#include <cctype>
#include <memory>

#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using sparks::plugin::Done;

constexpr int kMaxReplyPages = 10;  // 10 × 30 replies since the call started: a bound

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// A message of the business account: from_user.role is BUSINESS_ACCOUNT, or from_user.id is the
// account's business_id (the SDK's participant model says the two agree).
bool sent_by_business(const json::object& message, const std::string& business_id) {
  const json::object from = connectors::object_at(message, "from_user");
  return same_text_ignoring_case(connectors::text(from, "role"), "BUSINESS_ACCOUNT") ||
         (!business_id.empty() && connectors::text(from, "id") == business_id);
}

std::string not_found() {
  return json::serialize(json::object{{"found", false}});
}

std::string found(json::object result) {
  return json::serialize(json::object{{"found", true}, {"result", std::move(result)}});
}

// The reply walk's state, page after page.
struct ReplyWalk {
  std::string integration, business_id, access_token, video_id, comment_id, text;
  std::int64_t since = 0;
  std::string cursor;
  int pages = 0;
};

void read_reply_page(const BusinessApi& api, std::shared_ptr<ReplyWalk> walk, const Done& done) {
  Params query{{"business_id", walk->business_id},
               {"video_id", walk->video_id},
               {"comment_id", walk->comment_id},
               {"sort_field", "create_time"},
               {"sort_type", "desc"},
               {"max_count", "30"}};
  if (!walk->cursor.empty()) query.emplace_back("cursor", walk->cursor);
  api.call_data(
      walk->integration,
      {.method = "GET",
       .path = "/business/comment/reply/list/",
       .query = std::move(query),
       .access_token = walk->access_token},
      done, [api, walk, done](const json::object& data) {
        bool older_seen = false;
        for (const json::value& r : connectors::array_at(data, "comments")) {
          if (!r.is_object()) continue;
          const json::object& reply = r.as_object();
          const std::int64_t at =
              unix_seconds(connectors::integer(reply, "create_time").value_or(0));
          if (at < walk->since) {
            older_seen = true;
            continue;
          }
          if (connectors::boolean(reply, "owner") && connectors::text(reply, "text") == walk->text)
            return done.ok(found({{"comment_id", connectors::text(reply, "comment_id")}}));
        }
        const std::string next = connectors::text(data, "cursor");
        const bool advances = !next.empty() && next != walk->cursor;
        // Newest first: past a reply older than the call, none can be the one.
        if (older_seen || !connectors::boolean(data, "has_more") || !advances)
          return done.ok(not_found());
        if (++walk->pages >= kMaxReplyPages)
          return done.fail(SPARKS_ERR_UNAVAILABLE,
                           "tiktok.reply_comment: more replies since the call than can be read; "
                           "whether it took effect is unknown");
        walk->cursor = next;
        read_reply_page(api, walk, done);
      });
}

}  // namespace

void find_sent_dm(const BusinessApi& api, const std::string& integration,
                  const json::object& credentials, const json::object& params, std::int64_t since,
                  const Done& done) {
  const std::string conversation = connectors::text(params, "conversation_id");
  if (conversation.empty())
    return done.fail(SPARKS_ERR_UNSUPPORTED,
                     "tiktok.send_dm: TikTok offers no way to look up a Comment-to-Message reply");
  const std::string text = connectors::text(params, "text");
  const std::string business_id = connectors::text(credentials, "account_id");
  api.call_data(
      integration,
      {.method = "GET",
       .path = "/business/message/content/list/",
       .query = {{"business_id", business_id}, {"conversation_id", conversation}},
       .access_token = connectors::text(credentials, "access_token")},
      done, [done, conversation, text, business_id, since](const json::object& data) {
        for (const json::value& m : connectors::array_at(data, "messages")) {
          if (!m.is_object()) continue;
          const json::object& message = m.as_object();
          const std::string type = connectors::text(message, "message_type");
          const std::int64_t at_ms = connectors::integer(message, "timestamp").value_or(0);
          if (!sent_by_business(message, business_id) || at_ms < since * 1000 ||
              (!type.empty() && type != "TEXT") ||
              connectors::text(connectors::object_at(message, "text"), "body") != text)
            continue;
          std::string in_conversation = connectors::text(message, "conversation_id");
          if (in_conversation.empty()) in_conversation = conversation;
          return done.ok(found({{"conversation_id", in_conversation},
                                {"message_id", connectors::text(message, "message_id")}}));
        }
        done.ok(not_found());
      });
}

void find_comment_reply(const BusinessApi& api, const std::string& integration,
                        const json::object& credentials, const json::object& params,
                        std::int64_t since, const Done& done) {
  auto walk = std::make_shared<ReplyWalk>();
  walk->integration = integration;
  walk->business_id = connectors::text(credentials, "account_id");
  walk->access_token = connectors::text(credentials, "access_token");
  walk->video_id = connectors::text(params, "video_id");
  walk->comment_id = connectors::text(params, "comment_id");
  walk->text = connectors::text(params, "text");
  walk->since = since;
  if (walk->video_id.empty() || walk->comment_id.empty())
    return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                     "tiktok.reply_comment needs comment_id and video_id to be looked up");
  read_reply_page(api, walk, done);
}

}  // namespace sparks::tiktok

// TikTok API for Business, comments on the account's posts: business/comment/list/ (scope
// comment.list; video_id required; max_count 1–30; pages may come back short while has_more is
// true, as the platform's filtering does; past the 500th comment pages may repeat one),
// business/comment/reply/list/ (a comment's replies, paged the same way) and
// business/comment/reply/create/ (scope comment.list.manage; text up to 1,200 characters).
#include <algorithm>

#include "sandbox/tiktok_api.hpp"
#include "sandbox/tiktok_shapes.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

constexpr std::size_t kDedupedComments = 500;  // past this, the platform may repeat comments
constexpr std::size_t kMaxReplyCharacters = 1200;

const Video* video_of(Context& context, const Account& account, const std::string& video_id) {
  for (const auto& v : context.state.videos) {
    if (v.id == video_id && v.account == account.id) return &v;
  }
  return nullptr;
}

// The page of `comments` from `cursor`: max_count slots, deleted comments taking a slot but not
// shown (so a page can be short while has_more is true).
http::Response comment_page(Context& context, const std::vector<const Comment*>& comments,
                            std::size_t cursor, std::size_t max_count, bool public_only) {
  boost::json::array page;
  std::size_t next = cursor, slots = 0;
  for (; next < comments.size() && slots < max_count; ++next, ++slots) {
    const Comment& c = *comments[next];
    if (c.deleted || (public_only && c.status != "PUBLIC")) continue;
    page.push_back(comment_json(context, c));
  }
  // Past the first 500 the platform stops de-duplicating: the next page repeats this one's last.
  if (next > kDedupedComments && page.size() >= 2) --next;
  return envelope(context, kOk, "OK",
                  {{"comments", std::move(page)},
                   {"cursor", static_cast<std::int64_t>(next)},
                   {"has_more", next < comments.size()}});
}

// ?business_id&video_id&cursor&max_count&status (PUBLIC | ALL)
http::Response list_comments(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "comment.list");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount, "Only business accounts can use this API.");
  }
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  const auto video_id = request.query_value("video_id").value_or("");
  if (video_id.empty()) {
    return envelope(context, kInvalidParameter, "video_id: Missing data for required field.");
  }
  if (video_of(context, account, video_id) == nullptr) {
    return envelope(context, kInvalidParameter, "video_id is not a post of this account.");
  }
  const auto cursor = int_param(request, "cursor", 0);
  const auto max_count = int_param(request, "max_count", 20);
  if (!cursor || !max_count || *max_count < 1 || *max_count > 30) {
    return envelope(context, kInvalidParameter,
                    "cursor must be a non-negative integer and max_count 1 to 30.");
  }
  const auto status = request.query_value("status").value_or("ALL");
  if (status != "ALL" && status != "PUBLIC") {
    return envelope(context, kInvalidParameter, "status must be PUBLIC or ALL.");
  }
  std::vector<const Comment*> comments;
  for (const auto& c : context.state.comments) {
    if (c.account == account.id && c.video_id == video_id) comments.push_back(&c);
  }
  return comment_page(context, comments, static_cast<std::size_t>(*cursor),
                      static_cast<std::size_t>(*max_count), status == "PUBLIC");
}

// ?business_id&video_id&comment_id&cursor&max_count&status (PUBLIC | ALL)&sort_field&sort_type:
// the replies in the thread of comment_id. Sorted by create_time when asked (asc or desc, newest
// first among equal times for desc), else in the order they were made ("smart").
http::Response list_replies(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "comment.list");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount, "Only business accounts can use this API.");
  }
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  const auto video_id = request.query_value("video_id").value_or("");
  const auto comment_id = request.query_value("comment_id").value_or("");
  if (video_id.empty() || comment_id.empty()) {
    return envelope(context, kInvalidParameter,
                    std::string(video_id.empty() ? "video_id" : "comment_id") +
                        ": Missing data for required field.");
  }
  const Comment* parent = context.state.comment(account.id, comment_id);
  if (video_of(context, account, video_id) == nullptr || parent == nullptr || parent->deleted ||
      parent->video_id != video_id) {
    return envelope(context, kInvalidParameter,
                    "comment_id is not a comment on this post (video_id).");
  }
  const auto cursor = int_param(request, "cursor", 0);
  const auto max_count = int_param(request, "max_count", 20);
  const auto status = request.query_value("status").value_or("ALL");
  const auto sort_field = request.query_value("sort_field").value_or("");
  const auto sort_type = request.query_value("sort_type").value_or("smart");
  if (!cursor || !max_count || *max_count < 1 || *max_count > 30 ||
      (status != "ALL" && status != "PUBLIC") ||
      (!sort_field.empty() && sort_field != "likes" && sort_field != "replies" &&
       sort_field != "create_time") ||
      (sort_type != "asc" && sort_type != "desc" && sort_type != "smart")) {
    return envelope(context, kInvalidParameter,
                    "cursor must be a non-negative integer, max_count 1 to 30, status PUBLIC or "
                    "ALL, sort_field likes, replies or create_time, sort_type asc, desc or smart.");
  }
  const std::string thread =
      parent->parent_comment_id.empty() ? parent->id : parent->parent_comment_id;
  std::vector<const Comment*> replies;
  for (const auto& c : context.state.comments) {
    if (c.account == account.id && c.parent_comment_id == thread) replies.push_back(&c);
  }
  if (sort_field == "create_time" && sort_type != "smart") {
    const bool newest_first = sort_type == "desc";
    if (newest_first) std::reverse(replies.begin(), replies.end());
    std::stable_sort(replies.begin(), replies.end(), [&](const Comment* a, const Comment* b) {
      return newest_first ? a->create_time > b->create_time : a->create_time < b->create_time;
    });
  }
  return comment_page(context, replies, static_cast<std::size_t>(*cursor),
                      static_cast<std::size_t>(*max_count), status == "PUBLIC");
}

// {business_id, video_id, comment_id, text}
http::Response create_reply(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "comment.list.manage");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount, "Only business accounts can use this API.");
  }
  const auto body = json_body(request);
  if (!body) return envelope(context, kInvalidParameter, "The body must be a JSON object.");
  if (auto refused = business_id_refused(context, account, text_field(*body, "business_id")))
    return *refused;
  const auto video_id = text_field(*body, "video_id");
  const Comment* parent = context.state.comment(account.id, text_field(*body, "comment_id"));
  if (parent == nullptr || parent->deleted || parent->video_id != video_id) {
    return envelope(context, kInvalidParameter,
                    "comment_id is not a comment on this post (video_id).");
  }
  const auto text = text_field(*body, "text");
  const auto length = character_count(text);
  if (length == 0 || length > kMaxReplyCharacters) {
    return envelope(context, kInvalidParameter, "text must hold 1 to 1200 characters.");
  }
  // A reply to a reply joins the thread of its first-level comment.
  const std::string thread =
      parent->parent_comment_id.empty() ? parent->id : parent->parent_comment_id;
  Comment reply{context.state.next_id(kCommentIdPrefix),
                account.id,
                video_id,
                account.username,
                text,
                thread,
                context.state.now()};
  reply.by_owner = true;
  context.state.comments.push_back(reply);
  return envelope(context, kOk, "OK",
                  {{"comment_id", reply.id},
                   {"parent_comment_id", reply.parent_comment_id},
                   {"video_id", reply.video_id},
                   {"create_time", std::to_string(reply.create_time)},
                   {"text", reply.text},
                   {"unique_identifier", unique_identifier_of(account.username)},
                   {"user_id", person_id_of(account.username)}});
}

}  // namespace

void add_tiktok_comment_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/open_api/v1.3/business/comment/list/", list_comments);
  add_route(router, context, "GET", "/open_api/v1.3/business/comment/reply/list/", list_replies);
  add_route(router, context, "POST", "/open_api/v1.3/business/comment/reply/create/", create_reply);
}

}  // namespace sparks::sandbox

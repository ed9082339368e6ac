// The comment sync. TikTok lists comments per video (GET /business/comment/list/ needs video_id),
// so the sync walks the account's videos (GET /business/video/list/) and answers one video's
// comments per page. Within a video it follows has_more even when a page is short (TikTok filters
// pages), and drops repeats by comment id (past 500 comments the list re-sorts and repeats).
//
// The cursor handed to the engine is opaque JSON text: {"videos_cursor", "more_videos", "pending"}
// — where the video list goes on, and the videos of the current page not read yet.
#include <memory>
#include <set>

#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using sparks::plugin::Done;

constexpr int kMaxCommentPagesPerVideo = 60;  // 60 × 30: a bound, whatever the platform answers

struct SyncCursor {
  std::string videos_cursor;  // "" on the first page of the video list
  bool more_videos = true;
  std::vector<std::string> pending;
};

SyncCursor parse_cursor(const std::string& text) {
  SyncCursor cursor;
  if (text.empty()) return cursor;
  const json::object in = connectors::parse_object(text, "the comment sync's cursor");
  cursor.videos_cursor = connectors::text(in, "videos_cursor");
  cursor.more_videos = connectors::boolean(in, "more_videos");
  cursor.pending = connectors::strings(in, "pending");
  return cursor;
}

// The answer: the items, and a next_cursor while videos remain.
void answer(const SyncCursor& cursor, json::array items, const Done& done) {
  json::object page{{"items", std::move(items)}};
  if (!cursor.pending.empty() || cursor.more_videos)
    page["next_cursor"] =
        json::serialize(json::object{{"videos_cursor", cursor.videos_cursor},
                                     {"more_videos", cursor.more_videos},
                                     {"pending", connectors::array_of(cursor.pending)}});
  done.ok(json::serialize(page));
}

json::object comment_item(const json::object& comment, const std::string& video_id) {
  std::string video = connectors::text(comment, "video_id");
  return {{"id", connectors::text(comment, "comment_id")},
          {"comment_id", connectors::text(comment, "comment_id")},
          {"create_time", unix_seconds(connectors::integer(comment, "create_time").value_or(0))},
          {"video_id", video.empty() ? video_id : video},
          {"parent_comment_id", connectors::text(comment, "parent_comment_id")},
          {"text", connectors::text(comment, "text")},
          {"user", connectors::text(comment, "unique_identifier")},
          {"username", connectors::text(comment, "username")}};
}

// One video's comments, page after page.
struct VideoComments {
  std::string integration, business_id, access_token, video_id;
  SyncCursor rest;  // what the next sync page starts from
  std::string cursor;
  int pages = 0;
  std::set<std::string> seen;
  json::array items;
};

void read_comment_page(const BusinessApi& api, std::shared_ptr<VideoComments> walk,
                       const Done& done) {
  Params query{
      {"business_id", walk->business_id}, {"video_id", walk->video_id}, {"max_count", "30"}};
  if (!walk->cursor.empty()) query.emplace_back("cursor", walk->cursor);
  api.call_data(walk->integration,
                {.method = "GET",
                 .path = "/business/comment/list/",
                 .query = std::move(query),
                 .access_token = walk->access_token},
                done, [api, walk, done](const json::object& data) {
                  for (const json::value& c : connectors::array_at(data, "comments")) {
                    if (!c.is_object()) continue;
                    json::object item = comment_item(c.as_object(), walk->video_id);
                    const std::string id = connectors::text(item, "id");
                    if (!id.empty() && walk->seen.insert(id).second)
                      walk->items.push_back(std::move(item));
                  }
                  const std::string next = connectors::text(data, "cursor");
                  const bool advances = !next.empty() && next != walk->cursor;
                  if (connectors::boolean(data, "has_more") && advances &&
                      ++walk->pages < kMaxCommentPagesPerVideo) {
                    walk->cursor = next;
                    return read_comment_page(api, walk, done);
                  }
                  answer(walk->rest, std::move(walk->items), done);
                });
}

void read_next_video(const BusinessApi& api, const std::string& integration,
                     const json::object& credentials, SyncCursor cursor, const Done& done) {
  auto walk = std::make_shared<VideoComments>();
  walk->integration = integration;
  walk->business_id = connectors::text(credentials, "account_id");
  walk->access_token = connectors::text(credentials, "access_token");
  walk->video_id = cursor.pending.front();
  cursor.pending.erase(cursor.pending.begin());
  walk->rest = std::move(cursor);
  read_comment_page(api, walk, done);
}

}  // namespace

void sync_comments(const BusinessApi& api, const std::string& integration,
                   const json::object& credentials, const std::string& cursor_text,
                   const Done& done) {
  SyncCursor cursor = parse_cursor(cursor_text);
  if (!cursor.pending.empty()) return read_next_video(api, integration, credentials, cursor, done);
  if (!cursor.more_videos) return answer(cursor, {}, done);
  Params query{{"business_id", connectors::text(credentials, "account_id")},
               {"fields", std::string(kVideoFields)},
               {"max_count", "20"}};
  if (!cursor.videos_cursor.empty()) query.emplace_back("cursor", cursor.videos_cursor);
  api.call_data(integration,
                {.method = "GET",
                 .path = "/business/video/list/",
                 .query = std::move(query),
                 .access_token = connectors::text(credentials, "access_token")},
                done, [api, integration, credentials, done](const json::object& data) {
                  SyncCursor next;
                  next.videos_cursor = connectors::text(data, "cursor");
                  next.more_videos = connectors::boolean(data, "has_more");
                  for (const json::value& v : connectors::array_at(data, "videos"))
                    if (v.is_object())
                      if (std::string id = connectors::text(v.as_object(), "item_id"); !id.empty())
                        next.pending.push_back(std::move(id));
                  if (next.pending.empty()) return answer(next, {}, done);
                  read_next_video(api, integration, credentials, std::move(next), done);
                });
}

}  // namespace sparks::tiktok

// TikTok API for Business, the account's posts: business/video/list/ (scope video.list), the
// fields asked for, newest first, paged by a cursor that is a creation time in milliseconds.
#include <algorithm>

#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

boost::json::value video_field(const Account& account, const Video& v, const std::string& field) {
  if (field == "item_id") return boost::json::value(v.id);
  if (field == "create_time") return boost::json::value(v.create_time);
  if (field == "caption") return boost::json::value(v.title);
  if (field == "share_url") {
    return boost::json::value("https://www.tiktok.com/@" + account.username + "/video/" + v.id);
  }
  if (field == "embed_url") return boost::json::value("https://www.tiktok.com/embed/" + v.id);
  if (field == "thumbnail_url") {
    return boost::json::value("https://p16.tiktokcdn.com/sandbox/" + v.id + ".jpeg");
  }
  return boost::json::value(0);  // the counts the sandbox does not keep
}

bool known_video_field(const std::string& field) {
  static const std::vector<std::string> known = {
      "item_id", "create_time", "caption", "share_url", "embed_url",   "thumbnail_url",
      "likes",   "comments",    "shares",  "favorites", "video_views", "reach"};
  return std::find(known.begin(), known.end(), field) != known.end();
}

// ?business_id&fields=["item_id",…]&cursor&max_count (1–20, default 20)
http::Response list_videos(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "video.list");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  std::vector<std::string> fields{"item_id"};  // the default field
  if (request.query_value("fields")) {
    const auto asked = string_array_param(request, "fields");
    if (!asked || asked->empty()) {
      return envelope(context, kInvalidParameter, "fields must be a JSON array of field names.");
    }
    for (const auto& field : *asked) {
      if (!known_video_field(field)) {
        return envelope(context, kInvalidParameter, "Unknown field: " + field + ".");
      }
    }
    fields = *asked;
  }
  const auto cursor = int_param(request, "cursor", 0);
  const auto max_count = int_param(request, "max_count", 20);
  if (!cursor || !max_count || *max_count < 1 || *max_count > 20) {
    return envelope(context, kInvalidParameter,
                    "cursor must be a non-negative integer and max_count 1 to 20.");
  }
  // Newest first; the cursor is the last listed post's create_time in milliseconds.
  std::vector<const Video*> all;
  for (const auto& v : context.state.videos) {
    if (v.account == account.id && (*cursor == 0 || v.create_time * 1000 < *cursor)) {
      all.push_back(&v);
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Video* a, const Video* b) { return a->create_time > b->create_time; });
  boost::json::array videos;
  std::int64_t next_cursor = 0;
  for (std::size_t i = 0; i < all.size() && videos.size() < static_cast<std::size_t>(*max_count);
       ++i) {
    boost::json::object video;
    for (const auto& field : fields) video[field] = video_field(account, *all[i], field);
    videos.push_back(std::move(video));
    next_cursor = all[i]->create_time * 1000;
  }
  return envelope(context, kOk, "OK",
                  {{"videos", std::move(videos)},
                   {"cursor", next_cursor},
                   {"has_more", all.size() > static_cast<std::size_t>(*max_count)}});
}

}  // namespace

void add_tiktok_video_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/open_api/v1.3/business/video/list/", list_videos);
}

}  // namespace sparks::sandbox

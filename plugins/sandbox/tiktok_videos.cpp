// TikTok Display API: the account's list of posts (scope video.list). Bearer token; answers are
// {data, error: {code, message, log_id}} with error.code "ok" on success.
#include <boost/json/parse.hpp>

#include "sandbox/context.hpp"

namespace sparks::sandbox {

namespace {

http::Response answer(Context& context, int status, const std::string& code,
                      const std::string& message, boost::json::object data = {}) {
  return http::Response::json(
      status,
      {{"data", std::move(data)},
       {"error", {{"code", code}, {"message", message}, {"log_id", context.request_id()}}}});
}

http::Response list_videos(Context& context, const http::Request& request) {
  const auto authorization = request.header("Authorization").value_or("");
  const std::string token =
      authorization.starts_with("Bearer ") ? authorization.substr(7) : std::string();
  Grant* grant = context.state.grant_by_access_token(token);
  if (grant == nullptr || grant->platform != kTikTok || grant->revoked ||
      grant->access_expires_at < context.state.now()) {
    return answer(context, 401, "access_token_invalid",
                  "The access token is invalid, expired or revoked.");
  }
  if (!grant->has_scope("video.list")) {
    return answer(context, 403, "scope_not_authorized", "The token lacks the scope video.list.");
  }
  // Body {cursor, max_count}, both optional; cursor is the offset of the next video.
  std::int64_t cursor = 0, max_count = 20;
  if (!request.body.empty()) {
    boost::system::error_code ec;
    const auto body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) {
      return answer(context, 400, "invalid_params", "The body must be a JSON object.");
    }
    if (const auto* c = body.as_object().if_contains("cursor"); c && c->is_int64()) {
      cursor = c->as_int64();
    }
    if (const auto* m = body.as_object().if_contains("max_count"); m && m->is_int64()) {
      max_count = m->as_int64();
    }
  }
  if (cursor < 0 || max_count < 1 || max_count > 20) {
    return answer(context, 400, "invalid_params", "cursor must be >= 0 and max_count 1 to 20.");
  }
  const Account* account = context.state.account(grant->account);
  std::vector<const Video*> all;
  for (const auto& v : context.state.videos) {
    if (v.account == account->id) all.push_back(&v);
  }
  boost::json::array videos;
  std::size_t next = static_cast<std::size_t>(cursor);
  for (; next < all.size() && videos.size() < static_cast<std::size_t>(max_count); ++next) {
    const Video& v = *all[next];
    videos.push_back(
        {{"id", v.id},
         {"title", v.title},
         {"create_time", v.create_time},
         {"share_url", "https://www.tiktok.com/@" + account->username + "/video/" + v.id}});
  }
  return answer(context, 200, "ok", "",
                {{"videos", std::move(videos)},
                 {"cursor", static_cast<std::int64_t>(next)},
                 {"has_more", next < all.size()}});
}

}  // namespace

void add_tiktok_video_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/v2/video/list/", list_videos);
}

}  // namespace sparks::sandbox

#include "sandbox/tiktok_shapes.hpp"

namespace sparks::sandbox::tiktok {

boost::json::object comment_json(Context& context, const Comment& c) {
  std::int64_t replies = 0;
  for (const auto& other : context.state.comments) {
    replies += other.parent_comment_id == c.id && !other.deleted ? 1 : 0;
  }
  boost::json::object json{{"comment_id", c.id},
                           {"video_id", c.video_id},
                           {"unique_identifier", unique_identifier_of(c.user)},
                           {"user_id", person_id_of(c.user)},
                           {"username", c.user},
                           {"display_name", c.user},
                           {"text", c.text},
                           {"create_time", std::to_string(c.create_time)},
                           {"likes", 0},
                           {"replies", replies},
                           {"owner", c.by_owner},
                           {"liked", false},
                           {"pinned", false},
                           {"status", c.status == "PUBLIC" ? "PUBLIC" : "HIDDEN"}};
  // Only replies carry parent_comment_id.
  if (!c.parent_comment_id.empty()) json["parent_comment_id"] = c.parent_comment_id;
  return json;
}

}  // namespace sparks::sandbox::tiktok

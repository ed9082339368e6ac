#pragma once
// TikTok's shapes that both the platform routes and the control API give: a comment as
// comment/list lists it, and the ids the platform makes.
#include <boost/json/object.hpp>

#include "sandbox/context.hpp"

namespace sparks::sandbox::tiktok {

// Comment ids are numeric strings on TikTok: "7300000000" + a counter.
inline constexpr const char* kCommentIdPrefix = "7300000000";

boost::json::object comment_json(Context& context, const Comment& comment);

}  // namespace sparks::sandbox::tiktok

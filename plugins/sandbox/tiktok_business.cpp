// TikTok API for Business, the account: business/get/ (the profile fields asked for, each behind
// its scope), and what Business Messaging offers it: business/message/conversation/list/ and
// business/message/capabilities/get/ (both refused where TikTok does not offer messaging).
#include <algorithm>

#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

// The scope each business/get field needs.
std::optional<std::string> scope_of_field(const std::string& field) {
  static const std::vector<std::pair<std::string, std::string>> fields = {
      {"display_name", "user.info.basic"},
      {"profile_image", "user.info.basic"},
      {"username", "user.info.basic"},
      {"profile_deep_link", "user.info.basic"},
      {"bio_description", "user.info.basic"},
      {"is_verified", "user.info.basic"},
      {"is_business_account", "user.account.type"},
      {"followers_count", "user.info.stats"},
      {"following_count", "user.info.stats"},
      {"total_likes", "user.info.stats"},
      {"videos_count", "user.info.stats"},
  };
  for (const auto& [name, scope] : fields) {
    if (name == field) return scope;
  }
  return std::nullopt;
}

boost::json::value field_value(Context& context, const Account& a, const std::string& field) {
  if (field == "display_name") return boost::json::value(a.name);
  if (field == "username") return boost::json::value(a.username);
  if (field == "profile_image") {
    return boost::json::value("https://p16.tiktokcdn.com/sandbox/" + a.id + ".jpeg");
  }
  if (field == "profile_deep_link") {
    return boost::json::value("https://www.tiktok.com/@" + a.username);
  }
  if (field == "bio_description") return boost::json::value("");
  if (field == "is_verified") return boost::json::value(false);
  if (field == "is_business_account") return boost::json::value(a.type == "business");
  if (field == "videos_count") {
    std::int64_t count = 0;
    for (const auto& v : context.state.videos) count += v.account == a.id ? 1 : 0;
    return boost::json::value(count);
  }
  return boost::json::value(0);  // the counts the sandbox does not keep
}

http::Response get_business(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "user.info.basic");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  const auto fields = string_array_param(request, "fields");
  if (!fields || fields->empty()) {
    return envelope(context, kInvalidParameter,
                    "fields is required: a JSON array such as [\"display_name\",\"username\"].");
  }
  boost::json::object data;
  for (const auto& field : *fields) {
    const auto scope = scope_of_field(field);
    if (!scope) return envelope(context, kInvalidParameter, "Unknown field: " + field + ".");
    if (!caller.grant->has_scope(*scope)) {
      return envelope(context, kNoPermission,
                      "No permission: the field " + field + " needs the scope " + *scope + ".");
    }
    data[field] = field_value(context, account, field);
  }
  // Not the platform's: TikTok does not say which business an account belongs to. The sandbox
  // does, so that the engine's same-business check (docs/lifecycle.md) can be tried against it.
  if (!account.business_id.empty()) data["business_id"] = account.business_id;
  return envelope(context, kOk, "OK", std::move(data));
}

// ?business_id&capability_types=["IMAGE_SEND"]&conversation_id&conversation_type
http::Response get_capabilities(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.read");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  if (auto refused = messaging_refused(context, account)) return *refused;
  const auto types = string_array_param(request, "capability_types");
  if (!types || types->empty()) {
    return envelope(context, kInvalidParameter,
                    "capability_types is required: a JSON array such as [\"IMAGE_SEND\"].");
  }
  boost::json::array infos;
  for (const auto& type : *types) {
    if (type != "IMAGE_SEND") {
      return envelope(context, kInvalidParameter, "Unknown capability_type: " + type + ".");
    }
    if (request.query_value("conversation_id").value_or("").empty() ||
        request.query_value("conversation_type").value_or("").empty()) {
      return envelope(context, kInvalidParameter,
                      "IMAGE_SEND needs conversation_id and conversation_type.");
    }
    // The sandbox sends text only: images are an unavailable capability.
    infos.push_back({{"capability_type", type}, {"capability_result", false}});
  }
  return envelope(context, kOk, "OK", {{"capability_infos", std::move(infos)}});
}

// ?business_id&conversation_type (STRANGER: the person wrote, the account has not answered;
// SINGLE: the account has written)&limit (1–100)&cursor: newest first.
http::Response list_conversations(Context& context, const http::Request& request) {
  auto caller = authenticate(context, request, "message.list.read");
  if (caller.error) return *caller.error;
  const Account& account = *caller.account;
  if (auto refused =
          business_id_refused(context, account, request.query_value("business_id").value_or("")))
    return *refused;
  if (auto refused = messaging_refused(context, account)) return *refused;
  const auto type = request.query_value("conversation_type").value_or("");
  const auto limit = int_param(request, "limit", 100);
  const auto cursor = int_param(request, "cursor", 0);
  if ((type != "STRANGER" && type != "SINGLE") || !limit || *limit < 1 || *limit > 100 || !cursor) {
    return envelope(context, kInvalidParameter,
                    "conversation_type must be STRANGER or SINGLE, limit 1 to 100.");
  }
  std::vector<std::pair<UnixSeconds, const Conversation*>> matching;
  for (const auto& [id, c] : context.state.conversations) {
    const bool answered = c.last_business_message_at != 0;
    if (c.account != account.id || (type == "SINGLE") != answered) continue;
    if (!answered && c.last_user_message_at == 0) continue;
    matching.emplace_back(std::max(c.last_user_message_at, c.last_business_message_at), &c);
  }
  std::sort(matching.begin(), matching.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  boost::json::array conversations;
  std::size_t next = static_cast<std::size_t>(*cursor);
  for (; next < matching.size() && conversations.size() < static_cast<std::size_t>(*limit);
       ++next) {
    conversations.push_back({{"conversation_id", matching[next].second->id},
                             {"update_time", matching[next].first * 1000}});
  }
  return envelope(context, kOk, "OK",
                  {{"conversations", std::move(conversations)},
                   {"has_more", next < matching.size()},
                   {"cursor", static_cast<std::int64_t>(next)}});
}

}  // namespace

void add_tiktok_business_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/open_api/v1.3/business/get/", get_business);
  add_route(router, context, "GET", "/open_api/v1.3/business/message/capabilities/get/",
            get_capabilities);
  add_route(router, context, "GET", "/open_api/v1.3/business/message/conversation/list/",
            list_conversations);
}

}  // namespace sparks::sandbox

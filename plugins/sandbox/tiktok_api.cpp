#include "sandbox/tiktok_api.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>

namespace sparks::sandbox::tiktok {

http::Response envelope(Context& context, int code, const std::string& message,
                        boost::json::object data) {
  return http::Response::json(200, {{"code", code},
                                    {"message", message},
                                    {"request_id", context.request_id()},
                                    {"data", std::move(data)}});
}

Caller authenticate(Context& context, const http::Request& request, const std::string& scope) {
  const auto token = request.header("Access-Token").value_or("");
  if (token.empty()) {
    return {.error = envelope(context, kTokenMissing, "Access-Token header is missing.")};
  }
  Grant* grant = context.state.grant_by_access_token(token);
  if (grant == nullptr || grant->platform != kTikTok || grant->revoked) {
    return {.error =
                envelope(context, kTokenInvalid, "Access token is invalid or has been revoked.")};
  }
  if (grant->access_expires_at < context.state.now()) {
    return {.error = envelope(context, kTokenExpired, "Access token has expired.")};
  }
  // Both limits count every call, as the platform's do; either one answers 40100.
  const bool app_over =
      context.over_minute_limit("tiktok-app", context.options.tiktok_calls_per_minute_per_app);
  const bool account_over =
      context.over_minute_limit("tiktok " + grant->account + " " + request.path,
                                context.options.tiktok_calls_per_minute_per_account);
  if (app_over || account_over) {
    return {.error =
                envelope(context, kRateLimited, "Too many requests. Please retry in some time.")};
  }
  if (!scope.empty() && !grant->has_scope(scope)) {
    return {.error = envelope(context, kNoPermission,
                              "No permission: the access token lacks the scope " + scope + ".")};
  }
  return {grant, context.state.mutable_account(grant->account), std::nullopt};
}

std::optional<http::Response> business_id_refused(Context& context, const Account& account,
                                                  const std::string& business_id) {
  const bool matches = !business_id.empty() &&
                       (business_id == account.open_id ||
                        (!account.business_id.empty() && business_id == account.business_id));
  if (matches) return std::nullopt;
  return envelope(context, kInvalidParameter,
                  "business_id is missing or does not match the access token.");
}

std::string text_field(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_int64()) return std::to_string(value->as_int64());
  if (value->is_uint64()) return std::to_string(value->as_uint64());
  return {};
}

std::optional<std::int64_t> int_param(const http::Request& request, const char* key,
                                      std::int64_t fallback) {
  const auto text = request.query_value(key);
  if (!text || text->empty()) return fallback;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < 0) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> string_array_param(const http::Request& request,
                                                           const char* key) {
  const auto text = request.query_value(key);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  const auto value = boost::json::parse(*text, ec);
  if (ec || !value.is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const auto& item : value.as_array()) {
    if (!item.is_string()) return std::nullopt;
    items.emplace_back(item.as_string());
  }
  return items;
}

std::size_t character_count(const std::string& text) {
  // Every byte that is not a UTF-8 continuation byte starts a character.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool messaging_offered(const std::string& region) {
  // The EEA (EU members, Iceland, Liechtenstein, Norway), Switzerland and the UK.
  static const std::vector<std::string> excluded = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE",
                                                    "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
                                                    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK",
                                                    "SI", "ES", "SE", "IS", "LI", "NO", "CH", "GB"};
  return std::find(excluded.begin(), excluded.end(), region) == excluded.end();
}

std::optional<http::Response> messaging_refused(Context& context, const Account& account) {
  if (account.type != "business") {
    return envelope(context, kNotBusinessAccount,
                    "Business Messaging is only available to business accounts.");
  }
  if (!messaging_offered(account.region)) {
    return envelope(context, kNoPermission,
                    "The Business Messaging API is not yet available in the European Economic "
                    "Area, Switzerland or the UK market.");
  }
  return std::nullopt;
}

bool comment_to_message_offered(const std::string& region) {
  return region == "VN" || region == "ID" || region == "TH";
}

}  // namespace sparks::sandbox::tiktok

#pragma once
// What every TikTok API for Business route shares: the envelope {code, message, request_id, data}
// (errors are HTTP 200 with a non-zero code, as on the real API), the Access-Token check, the rate
// limits, and readers of JSON bodies and query parameters. Codes are listed in docs/sandbox.md.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "sandbox/context.hpp"
#include "sandbox/control_helpers.hpp"

namespace sparks::sandbox::tiktok {

inline constexpr int kOk = 0;
// A scope is missing, the app's keys are wrong, or the feature is not offered to the account.
inline constexpr int kNoPermission = 40001;
inline constexpr int kInvalidParameter = 40002;
inline constexpr int kMessagingRule = 40003;  // a messaging rule refuses the message
inline constexpr int kNotBusinessAccount = 40014;
inline constexpr int kRateLimited = 40100;
inline constexpr int kTokenExpired = 40102;
inline constexpr int kRefreshTokenExpired = 40103;
inline constexpr int kTokenMissing = 40104;
inline constexpr int kTokenInvalid = 40105;
inline constexpr int kInvalidRefreshToken = 40107;
inline constexpr int kInvalidAuthCode = 40110;

http::Response envelope(Context& context, int code, const std::string& message,
                        boost::json::object data = {});

// The caller behind the Access-Token header, or the answer to give instead.
struct Caller {
  Grant* grant = nullptr;
  Account* account = nullptr;
  std::optional<http::Response> error;
};

// Checks the token, the rate limits (per account and endpoint, per app) and `scope`.
Caller authenticate(Context& context, const http::Request& request, const std::string& scope);

// The business_id of a call must be the token's account: its open_id (what the token answer calls
// it) or, in the sandbox, its business id. TikTok's refusal (40002) when it is not (or is
// empty), else nothing.
std::optional<http::Response> business_id_refused(Context& context, const Account& account,
                                                  const std::string& business_id);

using sandbox::json_body;  // the request body as a JSON object (control_helpers.hpp)
// A string field; numbers are given as their decimal text (ids may arrive either way).
std::string text_field(const boost::json::object& object, const char* key);
// A non-negative integer query parameter, `fallback` when absent, nullopt when malformed.
std::optional<std::int64_t> int_param(const http::Request& request, const char* key,
                                      std::int64_t fallback);
// A query parameter holding a JSON array of strings, e.g. fields=["display_name","username"].
std::optional<std::vector<std::string>> string_array_param(const http::Request& request,
                                                           const char* key);

// Characters (UTF-8 code points) in `text`: the platform's limits count characters, not bytes.
std::size_t character_count(const std::string& text);

// Whether TikTok offers Business Messaging to accounts registered in `region`.
bool messaging_offered(const std::string& region);
// The refusal of a Business Messaging call for `account` (a personal account, or one registered
// where TikTok does not offer Business Messaging); nullopt when it may message.
std::optional<http::Response> messaging_refused(Context& context, const Account& account);

// Whether Comment-to-Message is offered to business accounts registered in `region`.
bool comment_to_message_offered(const std::string& region);

}  // namespace sparks::sandbox::tiktok

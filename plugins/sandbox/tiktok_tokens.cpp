// TikTok API for Business tokens of TikTok account holders: tt_user/oauth2/token/ (auth code →
// tokens), refresh_token/ (both tokens rotate) and revoke/. JSON bodies; answers in the Business
// API envelope, errors as HTTP 200 with a non-zero code. Access tokens live a day, refresh tokens
// a year; codes are single-use and live 10 minutes.
#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

constexpr UnixSeconds kAccessLifetime = 24 * 60 * 60;
constexpr UnixSeconds kRefreshLifetime = 365 * 24 * 60 * 60;

http::Response token_answer(Context& context, const Grant& grant) {
  const Account* account = context.state.account(grant.account);
  const UnixSeconds now = context.state.now();
  return envelope(context, kOk, "OK",
                  {{"open_id", account->open_id},
                   {"scope", join_list(grant.scopes)},
                   {"access_token", grant.access_token},
                   {"expires_in", grant.access_expires_at - now},
                   {"refresh_token", grant.refresh_token},
                   {"refresh_token_expires_in", grant.refresh_expires_at - now},
                   {"token_type", "Bearer"}});
}

// The body, once the app's keys in it are right; else the answer to give.
std::optional<http::Response> check_app(Context& context,
                                        const std::optional<boost::json::object>& body) {
  if (!body) return envelope(context, kInvalidParameter, "The body must be a JSON object.");
  if (text_field(*body, "client_id") != context.options.client_key ||
      text_field(*body, "client_secret") != context.options.client_secret) {
    return envelope(context, kNoPermission, "client_id or client_secret is incorrect.");
  }
  return std::nullopt;
}

http::Response exchange_code(Context& context, const http::Request& request) {
  const auto body = json_body(request);
  if (auto refused = check_app(context, body)) return *refused;
  if (text_field(*body, "grant_type") != "authorization_code") {
    return envelope(context, kInvalidParameter, "grant_type must be authorization_code.");
  }
  auto found = context.state.codes.find(text_field(*body, "auth_code"));
  if (found == context.state.codes.end() || found->second.platform != kTikTok) {
    return envelope(context, kInvalidAuthCode, "Auth code is invalid or expired.");
  }
  const AuthorizationCode authorized = found->second;
  context.state.codes.erase(found);  // single use, even when the exchange fails below
  const UnixSeconds now = context.state.now();
  if (authorized.expires_at < now) {
    return envelope(context, kInvalidAuthCode, "Auth code is invalid or expired.");
  }
  if (text_field(*body, "redirect_uri") != authorized.redirect_uri) {
    return envelope(context, kInvalidParameter,
                    "redirect_uri does not match the one used to authorize.");
  }
  Grant& grant = context.state.add_grant(
      {kTikTok, authorized.account, authorized.scopes, Context::random_token("act."),
       Context::random_token("rft."), now + kAccessLifetime, now + kRefreshLifetime});
  return token_answer(context, grant);
}

http::Response refresh_token(Context& context, const http::Request& request) {
  const auto body = json_body(request);
  if (auto refused = check_app(context, body)) return *refused;
  if (text_field(*body, "grant_type") != "refresh_token") {
    return envelope(context, kInvalidParameter, "grant_type must be refresh_token.");
  }
  Grant* grant = context.state.grant_by_refresh_token(text_field(*body, "refresh_token"));
  if (grant == nullptr || grant->platform != kTikTok || grant->revoked) {
    return envelope(context, kInvalidRefreshToken, "Refresh token is invalid.");
  }
  const UnixSeconds now = context.state.now();
  if (grant->refresh_expires_at < now) {
    return envelope(context, kRefreshTokenExpired, "Refresh token has expired.");
  }
  if (context.faults.refresh_rejected(grant->account)) {
    return envelope(context, kInvalidRefreshToken, "Refresh token is invalid (sandbox fault).");
  }
  context.state.rotate_tokens(*grant, Context::random_token("act."), Context::random_token("rft."));
  grant->access_expires_at = now + kAccessLifetime;
  grant->refresh_expires_at = now + kRefreshLifetime;
  return token_answer(context, *grant);
}

// {client_id, client_secret, access_token}: the grant's tokens stop working. An unknown token is
// not an error (as in RFC 7009): either way it no longer works.
http::Response revoke(Context& context, const http::Request& request) {
  const auto body = json_body(request);
  if (auto refused = check_app(context, body)) return *refused;
  const auto token = text_field(*body, "access_token");
  if (token.empty()) return envelope(context, kInvalidParameter, "access_token is required.");
  Grant* grant = context.state.grant_by_access_token(token);
  if (grant != nullptr && grant->platform == kTikTok) grant->revoked = true;
  return envelope(context, kOk, "OK");
}

}  // namespace

void add_tiktok_token_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/open_api/v1.3/tt_user/oauth2/token/", exchange_code);
  add_route(router, context, "POST", "/open_api/v1.3/tt_user/oauth2/refresh_token/", refresh_token);
  add_route(router, context, "POST", "/open_api/v1.3/tt_user/oauth2/revoke/", revoke);
}

}  // namespace sparks::sandbox

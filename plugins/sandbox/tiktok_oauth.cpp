// TikTok Login Kit (OAuth v2): the consent page, its submit, the token endpoint (authorization
// code and refresh grants) and revoke. Errors are TikTok's flat {error, error_description, log_id}.
#include <boost/url/parse.hpp>

#include "http/form.hpp"
#include "sandbox/consent_page.hpp"
#include "sandbox/context.hpp"

namespace sparks::sandbox {

namespace {

constexpr UnixSeconds kCodeLifetime = 10 * 60;
constexpr UnixSeconds kAccessLifetime = 24 * 60 * 60;
constexpr UnixSeconds kRefreshLifetime = 365 * 24 * 60 * 60;

const std::vector<std::pair<std::string, std::string>>& tiktok_scopes() {
  static const std::vector<std::pair<std::string, std::string>> scopes = {
      {"user.info.basic", "read your profile (name, avatar, account type)"},
      {"video.list", "read your list of posts"},
      {"comment.list", "read comments on your videos and Lives"},
      {"message.list.send", "send direct messages as your account"},
  };
  return scopes;
}

bool known_scope(const std::string& scope) {
  for (const auto& [name, meaning] : tiktok_scopes()) {
    if (name == scope) return true;
  }
  return false;
}

http::Response oauth_error(Context& context, int status, const std::string& error,
                           const std::string& description) {
  return http::Response::json(
      status,
      {{"error", error}, {"error_description", description}, {"log_id", context.request_id()}});
}

http::Response page_error(int status, const std::string& message) {
  return http::Response::html(status, render_error_page("Authorization failed", message));
}

bool is_absolute_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  return parsed && (parsed->scheme() == "http" || parsed->scheme() == "https");
}

// Every `scope` field, each possibly comma-separated.
std::vector<std::string> ticked_scopes(const http::Fields& form) {
  std::string all;
  for (const auto& value : http::fields(form, "scope")) all += value + ",";
  return split_list(all);
}

http::Response show_consent(Context& context, const http::Request& request) {
  const auto client_key = request.query_value("client_key").value_or("");
  const auto redirect_uri = request.query_value("redirect_uri").value_or("");
  const auto scopes = split_list(request.query_value("scope").value_or(""));
  if (client_key != context.options.client_key) return page_error(400, "Unknown client_key.");
  if (request.query_value("response_type").value_or("") != "code") {
    return page_error(400, "response_type must be \"code\".");
  }
  if (!is_absolute_url(redirect_uri))
    return page_error(400, "redirect_uri must be an absolute URL.");
  if (scopes.empty()) return page_error(400, "scope must name at least one scope.");

  ConsentPage consent{"TikTok",
                      "Sparks",
                      "/v2/auth/authorize/",
                      {{"client_key", client_key},
                       {"redirect_uri", redirect_uri},
                       {"state", request.query_value("state").value_or("")},
                       {"response_type", "code"}}};
  for (const Account* account : context.state.accounts_on(kTikTok)) {
    consent.accounts.emplace_back(account->id, account->name + " (@" + account->username + ", " +
                                                   account->type + " account)");
  }
  for (const auto& scope : scopes) {
    if (!known_scope(scope)) return page_error(400, "Unknown scope: " + scope + ".");
    for (const auto& entry : tiktok_scopes()) {
      if (entry.first == scope) consent.scopes.push_back(entry);
    }
  }
  return http::Response::html(200, render_consent_page(consent));
}

http::Response submit_consent(Context& context, const http::Request& request) {
  const auto form = request.form();
  const auto client_key = http::field(form, "client_key").value_or("");
  const auto redirect_uri = http::field(form, "redirect_uri").value_or("");
  const auto state = http::field(form, "state").value_or("");
  if (client_key != context.options.client_key) return page_error(400, "Unknown client_key.");
  if (!is_absolute_url(redirect_uri))
    return page_error(400, "redirect_uri must be an absolute URL.");

  auto deny = [&](const std::string& why) {
    return http::Response::redirect(*http::append_query(
        redirect_uri, {{"error", "access_denied"}, {"error_description", why}, {"state", state}}));
  };
  if (http::field(form, "decision").value_or("approve") == "deny") {
    return deny("The user denied the request");
  }
  const auto account_id = http::field(form, "account").value_or("");
  const Account* account = context.state.account(account_id);
  if (account == nullptr || account->platform != kTikTok) {
    return page_error(400, "Unknown TikTok account: " + account_id + ".");
  }
  const auto scopes = ticked_scopes(form);
  for (const auto& scope : scopes) {
    if (!known_scope(scope)) return page_error(400, "Unknown scope: " + scope + ".");
  }
  if (scopes.empty()) return deny("The user approved no scope");

  const std::string code = Context::random_token("code.");
  context.state.codes[code] = {kTikTok, account->id, redirect_uri, scopes,
                               context.state.now() + kCodeLifetime};
  return http::Response::redirect(*http::append_query(
      redirect_uri, {{"code", code}, {"scopes", join_list(scopes)}, {"state", state}}));
}

http::Response token_answer(Context& context, const Grant& grant) {
  const Account* account = context.state.account(grant.account);
  const UnixSeconds now = context.state.now();
  return http::Response::json(200, {{"open_id", account->open_id},
                                    {"scope", join_list(grant.scopes)},
                                    {"access_token", grant.access_token},
                                    {"expires_in", grant.access_expires_at - now},
                                    {"refresh_token", grant.refresh_token},
                                    {"refresh_expires_in", grant.refresh_expires_at - now},
                                    {"token_type", "Bearer"}});
}

http::Response exchange_token(Context& context, const http::Request& request) {
  const auto form = request.form();
  if (http::field(form, "client_key").value_or("") != context.options.client_key ||
      http::field(form, "client_secret").value_or("") != context.options.client_secret) {
    return oauth_error(context, 401, "invalid_client", "Client key or secret is incorrect.");
  }
  const auto grant_type = http::field(form, "grant_type").value_or("");
  const UnixSeconds now = context.state.now();

  if (grant_type == "authorization_code") {
    const auto code = http::field(form, "code").value_or("");
    auto found = context.state.codes.find(code);
    if (found == context.state.codes.end() || found->second.platform != kTikTok) {
      return oauth_error(context, 400, "invalid_grant",
                         "Authorization code is invalid or was already used.");
    }
    const AuthorizationCode authorized = found->second;
    context.state.codes.erase(found);  // single use, even when the exchange fails below
    if (authorized.expires_at < now) {
      return oauth_error(context, 400, "invalid_grant", "Authorization code has expired.");
    }
    if (http::field(form, "redirect_uri").value_or("") != authorized.redirect_uri) {
      return oauth_error(context, 400, "invalid_grant",
                         "redirect_uri does not match the one used to authorize.");
    }
    Grant& grant = context.state.add_grant(
        {kTikTok, authorized.account, authorized.scopes, Context::random_token("act."),
         Context::random_token("rft."), now + kAccessLifetime, now + kRefreshLifetime});
    return token_answer(context, grant);
  }

  if (grant_type == "refresh_token") {
    Grant* grant =
        context.state.grant_by_refresh_token(http::field(form, "refresh_token").value_or(""));
    if (grant == nullptr || grant->platform != kTikTok || grant->revoked) {
      return oauth_error(context, 400, "invalid_grant", "Refresh token is invalid or revoked.");
    }
    if (grant->refresh_expires_at < now) {
      return oauth_error(context, 400, "invalid_grant", "Refresh token has expired.");
    }
    if (context.faults.refresh_rejected(grant->account)) {
      return oauth_error(context, 400, "invalid_grant",
                         "Refresh token was rejected (sandbox fault).");
    }
    context.state.rotate_tokens(*grant, Context::random_token("act."),
                                Context::random_token("rft."));
    grant->access_expires_at = now + kAccessLifetime;
    grant->refresh_expires_at = now + kRefreshLifetime;
    return token_answer(context, *grant);
  }
  return oauth_error(context, 400, "unsupported_grant_type",
                     "grant_type must be authorization_code or refresh_token.");
}

http::Response revoke_token(Context& context, const http::Request& request) {
  const auto form = request.form();
  if (http::field(form, "client_key").value_or("") != context.options.client_key ||
      http::field(form, "client_secret").value_or("") != context.options.client_secret) {
    return oauth_error(context, 401, "invalid_client", "Client key or secret is incorrect.");
  }
  const auto token = http::field(form, "token").value_or("");
  if (token.empty()) return oauth_error(context, 400, "invalid_request", "token is required.");
  Grant* grant = context.state.grant_by_access_token(token);
  if (grant == nullptr) grant = context.state.grant_by_refresh_token(token);
  // As in RFC 7009, an unknown token is not an error: either way it no longer works.
  if (grant != nullptr && grant->platform == kTikTok) grant->revoked = true;
  return http::Response::json(200, boost::json::object{});
}

}  // namespace

void add_tiktok_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/v2/auth/authorize/", show_consent);
  add_route(router, context, "POST", "/v2/auth/authorize/", submit_consent);
  add_route(router, context, "POST", "/v2/oauth/token/", exchange_token);
  add_route(router, context, "POST", "/v2/oauth/revoke/", revoke_token);
}

}  // namespace sparks::sandbox

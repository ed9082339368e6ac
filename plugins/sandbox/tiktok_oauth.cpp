// TikTok API for Business authorization: the consent page at /v2/auth/authorize/ and its submit,
// which redirects back with an auth code (exchanged at tt_user/oauth2/token/, tiktok_tokens.cpp).
// A redirect_uri must be https, registered and end with "/"; loopback URLs are always accepted
// (the sandbox and the engine it serves run on 127.0.0.1; the TikTok connector adds the "/"
// anyway, as it must for the real platform).
#include <algorithm>
#include <boost/url/parse.hpp>

#include "http/form.hpp"
#include "sandbox/consent_page.hpp"
#include "sandbox/context.hpp"

namespace sparks::sandbox {

namespace {

constexpr UnixSeconds kCodeLifetime = 10 * 60;

// The Accounts and Business Messaging API scopes. Login Kit scopes (user.info.profile,
// video.publish, …) are not among them: the authorize page refuses them as unknown.
const std::vector<std::pair<std::string, std::string>>& tiktok_scopes() {
  static const std::vector<std::pair<std::string, std::string>> scopes = {
      {"user.info.basic", "read your profile (name, avatar)"},
      {"user.info.username", "read your username"},
      {"user.info.stats", "read your follower and like counts"},
      {"user.account.type", "read whether your account is a business account"},
      {"user.insights", "read your account's insights"},
      {"video.list", "read your list of posts"},
      {"video.insights", "read your posts' insights"},
      {"comment.list", "read comments on your posts"},
      {"comment.list.manage", "reply to and manage comments on your posts"},
      {"message.list.read", "read your direct messages"},
      {"message.list.send", "send direct messages as your account"},
      {"message.list.manage", "manage your direct message settings"},
  };
  return scopes;
}

bool known_scope(const std::string& scope) {
  for (const auto& [name, meaning] : tiktok_scopes()) {
    if (name == scope) return true;
  }
  return false;
}

http::Response page_error(int status, const std::string& message) {
  return http::Response::html(status, render_error_page("Authorization failed", message));
}

// As OAuth 2.0 (RFC 6749, 4.1.2.1) has it: once the redirect_uri is known to be good, an unknown
// scope goes back to it as error=invalid_scope.
http::Response invalid_scope(const std::string& redirect_uri, const std::string& state,
                             const std::string& scope) {
  return http::Response::redirect(*http::append_query(
      redirect_uri, {{"error", "invalid_scope"},
                     {"error_description", "The scope " + scope + " is unknown."},
                     {"state", state}}));
}

bool is_loopback_url(const boost::urls::url_view& url) {
  const auto host = url.host();
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

// Why `redirect_uri` is refused, or nullopt when it is acceptable.
std::optional<std::string> redirect_uri_problem(const Context& context, const std::string& uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https")) {
    return "redirect_uri must be an absolute URL.";
  }
  if (is_loopback_url(*parsed)) return std::nullopt;
  if (parsed->scheme() != "https") return "redirect_uri must use https.";
  if (!uri.ends_with('/')) return "redirect_uri must end with \"/\".";
  const auto& registered = context.options.tiktok_redirect_uris;
  if (std::find(registered.begin(), registered.end(), uri) == registered.end()) {
    return "redirect_uri is not registered for this app.";
  }
  return std::nullopt;
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
  const auto state = request.query_value("state").value_or("");
  if (client_key != context.options.client_key) return page_error(400, "Unknown client_key.");
  if (request.query_value("response_type").value_or("") != "code") {
    return page_error(400, "response_type must be \"code\".");
  }
  if (auto problem = redirect_uri_problem(context, redirect_uri)) {
    return page_error(400, *problem);
  }
  if (scopes.empty()) return page_error(400, "scope must name at least one scope.");
  for (const auto& scope : scopes) {
    if (!known_scope(scope)) return invalid_scope(redirect_uri, state, scope);
  }

  ConsentPage consent{"TikTok",
                      "Sparks",
                      "/v2/auth/authorize/",
                      {{"client_key", client_key},
                       {"redirect_uri", redirect_uri},
                       {"state", state},
                       {"response_type", "code"}}};
  for (const Account* account : context.state.accounts_on(kTikTok)) {
    consent.accounts.emplace_back(account->id, account->name + " (@" + account->username + ", " +
                                                   account->type + " account)");
  }
  for (const auto& scope : scopes) {
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
  if (auto problem = redirect_uri_problem(context, redirect_uri)) {
    return page_error(400, *problem);
  }

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
    if (!known_scope(scope)) return invalid_scope(redirect_uri, state, scope);
  }
  if (scopes.empty()) return deny("The user approved no scope");

  const std::string code = Context::random_token("code.");
  context.state.codes[code] = {kTikTok, account->id, redirect_uri, scopes,
                               context.state.now() + kCodeLifetime};
  return http::Response::redirect(*http::append_query(
      redirect_uri, {{"code", code}, {"scopes", join_list(scopes)}, {"state", state}}));
}

}  // namespace

void add_tiktok_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/v2/auth/authorize/", show_consent);
  add_route(router, context, "POST", "/v2/auth/authorize/", submit_consent);
}

}  // namespace sparks::sandbox

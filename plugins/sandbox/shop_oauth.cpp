// TikTok Shop seller authorization: the consent page and its submit, then the token get and
// refresh calls. Answers use the Partner API envelope {code, message, data, request_id}.
#include <boost/url/parse.hpp>

#include "http/form.hpp"
#include "sandbox/consent_page.hpp"
#include "sandbox/context.hpp"

namespace sparks::sandbox {

namespace {

constexpr UnixSeconds kCodeLifetime = 10 * 60;
constexpr UnixSeconds kAccessLifetime = 7 * 24 * 60 * 60;
constexpr UnixSeconds kRefreshLifetime = 60 * 24 * 60 * 60;

// Codes (docs/sandbox.md lists them).
constexpr int kInvalidAppCredentials = 105000;
constexpr int kInvalidAuthCode = 105003;
constexpr int kInvalidRefreshToken = 105004;
constexpr int kInvalidParameter = 100001;

const std::vector<std::pair<std::string, std::string>> kShopScopes = {
    {"order.read", "read your orders"},
    {"product.read", "read your product catalog"},
};

http::Response shop_error(Context& context, int status, int code, const std::string& message) {
  return http::Response::json(status, {{"code", code},
                                       {"message", message},
                                       {"data", nullptr},
                                       {"request_id", context.request_id()}});
}

http::Response page_error(const std::string& message) {
  return http::Response::html(400, render_error_page("Authorization failed", message));
}

bool is_absolute_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  return parsed && (parsed->scheme() == "http" || parsed->scheme() == "https");
}

http::Response show_consent(Context& context, const http::Request& request) {
  const auto app_key = request.query_value("app_key").value_or("");
  const auto redirect_uri = request.query_value("redirect_uri").value_or("");
  if (app_key != context.options.app_key) return page_error("Unknown app_key.");
  if (!is_absolute_url(redirect_uri)) return page_error("redirect_uri must be an absolute URL.");
  ConsentPage consent{"TikTok Shop",
                      "Sparks",
                      "/oauth/authorize",
                      {{"app_key", app_key},
                       {"redirect_uri", redirect_uri},
                       {"state", request.query_value("state").value_or("")}}};
  for (const Account* shop : context.state.accounts_on(kTikTokShop)) {
    consent.accounts.emplace_back(shop->id, shop->name + " (seller, " + shop->region + ")");
  }
  consent.scopes = kShopScopes;
  return http::Response::html(200, render_consent_page(consent));
}

http::Response submit_consent(Context& context, const http::Request& request) {
  const auto form = request.form();
  const auto redirect_uri = http::field(form, "redirect_uri").value_or("");
  const auto state = http::field(form, "state").value_or("");
  if (http::field(form, "app_key").value_or("") != context.options.app_key) {
    return page_error("Unknown app_key.");
  }
  if (!is_absolute_url(redirect_uri)) return page_error("redirect_uri must be an absolute URL.");
  auto deny = [&](const std::string& why) {
    return http::Response::redirect(*http::append_query(
        redirect_uri, {{"error", "access_denied"}, {"error_description", why}, {"state", state}}));
  };
  if (http::field(form, "decision").value_or("approve") == "deny") {
    return deny("The seller denied the request");
  }
  const auto account_id = http::field(form, "account").value_or("");
  const Account* shop = context.state.account(account_id);
  if (shop == nullptr || shop->platform != kTikTokShop) {
    return page_error("Unknown seller account: " + account_id + ".");
  }
  std::string all;
  for (const auto& value : http::fields(form, "scope")) all += value + ",";
  const auto scopes = split_list(all);
  for (const auto& scope : scopes) {
    if (scope != "order.read" && scope != "product.read") {
      return page_error("Unknown scope: " + scope + ".");
    }
  }
  if (scopes.empty()) return deny("The seller approved no scope");
  const std::string code = Context::random_token("TTP_code_");
  context.state.codes[code] = {kTikTokShop, shop->id, redirect_uri, scopes,
                               context.state.now() + kCodeLifetime};
  return http::Response::redirect(
      *http::append_query(redirect_uri, {{"code", code}, {"state", state}}));
}

http::Response token_answer(Context& context, const Grant& grant) {
  const Account* shop = context.state.account(grant.account);
  boost::json::array scopes;
  for (const auto& s : grant.scopes) scopes.emplace_back(s);
  return http::Response::json(200, {{"code", 0},
                                    {"message", "success"},
                                    {"data",
                                     {{"access_token", grant.access_token},
                                      {"access_token_expire_in", grant.access_expires_at},
                                      {"refresh_token", grant.refresh_token},
                                      {"refresh_token_expire_in", grant.refresh_expires_at},
                                      {"open_id", shop->open_id},
                                      {"seller_name", shop->name},
                                      {"seller_base_region", shop->region},
                                      {"granted_scopes", std::move(scopes)}}},
                                    {"request_id", context.request_id()}});
}

bool app_credentials_ok(const Context& context, const http::Request& request) {
  return request.query_value("app_key").value_or("") == context.options.app_key &&
         request.query_value("app_secret").value_or("") == context.options.app_secret;
}

http::Response get_token(Context& context, const http::Request& request) {
  if (!app_credentials_ok(context, request)) {
    return shop_error(context, 401, kInvalidAppCredentials, "app_key or app_secret is incorrect.");
  }
  if (request.query_value("grant_type").value_or("") != "authorized_code") {
    return shop_error(context, 400, kInvalidParameter, "grant_type must be authorized_code.");
  }
  auto found = context.state.codes.find(request.query_value("auth_code").value_or(""));
  if (found == context.state.codes.end() || found->second.platform != kTikTokShop) {
    return shop_error(context, 400, kInvalidAuthCode, "auth_code is invalid or was already used.");
  }
  const AuthorizationCode authorized = found->second;
  context.state.codes.erase(found);
  const UnixSeconds now = context.state.now();
  if (authorized.expires_at < now) {
    return shop_error(context, 400, kInvalidAuthCode, "auth_code has expired.");
  }
  Grant& grant = context.state.add_grant(
      {kTikTokShop, authorized.account, authorized.scopes, Context::random_token("ROW_at_"),
       Context::random_token("ROW_rt_"), now + kAccessLifetime, now + kRefreshLifetime});
  return token_answer(context, grant);
}

http::Response refresh_token(Context& context, const http::Request& request) {
  if (!app_credentials_ok(context, request)) {
    return shop_error(context, 401, kInvalidAppCredentials, "app_key or app_secret is incorrect.");
  }
  if (request.query_value("grant_type").value_or("") != "refresh_token") {
    return shop_error(context, 400, kInvalidParameter, "grant_type must be refresh_token.");
  }
  Grant* grant =
      context.state.grant_by_refresh_token(request.query_value("refresh_token").value_or(""));
  const UnixSeconds now = context.state.now();
  if (grant == nullptr || grant->platform != kTikTokShop || grant->revoked ||
      grant->refresh_expires_at < now) {
    return shop_error(context, 400, kInvalidRefreshToken,
                      "refresh_token is invalid, expired or revoked.");
  }
  if (context.faults.refresh_rejected(grant->account)) {
    return shop_error(context, 400, kInvalidRefreshToken,
                      "refresh_token was rejected (sandbox fault).");
  }
  context.state.rotate_tokens(*grant, Context::random_token("ROW_at_"),
                              Context::random_token("ROW_rt_"));
  grant->access_expires_at = now + kAccessLifetime;
  grant->refresh_expires_at = now + kRefreshLifetime;
  return token_answer(context, *grant);
}

}  // namespace

void add_shop_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/oauth/authorize", show_consent);
  add_route(router, context, "POST", "/oauth/authorize", submit_consent);
  add_route(router, context, "GET", "/api/v2/token/get", get_token);
  add_route(router, context, "GET", "/api/v2/token/refresh", refresh_token);
}

}  // namespace sparks::sandbox

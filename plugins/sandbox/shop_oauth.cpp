// TikTok Shop seller authorization: the authorize page (the newer one of a service,
// /open/authorize?service_id, and the legacy /oauth/authorize?app_key) and its submit, then the
// token get and refresh calls. Token answers use the Partner API envelope with HTTP 200, errors
// included.
#include <boost/url/parse.hpp>

#include "http/form.hpp"
#include "sandbox/consent_page.hpp"
#include "sandbox/context.hpp"
#include "sandbox/shop_errors.hpp"

namespace sparks::sandbox {

namespace {

constexpr UnixSeconds kCodeLifetime = 10 * 60;
constexpr UnixSeconds kAccessLifetime = 7 * 24 * 60 * 60;
constexpr UnixSeconds kRefreshLifetime = 60 * 24 * 60 * 60;

// Partner Center permissions the sandbox's service holds; anything else (order.read, …) is unknown.
const std::vector<std::pair<std::string, std::string>> kShopScopes = {
    {"seller.authorization.info", "see which shop you authorized"},
    {"seller.order.info", "read your orders"},
    {"seller.product.basic", "read your product catalog"},
    {"seller.shop.info", "read your shop's information"},
};

bool known_scope(const std::string& scope) {
  for (const auto& [name, meaning] : kShopScopes)
    if (name == scope) return true;
  return false;
}

http::Response page_error(const std::string& message) {
  return http::Response::html(400, render_error_page("Authorization failed", message));
}

bool is_absolute_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  return parsed && (parsed->scheme() == "http" || parsed->scheme() == "https");
}

// The app the page is opened for: by its service (newer page) or its app key (legacy page).
// Empty when it is this sandbox's app; else the reason to refuse.
std::string unknown_app(const Context& context, const std::optional<std::string>& service_id,
                        const std::optional<std::string>& app_key) {
  if (service_id) return *service_id == context.options.service_id ? "" : "Unknown service_id.";
  return app_key.value_or("") == context.options.app_key ? "" : "Unknown app_key.";
}

// The page redirects to the app's registered redirect URL; the sandbox has no registry, so the
// connector passes it along as redirect_uri (docs/connectors.md).
http::Response show_consent(Context& context, const http::Request& request, const char* path) {
  const auto service_id = request.query_value("service_id");
  const auto app_key = request.query_value("app_key");
  const auto redirect_uri = request.query_value("redirect_uri").value_or("");
  if (auto why = unknown_app(context, service_id, app_key); !why.empty()) return page_error(why);
  if (!is_absolute_url(redirect_uri)) return page_error("redirect_uri must be an absolute URL.");
  http::Fields hidden{{"redirect_uri", redirect_uri},
                      {"state", request.query_value("state").value_or("")}};
  hidden.emplace_back(service_id ? "service_id" : "app_key", service_id ? *service_id : *app_key);
  ConsentPage consent{"TikTok Shop", "Sparks", path, std::move(hidden)};
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
  if (auto why =
          unknown_app(context, http::field(form, "service_id"), http::field(form, "app_key"));
      !why.empty()) {
    return page_error(why);
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
    if (!known_scope(scope)) return page_error("Unknown scope: " + scope + ".");
  }
  if (scopes.empty()) return deny("The seller approved no scope");
  const std::string code = Context::random_token("TTP_code_");
  context.state.codes[code] = {kTikTokShop, shop->id, redirect_uri, scopes,
                               context.state.now() + kCodeLifetime};
  // As the real redirect does: the code, the state, the app and the shop's region.
  return http::Response::redirect(
      *http::append_query(redirect_uri, {{"code", code},
                                         {"state", state},
                                         {"app_key", context.options.app_key},
                                         {"shop_region", shop->region}}));
}

http::Response token_answer(Context& context, const Grant& grant) {
  const Account* shop = context.state.account(grant.account);
  boost::json::array scopes;
  for (const auto& s : grant.scopes) scopes.emplace_back(s);
  return shop_answer(context, 200, 0, "success",
                     boost::json::object{{"access_token", grant.access_token},
                                         {"access_token_expire_in", grant.access_expires_at},
                                         {"refresh_token", grant.refresh_token},
                                         {"refresh_token_expire_in", grant.refresh_expires_at},
                                         {"open_id", shop->open_id},
                                         {"seller_name", shop->name},
                                         {"seller_base_region", shop->region},
                                         {"user_type", 0},
                                         {"granted_scopes", std::move(scopes)}});
}

bool app_credentials_ok(const Context& context, const http::Request& request) {
  return request.query_value("app_key").value_or("") == context.options.app_key &&
         request.query_value("app_secret").value_or("") == context.options.app_secret;
}

http::Response get_token(Context& context, const http::Request& request) {
  if (!app_credentials_ok(context, request)) {
    return shop_refusal(context, 200, kShopInvalidRequest,
                        "Invalid credentials. Invalid `app_key` or `app_secret` query parameter.");
  }
  if (request.query_value("grant_type").value_or("") != "authorized_code") {
    return shop_refusal(context, 200, kShopInvalidRequest,
                        "Invalid parameter. grant_type must be authorized_code.");
  }
  auto found = context.state.codes.find(request.query_value("auth_code").value_or(""));
  if (found == context.state.codes.end() || found->second.platform != kTikTokShop) {
    return shop_refusal(context, 200, kShopInvalidAuthCode, "invalid auth code");
  }
  const AuthorizationCode authorized = found->second;
  context.state.codes.erase(found);
  const UnixSeconds now = context.state.now();
  if (authorized.expires_at < now) {
    return shop_refusal(context, 200, kShopInvalidAuthCode, "invalid auth code");
  }
  Grant& grant = context.state.add_grant(
      {kTikTokShop, authorized.account, authorized.scopes, Context::random_token("ROW_at_"),
       Context::random_token("ROW_rt_"), now + kAccessLifetime, now + kRefreshLifetime});
  return token_answer(context, grant);
}

http::Response refresh_token(Context& context, const http::Request& request) {
  if (!app_credentials_ok(context, request)) {
    return shop_refusal(context, 200, kShopInvalidRequest,
                        "Invalid credentials. Invalid `app_key` or `app_secret` query parameter.");
  }
  if (request.query_value("grant_type").value_or("") != "refresh_token") {
    return shop_refusal(context, 200, kShopInvalidRequest,
                        "Invalid parameter. grant_type must be refresh_token.");
  }
  Grant* grant =
      context.state.grant_by_refresh_token(request.query_value("refresh_token").value_or(""));
  const UnixSeconds now = context.state.now();
  if (grant == nullptr || grant->platform != kTikTokShop || grant->revoked ||
      grant->refresh_expires_at < now) {
    return shop_refusal(context, 200, kShopUnknownRefreshToken, "can not find related auth record");
  }
  if (context.faults.refresh_rejected(grant->account)) {
    return shop_refusal(context, 200, kShopUnknownRefreshToken,
                        "can not find related auth record (sandbox fault)");
  }
  context.state.rotate_tokens(*grant, Context::random_token("ROW_at_"),
                              Context::random_token("ROW_rt_"));
  grant->access_expires_at = now + kAccessLifetime;
  grant->refresh_expires_at = now + kRefreshLifetime;
  return token_answer(context, *grant);
}

}  // namespace

void add_shop_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "GET", "/oauth/authorize", [](Context& c, const http::Request& r) {
    return show_consent(c, r, "/oauth/authorize");
  });
  add_route(router, context, "POST", "/oauth/authorize", submit_consent);
  add_route(router, context, "GET", "/open/authorize", [](Context& c, const http::Request& r) {
    return show_consent(c, r, "/open/authorize");
  });
  add_route(router, context, "POST", "/open/authorize", submit_consent);
  add_route(router, context, "GET", "/api/v2/token/get", get_token);
  add_route(router, context, "GET", "/api/v2/token/refresh", refresh_token);
}

}  // namespace sparks::sandbox

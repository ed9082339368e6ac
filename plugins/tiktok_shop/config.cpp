// The connector's configuration and the seller's authorize page. Every URL derives from the
// configured base URLs, so that pointing them all at one emulator host works (docs/connectors.md,
// Configuration).
#include "common/url_encoding.hpp"
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

namespace {

std::string required_text(const json::object& config, std::string_view key) {
  std::string value = connectors::text(config, key);
  if (value.empty())
    throw std::invalid_argument("tiktok_shop: \"" + std::string(key) + "\" is required");
  return value;
}

std::string without_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

// The newer authorize page of a service lives on services.tiktokshop.com while tokens stay on
// auth.tiktok-shops.com; anywhere else (the sandbox, a proxy) both are on auth_base_url.
std::string default_authorize_base(const Config& config) {
  if (!config.service_id.empty() &&
      without_trailing_slash(config.auth_base_url) == kRealAuthBaseUrl)
    return std::string(kRealServiceAuthorizeBaseUrl);
  return config.auth_base_url;
}

}  // namespace

Config read_config(const json::object& in) {
  Config config{.app_key = required_text(in, "app_key"),
                .app_secret = required_text(in, "app_secret"),
                .auth_base_url = required_text(in, "auth_base_url"),
                .api_base_url = required_text(in, "api_base_url"),
                .service_id = connectors::text(in, "service_id"),
                .authorize_base_url = connectors::text(in, "authorize_base_url"),
                .token_base_url = connectors::text(in, "token_base_url"),
                .webhook_url = connectors::text(in, "webhook_url")};
  if (config.authorize_base_url.empty()) config.authorize_base_url = default_authorize_base(config);
  if (config.token_base_url.empty()) config.token_base_url = config.auth_base_url;
  if (std::string link = connectors::text(in, "product_link_base_url"); !link.empty())
    config.product_link_base_url = std::move(link);
  return config;
}

// The seller picks the shop and approves the service's permissions on the page; it takes no scope
// list. The page redirects to the redirect URL registered in Partner Center; `redirect_uri` is
// added so that the sandbox, which has no registry, knows where to go (docs/connectors.md).
std::string authorize_page_url(const Config& config, std::string_view state,
                               std::string_view redirect_uri) {
  const bool service = !config.service_id.empty();
  connectors::Params params{service
                                ? connectors::Params::value_type{"service_id", config.service_id}
                                : connectors::Params::value_type{"app_key", config.app_key},
                            {"state", std::string(state)}};
  if (!redirect_uri.empty()) params.emplace_back("redirect_uri", std::string(redirect_uri));
  return connectors::join_url(config.authorize_base_url,
                              service ? "/open/authorize" : "/oauth/authorize") +
         "?" + connectors::encode_params(params);
}

}  // namespace sparks::tiktok_shop

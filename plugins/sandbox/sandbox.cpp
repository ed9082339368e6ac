#include "sandbox/sandbox.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "sandbox/context.hpp"

namespace sparks::sandbox {

Sandbox::Sandbox(boost::asio::any_io_executor executor, SandboxOptions options)
    : context_(std::make_shared<Context>(std::move(executor), std::move(options))) {}

Sandbox::~Sandbox() = default;

void Sandbox::mount(http::Router& router) const {
  add_tiktok_oauth_routes(router, context_);
  add_tiktok_token_routes(router, context_);
  add_tiktok_video_routes(router, context_);
  add_tiktok_business_routes(router, context_);
  add_tiktok_comment_routes(router, context_);
  add_tiktok_message_routes(router, context_);
  add_tiktok_message_content_routes(router, context_);
  add_tiktok_webhook_routes(router, context_);
  add_tiktok_control_routes(router, context_);
  add_shop_oauth_routes(router, context_);
  add_shop_api_routes(router, context_);
  add_shop_control_routes(router, context_);
  add_control_routes(router, context_);
}

void Sandbox::set_webhook_targets(std::string tiktok_url, std::string shop_url) {
  boost::asio::post(context_->strand, [context = context_, tiktok_url = std::move(tiktok_url),
                                       shop_url = std::move(shop_url)] {
    context->options.tiktok_webhook_target = tiktok_url;
    context->options.shop_webhook_target = shop_url;
  });
}

// Read without the strand: the keys never change after construction (only the webhook targets
// do, and those are set through the strand).
const SandboxOptions& Sandbox::options() const {
  return context_->options;
}

std::vector<AccountSummary> Sandbox::accounts() const {
  std::vector<AccountSummary> summaries;
  for (const auto& a : State().accounts) {
    summaries.push_back({a.id, a.platform, a.type, a.business_id, a.name, a.region});
  }
  return summaries;
}

namespace {

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

}  // namespace

std::string tiktok_webhook_url(std::string_view base_url) {
  return join_url(base_url, "/webhooks/tiktok");
}

std::string shop_webhook_url(std::string_view base_url) {
  return join_url(base_url, "/webhooks/tiktok_shop");
}

std::map<std::string, std::string> platform_config(std::string_view base_url,
                                                   const SandboxOptions& options) {
  namespace json = boost::json;
  std::string base(base_url);
  while (base.ends_with('/')) base.pop_back();  // the connectors append paths that start with '/'
  return {{"tiktok", json::serialize(json::object{{"client_key", options.client_key},
                                                  {"client_secret", options.client_secret},
                                                  {"auth_base_url", base},
                                                  {"api_base_url", base}})},
          {"tiktok_shop", json::serialize(json::object{{"app_key", options.app_key},
                                                       {"app_secret", options.app_secret},
                                                       {"auth_base_url", base},
                                                       {"api_base_url", base}})}};
}

}  // namespace sparks::sandbox

#pragma once
// The sandbox: a local emulator of the TikTok (API for Business) and TikTok Shop (Partner
// API) endpoints the connectors use, plus a control API for tests (see docs/sandbox.md).
//
// It is a component, not a server: mount its routes on any http::Router — the `sparks sandbox`
// command's own server, or `sparks serve`'s — under the same paths as the real platforms. It runs
// on the executor its host gives it (its state lives on one strand of it) and never runs an
// io_context itself.
//
//   auto router = std::make_shared<sparks::http::Router>();
//   sparks::sandbox::Sandbox sandbox(io.get_executor(), {});
//   sandbox.mount(*router);
//   sandbox.set_webhook_targets("http://127.0.0.1:8080/webhooks/tiktok",
//                               "http://127.0.0.1:8080/webhooks/tiktok_shop");
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"

namespace sparks::sandbox {

// How a webhook is retried until the target answers 2xx.
struct WebhookRetry {
  int max_attempts = 8;
  std::chrono::milliseconds first_delay{200};  // doubles after each failed attempt…
  std::chrono::milliseconds max_delay{5'000};  // …up to this
  std::chrono::milliseconds timeout{5'000};    // per attempt
};

struct SandboxOptions {
  std::string client_key = "sandbox-client-key";  // TikTok app
  std::string client_secret = "sandbox-client-secret";
  std::string app_key = "sandbox-app-key";  // TikTok Shop app
  std::string app_secret = "sandbox-app-secret";
  std::string service_id = "sandbox-service-id";  // its Partner Center service
  // Full URLs the webhooks are POSTed to; empty: webhooks are recorded but not sent.
  std::string tiktok_webhook_target;
  std::string shop_webhook_target;
  WebhookRetry webhook_retry;
  // TikTok API for Business calls a minute (sandbox clock) before code 40100: per authorized
  // account and endpoint, and per app.
  int tiktok_calls_per_minute_per_account = 40;
  int tiktok_calls_per_minute_per_app = 600;
  // Redirect URIs registered for the TikTok app besides loopback ones (which are always accepted).
  std::vector<std::string> tiktok_redirect_uris;
};

// One seeded account, as `GET /sandbox/v1/accounts` lists it.
struct AccountSummary {
  std::string id, platform, type, business_id, name, region;
};

struct Context;  // the sandbox's state and services (context.hpp)

class Sandbox {
 public:
  Sandbox(boost::asio::any_io_executor executor, SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Adds every platform and control route. The routes keep the sandbox's state alive, so the
  // router may outlive this object.
  void mount(http::Router& router) const;

  // Where webhooks go from now on (empty: nowhere). Safe from any thread.
  void set_webhook_targets(std::string tiktok_url, std::string shop_url);

  // The keys and settings. Read them before the executor runs: the webhook targets in here change
  // on the sandbox strand (set_webhook_targets, PUT /sandbox/v1/webhook-targets).
  const SandboxOptions& options() const;
  std::vector<AccountSummary> accounts() const;  // the seeded accounts

 private:
  std::shared_ptr<Context> context_;
};

// The engine's webhook routes under a server's base URL: base + "/webhooks/tiktok" and
// base + "/webhooks/tiktok_shop" (what `--webhook-target URL` means).
std::string tiktok_webhook_url(std::string_view base_url);
std::string shop_webhook_url(std::string_view base_url);

// What the TikTok and TikTok Shop connectors are configured with to talk to a sandbox served at
// `base_url` with `options`' keys, in the form EngineOptions::platform_config takes: platform id →
// JSON object text, every base URL at `base_url` (the fields are in docs/connectors.md).
std::map<std::string, std::string> platform_config(std::string_view base_url,
                                                   const SandboxOptions& options = {});

}  // namespace sparks::sandbox

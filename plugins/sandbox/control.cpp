// The control API (/sandbox/v1/…): make things happen on the emulated platforms — a revoked
// authorization, faults, time passing — and look at what the connectors did. TikTok's comments and
// messages are tiktok_control.cpp, the Shop's orders and products shop_control.cpp. Errors use the
// engine's shape
// {"error": {code, message}}.
#include "sandbox/context.hpp"
#include "sandbox/control_helpers.hpp"
#include "sandbox/webhooks.hpp"

namespace sparks::sandbox {

namespace {

// Seconds the clock may move in one call: ten years, so that arithmetic on times cannot overflow.
constexpr std::int64_t kMaxClockStep = 10LL * 365 * 24 * 60 * 60;

http::Response post_revoke(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  const Account* account = context.state.account(string_field(*body, "account"));
  if (account == nullptr) return not_found("no account \"" + string_field(*body, "account") + "\"");
  const int revoked = context.state.revoke_account(account->id);
  if (account->platform == kTikTok) {
    // reason 1: the user removed the app's access from TikTok.
    emit_tiktok_webhook(context, "authorization.removed", account->open_id, {{"reason", 1}});
  } else {
    emit_shop_webhook(context, kShopSellerDeauthorization, account->shop_id,
                      {{"message", "Shop_id " + account->shop_id +
                                       " is deauthorized from your APP by merchant."}});
  }
  return http::Response::json(200, {{"account", account->id}, {"revoked_grants", revoked}});
}

http::Response post_faults(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  // One fault object, or {"faults": [...]}: all are checked before any is armed.
  std::vector<boost::json::object> requested;
  if (const auto* list = body->if_contains("faults")) {
    if (!list->is_array()) return bad_request("\"faults\" must be an array");
    for (const auto& f : list->as_array()) {
      if (!f.is_object()) return bad_request("each fault must be an object");
      requested.push_back(f.as_object());
    }
  } else {
    requested.push_back(*body);
  }
  Faults trial = context.faults;
  for (const auto& f : requested) {
    if (auto problem = trial.add(f)) return bad_request(*problem);
  }
  context.faults = std::move(trial);
  return http::Response::json(201, {{"faults", context.faults.to_json()}});
}

http::Response get_faults(Context& context, const http::Request&) {
  return http::Response::json(200, {{"faults", context.faults.to_json()}});
}

http::Response delete_faults(Context& context, const http::Request&) {
  context.faults.clear();
  return http::Response::json(200, {{"faults", boost::json::array{}}});
}

http::Response get_accounts(Context& context, const http::Request&) {
  boost::json::array accounts;
  for (const auto& a : context.state.accounts) accounts.push_back(account_json(a));
  return http::Response::json(200, {{"accounts", std::move(accounts)}});
}

http::Response clock_now(Context& context) {
  return http::Response::json(200, {{"now", context.state.now()}});
}

http::Response get_clock(Context& context, const http::Request&) {
  return clock_now(context);
}

http::Response post_clock(Context& context, const http::Request& request) {
  auto body = json_body(request);
  const auto* step = body ? body->if_contains("advance_seconds") : nullptr;
  if (step == nullptr || !step->is_int64() || step->as_int64() < 0 ||
      step->as_int64() > kMaxClockStep) {
    return bad_request("\"advance_seconds\" must be an integer from 0 to ten years");
  }
  context.state.advance_clock(step->as_int64());
  return clock_now(context);
}

http::Response get_webhooks(Context& context, const http::Request&) {
  return http::Response::json(200, {{"webhooks", webhook_log_json(context)}});
}

http::Response put_webhook_targets(Context& context, const http::Request& request) {
  auto body = json_body(request);
  if (!body) return bad_request("the body must be a JSON object");
  if (body->contains("tiktok"))
    context.options.tiktok_webhook_target = string_field(*body, "tiktok");
  if (body->contains("tiktok_shop"))
    context.options.shop_webhook_target = string_field(*body, "tiktok_shop");
  return http::Response::json(200, {{"tiktok", context.options.tiktok_webhook_target},
                                    {"tiktok_shop", context.options.shop_webhook_target}});
}

}  // namespace

void add_control_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/sandbox/v1/revoke", post_revoke);
  add_route(router, context, "POST", "/sandbox/v1/faults", post_faults);
  add_route(router, context, "GET", "/sandbox/v1/faults", get_faults);
  add_route(router, context, "DELETE", "/sandbox/v1/faults", delete_faults);
  add_route(router, context, "GET", "/sandbox/v1/accounts", get_accounts);
  add_route(router, context, "GET", "/sandbox/v1/clock", get_clock);
  add_route(router, context, "POST", "/sandbox/v1/clock", post_clock);
  add_route(router, context, "GET", "/sandbox/v1/webhooks", get_webhooks);
  add_route(router, context, "PUT", "/sandbox/v1/webhook-targets", put_webhook_targets);
}

}  // namespace sparks::sandbox

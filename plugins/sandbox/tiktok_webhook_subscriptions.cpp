// TikTok API for Business webhook subscriptions, per app: business/webhook/update/ {app_id,
// secret, event_type, callback_url} says where events of that type go; business/webhook/list/
// reads it back. Without a subscription, events go to the sandbox's default TikTok target (as a
// URL set in the developer portal would). The app's keys authenticate these calls.
#include <boost/url/parse.hpp>

#include "sandbox/tiktok_api.hpp"

namespace sparks::sandbox {

namespace {

using namespace tiktok;

bool known_event_type(const std::string& type) {
  return type == "COMMENT" || type == "DIRECT_MESSAGE" || type == "VIDEO" ||
         type == "BRAND_MENTION";
}

std::optional<http::Response> check_app(Context& context, const std::string& app_id,
                                        const std::string& secret) {
  if (app_id != context.options.client_key || secret != context.options.client_secret) {
    return envelope(context, kNoPermission, "app_id or secret is incorrect.");
  }
  return std::nullopt;
}

http::Response update_webhook(Context& context, const http::Request& request) {
  const auto body = json_body(request);
  if (!body) return envelope(context, kInvalidParameter, "The body must be a JSON object.");
  if (auto refused = check_app(context, text_field(*body, "app_id"), text_field(*body, "secret"))) {
    return *refused;
  }
  const auto event_type = text_field(*body, "event_type");
  if (!known_event_type(event_type)) {
    return envelope(context, kInvalidParameter,
                    "event_type must be COMMENT, DIRECT_MESSAGE, VIDEO or BRAND_MENTION.");
  }
  const auto callback_url = text_field(*body, "callback_url");
  // https, as the platform requires; loopback http too, where the sandbox and engine run.
  const auto parsed = boost::urls::parse_absolute_uri(callback_url);
  const bool loopback = parsed && (parsed->host() == "127.0.0.1" || parsed->host() == "localhost");
  if (!parsed || (parsed->scheme() != "https" && !(loopback && parsed->scheme() == "http"))) {
    return envelope(context, kInvalidParameter, "callback_url: must be a valid https URL.");
  }
  context.state.webhook_subscriptions[event_type] = {event_type, callback_url};
  return envelope(context, kOk, "OK",
                  {{"app_id", context.options.client_key},
                   {"event_type", event_type},
                   {"callback_url", callback_url}});
}

// ?app_id&secret&event_type: data without callback_url when there is no subscription.
http::Response list_webhook(Context& context, const http::Request& request) {
  if (auto refused = check_app(context, request.query_value("app_id").value_or(""),
                               request.query_value("secret").value_or(""))) {
    return *refused;
  }
  const auto event_type = request.query_value("event_type").value_or("");
  if (!known_event_type(event_type)) {
    return envelope(context, kInvalidParameter,
                    "event_type must be COMMENT, DIRECT_MESSAGE, VIDEO or BRAND_MENTION.");
  }
  boost::json::object data{{"app_id", context.options.client_key}, {"event_type", event_type}};
  auto found = context.state.webhook_subscriptions.find(event_type);
  if (found != context.state.webhook_subscriptions.end()) {
    data["callback_url"] = found->second.callback_url;
  }
  return envelope(context, kOk, "OK", std::move(data));
}

}  // namespace

void add_tiktok_webhook_routes(http::Router& router, const std::shared_ptr<Context>& context) {
  add_route(router, context, "POST", "/open_api/v1.3/business/webhook/update/", update_webhook);
  add_route(router, context, "GET", "/open_api/v1.3/business/webhook/list/", list_webhook);
}

}  // namespace sparks::sandbox

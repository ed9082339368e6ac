// The echo connector: a complete, minimal Sparks plugin to copy from.
//
// Its "platform" is whatever server it is configured with (tests run one on 127.0.0.1):
//   POST {api_base_url}/oauth/token    {"code"}           → {"access_token", "refresh_token",
//   POST {api_base_url}/oauth/refresh  {"refresh_token"}     "expires_in", "scope", "account_id"}
// Webhooks carry `Echo-Signature: <hex HMAC-SHA256 of the body under client_secret>` and a body
// {"id", "account", "user", "text"} (a message) or {"id", "account", "type": "revoked"}.
// Its one action, echo.reply, sends nothing anywhere: it emits the text back as an echo.message
// trigger, optionally after `delay_ms`, which makes it handy for exercising the engine.
#include <sparks/plugin.hpp>

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>

namespace {

using sparks::plugin::Done;
using sparks::plugin::HttpRequest;
using sparks::plugin::HttpResponse;
using sparks::plugin::Request;
namespace json = boost::json;

// Reads a JSON object, or throws (the SDK turns the exception into a failed operation).
json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) throw std::invalid_argument("expected a JSON object");
  return std::move(value.as_object());
}

std::string string_or(const json::object& object, std::string_view key, std::string fallback) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : fallback;
}

std::string percent_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// What an HTTP failure means for the engine: a status code and a one-line message.
void fail_from(const Done& done, const HttpResponse& response) {
  if (response.status != SPARKS_OK) return done.fail(response.status, response.error);
  if (response.http_status == 401 || response.http_status == 400)
    return done.fail(SPARKS_ERR_UNAUTHORIZED, "the server rejected the credentials");
  if (response.http_status == 429) return done.fail(SPARKS_ERR_RATE_LIMITED, "rate limited");
  done.fail(SPARKS_ERR_UNAVAILABLE, "the server answered " + std::to_string(response.http_status));
}

// The token endpoint's answer as the credentials object the host stores.
std::string credentials_from(const HttpResponse& response) {
  json::object token = parse_object(response.body);
  json::array scopes;
  std::string scope_list = string_or(token, "scope", "");
  for (std::size_t start = 0; start < scope_list.size();) {
    std::size_t comma = scope_list.find(',', start);
    if (comma == std::string::npos) comma = scope_list.size();
    if (comma > start) scopes.emplace_back(scope_list.substr(start, comma - start));
    start = comma + 1;
  }
  return json::serialize(json::object{
      {"access_token", string_or(token, "access_token", "")},
      {"refresh_token", string_or(token, "refresh_token", "")},
      {"expires_in", token.contains("expires_in") ? token.at("expires_in") : json::value(3600)},
      {"granted_scopes", std::move(scopes)},
      {"account_id", string_or(token, "account_id", "")}});
}

class EchoConnector final : public sparks::plugin::Connector {
 public:
  explicit EchoConnector(sparks::plugin::Host host) : host_(host) {}

  static sparks::plugin::Manifest manifest() {
    return {
        .platform_id = "echo",
        .display_name = "Echo (example)",
        .version = "1.0.0",
        .scopes = {{.name = "echo.read",
                    .description = "Read messages sent to the account",
                    .required = true,
                    .enables = {"echo.message"}},
                   {.name = "echo.write",
                    .description = "Reply as the account",
                    .required = false,
                    .enables = {"echo.reply"}}},
        .lifecycle_triggers = {"authorization_removed", "token_refresh_failed",
                               "refresh_token_rejected", "token_refreshed", "platform_unavailable"},
        .triggers =
            {{.name = "echo.message",
              .description = "A message arrived",
              .params = {{.name = "user", .required = true, .description = "Who sent it"},
                         {.name = "text", .required = true, .description = "What it says"}},
              // A message: the engine puts it in the inbox, and flows may read {{message.text}}.
              .kind = SPARKS_TRIGGER_MESSAGE,
              .variables =
                  {{.name = "message.text", .field = "text", .description = "What it says"}}}},
        .actions =
            {{.name = "echo.reply",
              .description = "Echo a text back as an echo.message trigger",
              // `user` is filled from the event unless the flow gives it.
              .params = {{.name = "user", .required = true, .default_value = "{{contact.user}}"},
                         {.name = "text", .required = true},
                         {.name = "delay_ms",
                          .type = SPARKS_PARAM_INTEGER,
                          .description = "Wait this long first"}},
              .kind = SPARKS_ACTION_MESSAGE}},
    };
  }

  void configure(std::string_view config_json) override {
    json::object config = parse_object(config_json);
    api_base_url_ = string_or(config, "api_base_url", "");
    auth_base_url_ = string_or(config, "auth_base_url", api_base_url_);
    client_key_ = string_or(config, "client_key", "echo-client");
    client_secret_ = string_or(config, "client_secret", "echo-secret");
  }

  void authorize_url(Request request, Done done) override {
    json::object in = parse_object(request.json);
    std::string scopes;
    if (const json::value* list = in.if_contains("scopes"); list != nullptr && list->is_array())
      for (const json::value& scope : list->as_array())
        if (scope.is_string())
          scopes += (scopes.empty() ? "" : ",") + std::string(scope.as_string());
    std::string url = auth_base_url_ + "/authorize?client_key=" + percent_encode(client_key_) +
                      "&redirect_uri=" + percent_encode(string_or(in, "redirect_uri", "")) +
                      "&state=" + percent_encode(string_or(in, "state", "")) +
                      "&scope=" + percent_encode(scopes);
    done.ok(json::serialize(json::object{{"url", url}}));
  }

  void exchange_code(Request request, Done done) override {
    json::object in = parse_object(request.json);
    HttpRequest post{.method = "POST",
                     .url = api_base_url_ + "/oauth/token",
                     .headers = {{"Content-Type", "application/json"}},
                     .body = json::serialize(json::object{{"code", string_or(in, "code", "")},
                                                          {"client_key", client_key_}})};
    sparks_status_t started = host_.http(request.integration, post, [done](HttpResponse response) {
      if (response.status != SPARKS_OK || response.http_status != 200)
        return fail_from(done, response);
      try {
        done.ok(credentials_from(response));
      } catch (const std::exception& e) {
        done.fail(SPARKS_ERR_PROTOCOL, e.what());
      }
    });
    if (started != SPARKS_OK) done.fail(started, "could not start the token request");
  }

  // Refreshing also tells the lifecycle how it went, through emitted triggers.
  void refresh_token(Request request, Done done) override {
    json::object in = parse_object(request.json);
    json::object credentials;
    if (const json::value* c = in.if_contains("credentials"); c != nullptr && c->is_object())
      credentials = c->as_object();
    HttpRequest post{.method = "POST",
                     .url = api_base_url_ + "/oauth/refresh",
                     .headers = {{"Content-Type", "application/json"}},
                     .body = json::serialize(json::object{
                         {"refresh_token", string_or(credentials, "refresh_token", "")}})};
    auto host = host_;
    std::string integration = request.integration;
    sparks_status_t started = host_.http(integration, post, [=](HttpResponse response) {
      if (response.status == SPARKS_OK && response.http_status == 200) {
        host.emit_trigger(integration, "token_refreshed", "{}");
        return done.ok(credentials_from(response));
      }
      bool rejected = response.status == SPARKS_OK && response.http_status == 401;
      host.emit_trigger(integration, rejected ? "refresh_token_rejected" : "token_refresh_failed",
                        json::serialize(json::object{{"http_status", response.http_status}}));
      fail_from(done, response);
    });
    if (started != SPARKS_OK) done.fail(started, "could not start the refresh request");
  }

  void revoke(Request, Done done) override { done.ok("{}"); }

  void get_account(Request request, Done done) override {
    json::object in = parse_object(request.json);
    json::object credentials;
    if (const json::value* c = in.if_contains("credentials"); c != nullptr && c->is_object())
      credentials = c->as_object();
    std::string id = string_or(credentials, "account_id", "echo-account");
    done.ok(json::serialize(json::object{
        {"id", id}, {"name", "Echo " + id}, {"type", "business"}, {"business_id", "biz-echo"}}));
  }

  void verify_webhook(sparks::plugin::Webhook webhook, Done done) override {
    std::optional<std::string_view> signature = webhook.header("Echo-Signature");
    std::optional<std::array<uint8_t, 32>> mac = host_.hmac_sha256(client_secret_, webhook.body);
    if (!signature || !mac || *signature != to_hex(*mac))
      return done.fail(SPARKS_ERR_BAD_SIGNATURE, "Echo-Signature does not match the body");
    json::object body = parse_object(webhook.body);
    json::object event{{"id", string_or(body, "id", "")},
                       {"account", string_or(body, "account", "")}};
    if (string_or(body, "type", "message") == "revoked") {
      event["trigger"] = "authorization_removed";
      event["payload"] = json::object{};
    } else {
      event["trigger"] = "echo.message";
      event["payload"] = json::object{{"user", string_or(body, "user", "")},
                                      {"text", string_or(body, "text", "")}};
    }
    done.ok(json::serialize(json::object{{"events", json::array{std::move(event)}}}));
  }

  void sync(Request, Done done) override { done.ok(R"({"items":[]})"); }

  void execute_action(Request request, Done done) override {
    json::object in = parse_object(request.json);
    if (string_or(in, "action", "") != "echo.reply")
      return done.fail(SPARKS_ERR_NOT_FOUND, "unknown action");
    json::object params;
    if (const json::value* p = in.if_contains("params"); p != nullptr && p->is_object())
      params = p->as_object();
    std::string payload = json::serialize(json::object{{"user", string_or(params, "user", "")},
                                                       {"text", string_or(params, "text", "")}});
    std::int64_t delay = 0;
    if (const json::value* d = params.if_contains("delay_ms"); d != nullptr && d->is_int64())
      delay = d->as_int64();

    auto host = host_;
    std::string integration = request.integration;
    auto emit = [=](sparks_status_t timer_status) {
      if (timer_status != SPARKS_OK) return done.fail(timer_status, "the reply was cancelled");
      sparks_status_t emitted = host.emit_trigger(integration, "echo.message", payload);
      if (emitted != SPARKS_OK) return done.fail(emitted, "the host refused the trigger");
      done.ok(json::serialize(json::object{{"echoed", true}}));
    };
    if (delay <= 0) return emit(SPARKS_OK);
    sparks_status_t started = host_.set_timer(integration, std::chrono::milliseconds(delay), emit);
    if (started != SPARKS_OK) done.fail(started, "could not start the timer");
  }

 private:
  static std::string to_hex(const std::array<uint8_t, 32>& bytes) {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (uint8_t b : bytes) {
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
    return out;
  }

  sparks::plugin::Host host_;
  std::string api_base_url_;
  std::string auth_base_url_;
  std::string client_key_ = "echo-client";
  std::string client_secret_ = "echo-secret";
};

}  // namespace

SPARKS_PLUGIN_CONNECTOR(EchoConnector)

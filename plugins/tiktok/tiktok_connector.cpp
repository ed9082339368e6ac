// The TikTok connector: Login Kit OAuth (authorize URL, code exchange, refresh, revoke), the
// account from the Business API, webhooks, post and comment sync, and the DM / comment-reply
// actions. Every call to TikTok goes through the host's HTTP; see tiktok.hpp for the parts.
#include "common/signatures.hpp"
#include "common/url_encoding.hpp"
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using connectors::call_platform;
using connectors::Params;
using sparks::plugin::Done;
using sparks::plugin::HttpRequest;
using sparks::plugin::HttpResponse;
using sparks::plugin::Request;

constexpr std::string_view kBusinessApi = "/open_api/v1.3/business";

void fail(const Done& done, const Failure& failure) {
  done.fail(failure.status, failure.message);
}

std::string required_text(const json::object& config, std::string_view key) {
  std::string value = connectors::text(config, key);
  if (value.empty())
    throw std::invalid_argument("tiktok: \"" + std::string(key) + "\" is required");
  return value;
}

// A Login Kit token answer → the credentials the engine stores and hands back. Expiry is kept as
// absolute unix times so that it means the same after the credentials sat in the store a while.
json::object credentials_from(const json::object& token) {
  const std::int64_t now = connectors::unix_now();
  const std::int64_t expires_in = connectors::integer(token, "expires_in").value_or(0);
  const std::int64_t refresh_expires_in =
      connectors::integer(token, "refresh_expires_in").value_or(0);
  return {{"access_token", connectors::text(token, "access_token")},
          {"refresh_token", connectors::text(token, "refresh_token")},
          {"token_type", connectors::text(token, "token_type")},
          {"expires_in", expires_in},
          {"expires_at", now + expires_in},
          {"refresh_expires_at", now + refresh_expires_in},
          {"granted_scopes",
           connectors::array_of(connectors::split_list(connectors::text(token, "scope")))},
          {"account_id", connectors::text(token, "open_id")}};
}

// The credentials an operation was given, or throws.
json::object credentials_of(const json::object& request) {
  json::object credentials = connectors::object_at(request, "credentials");
  if (connectors::text(credentials, "access_token").empty())
    throw std::invalid_argument("the request carries no credentials.access_token");
  return credentials;
}

class TikTokConnector final : public sparks::plugin::Connector {
 public:
  explicit TikTokConnector(sparks::plugin::Host host) : host_(host) {}

  static sparks::plugin::Manifest manifest() { return tiktok::manifest(); }

  // Read whole before anything is kept: a refused configuration leaves the previous one in place.
  void configure(std::string_view config_json) override {
    const json::object in = connectors::parse_object(config_json, "the tiktok configuration");
    Config config{.client_key = required_text(in, "client_key"),
                  .client_secret = required_text(in, "client_secret"),
                  .auth_base_url = required_text(in, "auth_base_url"),
                  .api_base_url = required_text(in, "api_base_url"),
                  .open_api_base_url = connectors::text(in, "open_api_base_url")};
    if (config.open_api_base_url.empty()) config.open_api_base_url = config.api_base_url;
    config_ = std::move(config);
  }

  // ---- OAuth ------------------------------------------------------------------------------------

  void authorize_url(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    std::vector<std::string> scopes = connectors::strings(in, "scopes");
    if (scopes.empty())
      for (const auto& scope : manifest().scopes) scopes.push_back(scope.name);
    // Login Kit lists scopes comma-separated; the commas stay literal, as in TikTok's examples.
    std::string scope_list;
    for (const std::string& scope : scopes)
      scope_list += (scope_list.empty() ? "" : ",") + connectors::percent_encode(scope);
    std::string url =
        connectors::join_url(config_.auth_base_url, "/v2/auth/authorize/") +
        "?client_key=" + connectors::percent_encode(config_.client_key) + "&scope=" + scope_list +
        "&" +
        connectors::encode_params({{"redirect_uri", connectors::text(in, "redirect_uri")},
                                   {"state", connectors::text(in, "state")},
                                   {"response_type", "code"}});
    if (const std::string challenge = connectors::text(in, "code_challenge"); !challenge.empty())
      url += "&" + connectors::encode_params(
                       {{"code_challenge", challenge}, {"code_challenge_method", "S256"}});
    done.ok(json::serialize(json::object{{"url", url}}));
  }

  void exchange_code(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    Params form{{"client_key", config_.client_key},
                {"client_secret", config_.client_secret},
                {"code", connectors::text(in, "code")},
                {"grant_type", "authorization_code"},
                {"redirect_uri", connectors::text(in, "redirect_uri")}};
    if (const std::string verifier = connectors::text(in, "code_verifier"); !verifier.empty())
      form.emplace_back("code_verifier", verifier);
    token_request(request.integration, "/v2/oauth/token/", form, done,
                  [done](const HttpResponse& response) {
                    if (response.http_status != 200) return fail(done, oauth_failure(response));
                    const json::object token = connectors::parse_object(response.body, "the token");
                    if (connectors::text(token, "access_token").empty())
                      return fail(done, oauth_failure(response));
                    done.ok(json::serialize(credentials_from(token)));
                  });
  }

  // Refreshing also tells the lifecycle how it went: token_refreshed, or refresh_token_rejected
  // (reconnect needed) / token_refresh_failed (worth retrying).
  void refresh_token(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const std::string refresh =
        connectors::text(connectors::object_at(in, "credentials"), "refresh_token");
    const std::string integration = request.integration;
    auto host = host_;
    auto rejected = [host, integration, done](const Failure& failure, int http_status) {
      const bool reconnect = failure.status == SPARKS_ERR_UNAUTHORIZED;
      host.emit_trigger(integration, reconnect ? "refresh_token_rejected" : "token_refresh_failed",
                        json::serialize(json::object{{"http_status", http_status},
                                                     {"message", failure.message}}));
      fail(done, failure);
    };
    if (refresh.empty())
      return rejected({SPARKS_ERR_UNAUTHORIZED, "the credentials hold no refresh token"}, 0);
    token_request(integration, "/v2/oauth/token/",
                  {{"client_key", config_.client_key},
                   {"client_secret", config_.client_secret},
                   {"grant_type", "refresh_token"},
                   {"refresh_token", refresh}},
                  done, [host, integration, done, rejected](const HttpResponse& response) {
                    std::optional<json::object> token;
                    if (response.status == SPARKS_OK && response.http_status == 200)
                      token = connectors::try_parse_object(response.body);
                    if (!token || connectors::text(*token, "access_token").empty())
                      return rejected(oauth_failure(response), response.http_status);
                    json::object credentials = credentials_from(*token);
                    host.emit_trigger(
                        integration, "token_refreshed",
                        json::serialize(json::object{{"expires_at", credentials["expires_at"]}}));
                    done.ok(json::serialize(credentials));
                  });
  }

  void revoke(Request request, Done done) override {
    const json::object credentials =
        credentials_of(connectors::parse_object(request.json, "the request"));
    token_request(request.integration, "/v2/oauth/revoke/",
                  {{"client_key", config_.client_key},
                   {"client_secret", config_.client_secret},
                   {"token", connectors::text(credentials, "access_token")}},
                  done, [done](const HttpResponse& response) {
                    if (response.http_status != 200) return fail(done, oauth_failure(response));
                    done.ok("{}");
                  });
  }

  // ---- the account ------------------------------------------------------------------------------

  void get_account(Request request, Done done) override {
    const json::object credentials =
        credentials_of(connectors::parse_object(request.json, "the request"));
    const std::string open_id = connectors::text(credentials, "account_id");
    business_call(
        request.integration, credentials, "GET",
        "/get/?" + connectors::encode_params({{"business_id", open_id}}), "", done,
        [done, open_id](const json::object& data) {
          const std::string id = connectors::text(data, "open_id");
          const std::string business_id = connectors::text(data, "business_id");
          json::object account{
              {"id", id.empty() ? open_id : id},
              {"name", connectors::text(data, "display_name")},
              {"username", connectors::text(data, "username")},
              {"type", connectors::boolean(data, "is_business_account") ? "business" : "personal"}};
          account["business_id"] =
              business_id.empty() ? json::value(nullptr) : json::value(business_id);
          done.ok(json::serialize(account));
        });
  }

  // ---- webhooks ---------------------------------------------------------------------------------

  void verify_webhook(sparks::plugin::Webhook webhook, Done done) override {
    WebhookOutcome outcome =
        tiktok::verify_webhook(host_, config_, webhook, connectors::unix_now());
    if (outcome.failure) return fail(done, *outcome.failure);
    done.ok(outcome.result_json);
  }

  // ---- sync -------------------------------------------------------------------------------------

  // what=posts: the Display API's video list ({id, title, …}). what=comments: the Business API's
  // comment list ({id, create_time, …}). One page per call; `next_cursor` is present while there
  // are more.
  void sync(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const std::string what = connectors::text(in, "what");
    const std::int64_t cursor = connectors::integer(in, "cursor").value_or(0);
    if (what == "posts") return sync_posts(request.integration, credentials, cursor, done);
    if (what == "comments") {
      Params query{{"business_id", connectors::text(credentials, "account_id")},
                   {"cursor", std::to_string(cursor)},
                   {"max_count", "50"}};
      if (const std::string video = connectors::text(in, "video_id"); !video.empty())
        query.emplace_back("video_id", video);
      return business_call(request.integration, credentials, "GET",
                           "/comment/list/?" + connectors::encode_params(query), "", done,
                           [done](const json::object& data) {
                             // The engine reads a comment's "id" (sparks/plugin.h); the Business
                             // API calls it comment_id.
                             json::object comments = page(data, "comments");
                             for (json::value& c : comments["items"].as_array())
                               if (c.is_object() && !c.as_object().contains("id"))
                                 c.as_object()["id"] =
                                     connectors::text(c.as_object(), "comment_id");
                             done.ok(json::serialize(comments));
                           });
    }
    done.fail(SPARKS_ERR_INVALID_ARGUMENT,
              "tiktok syncs \"posts\" or \"comments\", not \"" + what + "\"");
  }

  // ---- actions ----------------------------------------------------------------------------------

  void execute_action(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const json::object params = connectors::object_at(in, "params");
    const std::string action = connectors::text(in, "action");
    const std::string business_id = connectors::text(credentials, "account_id");
    if (action != "tiktok.send_dm" && action != "tiktok.reply_comment")
      return done.fail(SPARKS_ERR_NOT_FOUND, "tiktok has no action \"" + action + "\"");
    const std::string text = connectors::text(params, "text");
    if (text.empty()) return done.fail(SPARKS_ERR_INVALID_ARGUMENT, action + " needs a \"text\"");

    if (action == "tiktok.send_dm") {
      std::string recipient = connectors::text(params, "recipient");
      if (recipient.empty()) recipient = connectors::text(params, "user");
      if (recipient.empty())
        return done.fail(SPARKS_ERR_INVALID_ARGUMENT, "tiktok.send_dm needs a recipient or user");
      const json::object body{{"business_id", business_id},
                              {"recipient_type", "CONVERSATION"},
                              {"recipient", recipient},
                              {"message_type", "TEXT"},
                              {"text", {{"body", text}}}};
      return business_call(
          request.integration, credentials, "POST", "/message/send/", json::serialize(body), done,
          [done](const json::object& data) {
            const json::object message = connectors::object_at(data, "message");
            const std::string id = connectors::text(message, "message_id");
            if (id.empty())
              return done.fail(SPARKS_ERR_PROTOCOL,
                               "TikTok accepted the DM but gave no message_id");
            done.ok(json::serialize(
                json::object{{"message_id", id},
                             {"conversation_id", connectors::text(message, "conversation_id")}}));
          });
    }
    reply_comment(request, credentials, params, done);
  }

 private:
  // A Login Kit call: form-encoded POST to the token host. `then` sees every outcome, transport
  // failures included (oauth_failure reads them), so that refresh can report each one.
  void token_request(const std::string& integration, std::string_view path, const Params& form,
                     const Done& done, std::function<void(const HttpResponse&)> then) {
    HttpRequest post{.method = "POST",
                     .url = connectors::join_url(config_.open_api_base_url, path),
                     .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                 {"Cache-Control", "no-cache"}},
                     .body = connectors::encode_params(form)};
    call_platform(host_, integration, std::move(post), done, std::move(then));
  }

  // A Business API call; `on_data` gets `data` when the answer's code is 0.
  void business_call(const std::string& integration, const json::object& credentials,
                     std::string method, const std::string& path_and_query, std::string body,
                     const Done& done, std::function<void(const json::object&)> on_data) {
    HttpRequest call{.method = std::move(method),
                     .url = connectors::join_url(config_.api_base_url,
                                                 std::string(kBusinessApi) + path_and_query),
                     .headers = {{"Access-Token", connectors::text(credentials, "access_token")},
                                 {"Content-Type", "application/json"}},
                     .body = std::move(body)};
    call_platform(host_, integration, std::move(call), done,
                  [done, on_data = std::move(on_data)](const HttpResponse& response) {
                    if (auto failure = connectors::transport_failure(response, "TikTok"))
                      return fail(done, *failure);
                    const json::object answer =
                        connectors::parse_object(response.body, "the answer");
                    if (auto failure = business_failure(response, answer))
                      return fail(done, *failure);
                    on_data(connectors::object_at(answer, "data"));
                  });
  }

  void sync_posts(const std::string& integration, const json::object& credentials,
                  std::int64_t cursor, const Done& done) {
    json::object body{{"max_count", 20}};
    if (cursor > 0) body["cursor"] = cursor;
    HttpRequest post{
        .method = "POST",
        .url = connectors::join_url(config_.open_api_base_url, "/v2/video/list/") +
               "?fields=" + connectors::percent_encode("id,title,create_time,share_url"),
        .headers = {{"Authorization", "Bearer " + connectors::text(credentials, "access_token")},
                    {"Content-Type", "application/json"}},
        .body = json::serialize(body)};
    call_platform(host_, integration, std::move(post), done, [done](const HttpResponse& response) {
      if (auto failure = connectors::transport_failure(response, "TikTok"))
        return fail(done, *failure);
      const json::object answer = connectors::parse_object(response.body, "the answer");
      if (auto failure = display_failure(response, answer)) return fail(done, *failure);
      done.ok(json::serialize(page(connectors::object_at(answer, "data"), "videos")));
    });
  }

  // Replies through the Business API's comment reply endpoint. The sandbox does not emulate it, and
  // answers 404: that is reported as UNSUPPORTED, not as a platform failure.
  void reply_comment(const Request& request, const json::object& credentials,
                     const json::object& params, const Done& done) {
    const std::string comment_id = connectors::text(params, "comment_id");
    const std::string video_id = connectors::text(params, "video_id");
    if (comment_id.empty() || video_id.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.reply_comment needs comment_id and video_id");
    const json::object body{{"business_id", connectors::text(credentials, "account_id")},
                            {"comment_id", comment_id},
                            {"video_id", video_id},
                            {"text", connectors::text(params, "text")}};
    const std::string api = config_.api_base_url;
    HttpRequest post{
        .method = "POST",
        .url = connectors::join_url(api, std::string(kBusinessApi) + "/comment/reply/create/"),
        .headers = {{"Access-Token", connectors::text(credentials, "access_token")},
                    {"Content-Type", "application/json"}},
        .body = json::serialize(body)};
    call_platform(
        host_, request.integration, std::move(post), done,
        [done, api](const HttpResponse& response) {
          if (response.status == SPARKS_OK && response.http_status == 404)
            return done.fail(SPARKS_ERR_UNSUPPORTED,
                             "tiktok.reply_comment: " + api +
                                 " offers no comment reply endpoint "
                                 "(/open_api/v1.3/business/comment/reply/create/)");
          if (auto failure = connectors::transport_failure(response, "TikTok"))
            return fail(done, *failure);
          const json::object answer = connectors::parse_object(response.body, "the answer");
          if (auto failure = business_failure(response, answer)) return fail(done, *failure);
          const json::object data = connectors::object_at(answer, "data");
          done.ok(
              json::serialize(json::object{{"comment_id", connectors::text(data, "comment_id")}}));
        });
  }

  // {items, next_cursor?} from a page {<list>: [...], cursor, has_more}.
  static json::object page(const json::object& data, std::string_view list) {
    json::object result{{"items", connectors::array_at(data, list)}};
    if (connectors::boolean(data, "has_more"))
      result["next_cursor"] = std::to_string(connectors::integer(data, "cursor").value_or(0));
    return result;
  }

  sparks::plugin::Host host_;
  Config config_;
};

}  // namespace

}  // namespace sparks::tiktok

SPARKS_PLUGIN_CONNECTOR(sparks::tiktok::TikTokConnector)

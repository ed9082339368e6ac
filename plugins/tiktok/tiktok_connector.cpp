// The TikTok connector: TikTok API for Business OAuth (the consent URL, code exchange, refresh and
// revoke on /tt_user/oauth2/), the account, webhooks, the post and comment syncs, the DM and
// comment-reply actions, and whether one of them took effect after an interruption. Every call to
// TikTok goes through the host's HTTP; see tiktok.hpp for the parts.
#include "common/signatures.hpp"
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using sparks::plugin::Done;
using sparks::plugin::Request;

constexpr std::size_t kMaxMessageLength = 6000;  // characters of a DM's text.body
constexpr std::size_t kMaxReplyLength = 1200;    // characters of a comment reply

std::string required_text(const json::object& config, std::string_view key) {
  std::string value = connectors::text(config, key);
  if (value.empty())
    throw std::invalid_argument("tiktok: \"" + std::string(key) + "\" is required");
  return value;
}

// Characters, not bytes: TikTok's limits count what a person sees (UTF-8 continuation bytes are
// not counted).
std::size_t characters(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

// A token answer's data → the credentials the engine stores and hands back. Expiry is kept as
// absolute unix times so that it means the same after the credentials sat in the store a while.
json::object credentials_from(const json::object& token) {
  const std::int64_t now = connectors::unix_now();
  const std::int64_t expires_in = connectors::integer(token, "expires_in").value_or(0);
  const std::int64_t refresh_expires_in =
      connectors::integer(token, "refresh_token_expires_in").value_or(0);
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

// TikTok takes only redirect URLs that end with "/" (docs/connectors.md): the engine's callback
// answers with or without it, so the connector adds it, the same way for the consent page and the
// code exchange.
std::string redirect_uri_of(const json::object& request) {
  std::string uri = connectors::text(request, "redirect_uri");
  const auto path_end = std::min(uri.find_first_of("?#"), uri.size());
  if (path_end > 0 && uri[path_end - 1] != '/') uri.insert(path_end, "/");
  return uri;
}

class TikTokConnector final : public sparks::plugin::Connector {
 public:
  explicit TikTokConnector(sparks::plugin::Host host) : host_(host), api_(host, {}) {}

  static sparks::plugin::Manifest manifest() { return tiktok::manifest(); }

  // Read whole before anything is kept: a refused configuration leaves the previous one in place.
  void configure(std::string_view config_json) override {
    const json::object in = connectors::parse_object(config_json, "the tiktok configuration");
    Config config{.client_key = required_text(in, "client_key"),
                  .client_secret = required_text(in, "client_secret"),
                  .auth_base_url = required_text(in, "auth_base_url"),
                  .api_base_url = required_text(in, "api_base_url"),
                  .webhook_url = connectors::text(in, "webhook_url")};
    api_ = BusinessApi(host_, std::move(config));
  }

  // ---- OAuth ------------------------------------------------------------------------------------

  void authorize_url(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    std::vector<std::string> scopes = connectors::strings(in, "scopes");
    if (scopes.empty())
      for (const auto& scope : manifest().scopes) scopes.push_back(scope.name);
    // Scopes are comma-separated; the commas stay literal, as in TikTok's examples.
    std::string scope_list;
    for (const std::string& scope : scopes)
      scope_list += (scope_list.empty() ? "" : ",") + connectors::percent_encode(scope);
    std::string url = connectors::join_url(config().auth_base_url, "/v2/auth/authorize/") +
                      "?client_key=" + connectors::percent_encode(config().client_key) +
                      "&scope=" + scope_list + "&" +
                      connectors::encode_params({{"response_type", "code"},
                                                 {"redirect_uri", redirect_uri_of(in)},
                                                 {"state", connectors::text(in, "state")}});
    // A returning owner is sent straight back unless this asks for the consent screen again.
    if (connectors::boolean(in, "force_consent")) url += "&disable_auto_auth=1";
    done.ok(json::serialize(json::object{{"url", url}}));
  }

  void exchange_code(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    token_call(request.integration, "/tt_user/oauth2/token/",
               {{"client_id", config().client_key},
                {"client_secret", config().client_secret},
                {"grant_type", "authorization_code"},
                {"auth_code", connectors::text(in, "code")},
                {"redirect_uri", redirect_uri_of(in)}},
               done, [done](const BusinessAnswer& answer) {
                 if (answer.failure)
                   return done.fail(answer.failure->status, answer.failure->message);
                 if (connectors::text(answer.data, "access_token").empty())
                   return done.fail(SPARKS_ERR_PROTOCOL,
                                    "TikTok's token answer has no access_token");
                 done.ok(json::serialize(credentials_from(answer.data)));
               });
  }

  // Refreshing also tells the lifecycle how it went: token_refreshed, or refresh_token_rejected
  // (the refresh token is invalid or expired: reconnect) / token_refresh_failed (worth retrying).
  void refresh_token(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const std::string refresh =
        connectors::text(connectors::object_at(in, "credentials"), "refresh_token");
    const std::string integration = request.integration;
    auto host = host_;
    auto report_failure = [host, integration, done](const Failure& failure) {
      const bool reconnect = failure.status == SPARKS_ERR_UNAUTHORIZED;
      host.emit_trigger(integration, reconnect ? "refresh_token_rejected" : "token_refresh_failed",
                        json::serialize(json::object{{"message", failure.message}}));
      done.fail(failure.status, failure.message);
    };
    if (refresh.empty())
      return report_failure({SPARKS_ERR_UNAUTHORIZED, "the credentials hold no refresh token"});
    token_call(integration, "/tt_user/oauth2/refresh_token/",
               {{"client_id", config().client_key},
                {"client_secret", config().client_secret},
                {"grant_type", "refresh_token"},
                {"refresh_token", refresh}},
               done, [host, integration, done, report_failure](const BusinessAnswer& answer) {
                 if (answer.failure) return report_failure(*answer.failure);
                 if (connectors::text(answer.data, "access_token").empty())
                   return report_failure(
                       {SPARKS_ERR_PROTOCOL, "TikTok's refresh answer has no access_token"});
                 json::object credentials = credentials_from(answer.data);
                 host.emit_trigger(
                     integration, "token_refreshed",
                     json::serialize(json::object{{"expires_at", credentials["expires_at"]}}));
                 done.ok(json::serialize(credentials));
               });
  }

  void revoke(Request request, Done done) override {
    const json::object credentials =
        credentials_of(connectors::parse_object(request.json, "the request"));
    token_call(request.integration, "/tt_user/oauth2/revoke/",
               {{"client_id", config().client_key},
                {"client_secret", config().client_secret},
                {"access_token", connectors::text(credentials, "access_token")}},
               done, [done](const BusinessAnswer& answer) {
                 if (answer.failure)
                   return done.fail(answer.failure->status, answer.failure->message);
                 done.ok("{}");
               });
  }

  // ---- the account ------------------------------------------------------------------------------

  void get_account(Request request, Done done) override {
    const json::object credentials =
        credentials_of(connectors::parse_object(request.json, "the request"));
    tiktok::get_account(api_, request.integration, credentials, done);
  }

  // ---- webhooks ---------------------------------------------------------------------------------

  void verify_webhook(sparks::plugin::Webhook webhook, Done done) override {
    WebhookOutcome outcome =
        tiktok::verify_webhook(host_, config(), webhook, connectors::unix_now());
    if (outcome.failure) return done.fail(outcome.failure->status, outcome.failure->message);
    done.ok(outcome.result_json);
  }

  // ---- sync -------------------------------------------------------------------------------------

  void sync(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const std::string what = connectors::text(in, "what");
    const std::string cursor = connectors::text(in, "cursor");
    if (what == "posts") return sync_posts(request.integration, credentials, cursor, done);
    if (what == "comments")
      return sync_comments(api_, request.integration, credentials, cursor, done);
    done.fail(SPARKS_ERR_INVALID_ARGUMENT,
              "tiktok syncs \"posts\" or \"comments\", not \"" + what + "\"");
  }

  // ---- actions ----------------------------------------------------------------------------------

  void execute_action(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const json::object params = connectors::object_at(in, "params");
    const std::string action = connectors::text(in, "action");
    if (action == "tiktok.send_dm") return send_dm(request.integration, credentials, params, done);
    if (action == "tiktok.reply_comment")
      return reply_comment(request.integration, credentials, params, done);
    done.fail(SPARKS_ERR_NOT_FOUND, "tiktok has no action \"" + action + "\"");
  }

  // {"credentials", "action", "params", "since"}: did an action the engine never heard back from
  // take effect? (find_action.cpp)
  void find_action(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const json::object params = connectors::object_at(in, "params");
    const std::string action = connectors::text(in, "action");
    const std::optional<std::int64_t> since = connectors::integer(in, "since");
    if (!since)
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT, "find_action needs \"since\" (unix seconds)");
    if (action == "tiktok.send_dm")
      return find_sent_dm(api_, request.integration, credentials, params, *since, done);
    if (action == "tiktok.reply_comment")
      return find_comment_reply(api_, request.integration, credentials, params, *since, done);
    done.fail(SPARKS_ERR_NOT_FOUND, "tiktok has no action \"" + action + "\"");
  }

 private:
  const Config& config() const { return api_.config(); }

  // The token endpoints: JSON bodies with the app's id and secret, no Access-Token.
  void token_call(const std::string& integration, std::string path, json::object body,
                  const Done& done, std::function<void(const BusinessAnswer&)> then) {
    api_.call(integration, {.method = "POST", .path = std::move(path), .body = std::move(body)},
              done, std::move(then));
  }

  // {id, title, create_time, url} per video; next_cursor while has_more.
  void sync_posts(const std::string& integration, const json::object& credentials,
                  const std::string& cursor, const Done& done) {
    Params query{{"business_id", connectors::text(credentials, "account_id")},
                 {"fields", std::string(kVideoFields)},
                 {"max_count", "20"}};
    if (!cursor.empty()) query.emplace_back("cursor", cursor);
    api_.call_data(integration,
                   {.method = "GET",
                    .path = "/business/video/list/",
                    .query = std::move(query),
                    .access_token = connectors::text(credentials, "access_token")},
                   done, [done](const json::object& data) {
                     json::array items;
                     for (const json::value& v : connectors::array_at(data, "videos")) {
                       if (!v.is_object()) continue;
                       const json::object& video = v.as_object();
                       items.push_back(json::object{
                           {"id", connectors::text(video, "item_id")},
                           {"title", connectors::text(video, "caption")},
                           {"create_time", connectors::integer(video, "create_time").value_or(0)},
                           {"url", connectors::text(video, "share_url")}});
                     }
                     json::object page{{"items", std::move(items)}};
                     if (connectors::boolean(data, "has_more"))
                       page["next_cursor"] = connectors::text(data, "cursor");
                     done.ok(json::serialize(page));
                   });
  }

  // To a conversation the person opened, or — Comment-to-Message — one DM answering a comment
  // TikTok judged high-intent. The engine fills one of the two (the descriptor's messaging
  // window names them).
  void send_dm(const std::string& integration, const json::object& credentials,
               const json::object& params, const Done& done) {
    const std::string text = connectors::text(params, "text");
    if (text.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT, "tiktok.send_dm needs a \"text\"");
    if (characters(text) > kMaxMessageLength)
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.send_dm: TikTok takes at most 6000 characters");
    const std::string conversation = connectors::text(params, "conversation_id");
    const std::string comment = connectors::text(params, "reply_to_comment_id");
    if (!conversation.empty() && !comment.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.send_dm takes conversation_id or reply_to_comment_id, not both");
    if (conversation.empty() && comment.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.send_dm needs a conversation_id or a reply_to_comment_id");
    json::object body{{"business_id", connectors::text(credentials, "account_id")}};
    if (!comment.empty()) {
      body["direct_reply"] = {{"reply_type", "COMMENT_REPLY"},
                              {"comment_reply", {{"comment_id", comment}}}};
    } else {
      body["recipient_type"] = "CONVERSATION";
      body["recipient"] = conversation;
    }
    body["message_type"] = "TEXT";
    body["text"] = {{"body", text}};
    api_.call_data(integration,
                   {.method = "POST",
                    .path = "/business/message/send/",
                    .body = std::move(body),
                    .access_token = connectors::text(credentials, "access_token")},
                   done, [done, conversation](const json::object& data) {
                     const json::object message = connectors::object_at(data, "message");
                     const std::string id = connectors::text(message, "message_id");
                     if (id.empty())
                       return done.fail(SPARKS_ERR_PROTOCOL,
                                        "TikTok accepted the DM but gave no message_id");
                     std::string in_conversation = connectors::text(message, "conversation_id");
                     if (in_conversation.empty()) in_conversation = conversation;
                     done.ok(json::serialize(
                         json::object{{"message_id", id}, {"conversation_id", in_conversation}}));
                   });
  }

  void reply_comment(const std::string& integration, const json::object& credentials,
                     const json::object& params, const Done& done) {
    const std::string text = connectors::text(params, "text");
    const std::string comment_id = connectors::text(params, "comment_id");
    const std::string video_id = connectors::text(params, "video_id");
    if (text.empty() || comment_id.empty() || video_id.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.reply_comment needs comment_id, video_id and text");
    if (characters(text) > kMaxReplyLength)
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT,
                       "tiktok.reply_comment: TikTok takes at most 1200 characters");
    api_.call_data(
        integration,
        {.method = "POST",
         .path = "/business/comment/reply/create/",
         .body = json::object{{"business_id", connectors::text(credentials, "account_id")},
                              {"video_id", video_id},
                              {"comment_id", comment_id},
                              {"text", text}},
         .access_token = connectors::text(credentials, "access_token")},
        done, [done](const json::object& data) {
          done.ok(
              json::serialize(json::object{{"comment_id", connectors::text(data, "comment_id")}}));
        });
  }

  sparks::plugin::Host host_;
  BusinessApi api_;
};

}  // namespace

}  // namespace sparks::tiktok

SPARKS_PLUGIN_CONNECTOR(sparks::tiktok::TikTokConnector)

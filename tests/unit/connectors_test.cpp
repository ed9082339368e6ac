// The TikTok and TikTok Shop connectors, loaded through the real PluginHost and driven against the
// sandbox over real HTTP on 127.0.0.1: OAuth exchange, refresh and revoke; rejected refresh tokens;
// accounts (business, personal, and one where TikTok offers no Business Messaging); signed webhooks
// (good, forged, stale, duplicated; comment edits, deletions and visibility changes giving no
// event; DMs inbound only); Shop request signing; TikTok's messaging rules (the person writes
// first, 10 messages in 48 hours, one Comment-to-Message reply to a high-intent comment);
// throttling and outages; comment replies; finding an interrupted DM or reply; post, comment and
// catalog syncs; orders; what each descriptor says its triggers, actions, syncs and rate limits
// mean, and the normalized products and orders the engine reads. Signatures are also computed here
// with OpenSSL, independently of the code under test. Every wait has a deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "http/client.hpp"
#include "http/form.hpp"
#include "http/server.hpp"
#include "plugins/plugin_host.hpp"
#include "sandbox/sandbox.hpp"
#include "support/loopback_sandbox.hpp"
#include "support/platform_test_helpers.hpp"
#include "support/wait.hpp"
#include "tiktok_shop/signing.hpp"

namespace {

namespace net = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using sparks::http::ClientResponse;
using sparks::http::Fields;
using sparks::plugins::LoadedPlugin;
using sparks::plugins::Operation;
using sparks::plugins::WebhookEvent;

const std::string kPluginDir = std::string(SPARKS_BINARY_DIR) + "/plugins";
// Ends with "/", as TikTok requires of a redirect URL (the TikTok connector adds one where
// missing).
const std::string kRedirect = "http://127.0.0.1:9/oauth/callback/";
const std::vector<std::string> kShopScopes = {"seller.authorization.info", "seller.order.info",
                                              "seller.product.basic"};
// TikTok API for Business scopes, as the descriptor declares them (docs/connectors.md).
const std::vector<std::string> kTikTokScopes = {
    "user.account.type",   "user.info.basic",   "video.list",       "comment.list",
    "comment.list.manage", "message.list.read", "message.list.send"};

using sparks::testing::hmac_hex;
using sparks::testing::parse_object;
using sparks::testing::unix_now;

std::string str(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

json::array array_of(const std::vector<std::string>& names) {
  json::array out;
  for (const auto& name : names) out.emplace_back(name);
  return out;
}

// A TikTok webhook's event name, and its content (a JSON string inside the body, parsed).
std::string event_of(const sparks::http::Request& webhook) {
  return str(parse_object(webhook.body)["event"]);
}
json::object content_of(const sparks::http::Request& webhook) {
  return parse_object(str(parse_object(webhook.body)["content"]));
}

// The webhooks of one event, in the order they arrived.
std::vector<sparks::http::Request> with_event(const std::vector<sparks::http::Request>& webhooks,
                                              const std::string& event) {
  std::vector<sparks::http::Request> found;
  for (const auto& webhook : webhooks)
    if (event_of(webhook) == event) found.push_back(webhook);
  return found;
}

// `webhook` with `body`, signed as the sandbox signs it, at unix time `t`.
sparks::http::Request signed_at(const sparks::http::Request& webhook, const std::string& body,
                                std::int64_t t) {
  sparks::http::Request copy = webhook;
  copy.body = body;
  const std::string then = std::to_string(t);
  copy.headers["TikTok-Signature"] =
      "t=" + then + ",s=" + hmac_hex("sandbox-client-secret", then + "." + body);
  return copy;
}

// The engine's side of the plugin host, reduced to what a test looks at. Called on the io thread;
// read from the test thread, hence the mutex.
class TestBridge final : public sparks::plugins::PluginHostBridge {
 public:
  struct Emitted {
    std::string platform, trigger, payload;
  };
  explicit TestBridge(net::io_context& io) : io_(io) {}

  net::any_io_executor executor_for(std::string_view, std::string_view) override {
    return io_.get_executor();
  }
  bool emit_trigger(std::string_view platform, std::string_view, std::string_view trigger,
                    std::string_view payload) override {
    std::lock_guard lock(mutex_);
    emitted_.push_back({std::string(platform), std::string(trigger), std::string(payload)});
    return true;
  }
  std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                    std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto it = kv_.find(name(platform, integration, key));
    if (it == kv_.end()) return std::nullopt;
    return it->second;
  }
  bool kv_put(std::string_view platform, std::string_view integration, std::string_view key,
              std::string_view value) override {
    std::lock_guard lock(mutex_);
    kv_[name(platform, integration, key)] = std::string(value);
    return true;
  }
  bool kv_delete(std::string_view platform, std::string_view integration,
                 std::string_view key) override {
    std::lock_guard lock(mutex_);
    return kv_.erase(name(platform, integration, key)) == 1;
  }

  // The triggers emitted so far, by name, in order.
  std::vector<std::string> triggers() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (const auto& e : emitted_) names.push_back(e.trigger);
    return names;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    emitted_.clear();
  }

 private:
  static std::string name(std::string_view platform, std::string_view integration,
                          std::string_view key) {
    return std::string(platform) + "/" + std::string(integration) + "/" + std::string(key);
  }
  net::io_context& io_;
  std::mutex mutex_;
  std::vector<Emitted> emitted_;
  std::map<std::string, std::string> kv_;
};

struct Answer {
  sparks_status_t status = SPARKS_ERR_INTERNAL;
  std::string text;  // the result document, or the failure's message
  json::object json() const { return parse_object(text); }
};

struct Verified {
  sparks_status_t status = SPARKS_ERR_INTERNAL;
  std::string error;
  std::vector<WebhookEvent> events;
};

class ConnectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_ = std::make_unique<sparks::testing::LoopbackSandbox>(io_.get_executor());
    base_ = platform_->base_url();

    host_ = std::make_unique<sparks::plugins::PluginHost>(io_.get_executor(), bridge_);
    const auto config = sparks::sandbox::platform_config(base_);
    tiktok_ = load("libsparks_tiktok.so", "tiktok", config.at("tiktok"));
    shop_ = load("libsparks_tiktok_shop.so", "tiktok_shop", config.at("tiktok_shop"));
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    // Unloaded on the io thread, so that no plugin callback runs concurrently with it.
    try {
      sparks::testing::await_result<bool>("the plugins to unload", [&](auto unloaded) {
        net::post(io_, [this, unloaded] {
          host_->unload_all();
          unloaded(true);
        });
      });
    } catch (const sparks::testing::WaitTimedOut& e) {
      ADD_FAILURE() << e.what();  // and on: the io thread must still be stopped and joined
    }
    platform_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
    host_.reset();
  }

  LoadedPlugin* load(const std::string& file, const std::string& platform,
                     const std::string& config) {
    auto report = host_->load_file(kPluginDir + "/" + file);
    EXPECT_TRUE(report.loaded()) << (report.refusal ? report.refusal->to_string() : "");
    LoadedPlugin* plugin = host_->find(platform);
    if (plugin == nullptr) return nullptr;
    std::string error;
    EXPECT_TRUE(plugin->configure(config, error)) << error;
    return plugin;
  }

  // One operation, started on the io thread as the engine would, and its answer.
  Answer call(LoadedPlugin* plugin, Operation operation, const json::object& request) {
    return sparks::testing::await_result<Answer>("the plugin's answer", [&](auto done) {
      net::post(io_, [plugin, operation, text = json::serialize(request), done] {
        plugin->call(operation, "ws-1", text, [done](sparks_status_t status, std::string result) {
          done({status, std::move(result)});
        });
      });
    });
  }

  Verified verify(LoadedPlugin* plugin, const sparks::http::Request& webhook) {
    sparks::plugins::WebhookRequest request{
        webhook.method, webhook.path, webhook.query_string, {}, webhook.body};
    for (const auto& [name, value] : webhook.headers) request.headers.emplace_back(name, value);
    return verify(plugin, request);
  }
  Verified verify(LoadedPlugin* plugin, const sparks::plugins::WebhookRequest& request) {
    return sparks::testing::await_result<Verified>("the webhook's verdict", [&](auto done) {
      net::post(io_, [plugin, request, done] {
        plugin->verify_webhook(request, [done](sparks_status_t status, std::string error,
                                               std::vector<WebhookEvent> events) {
          done({status, std::move(error), std::move(events)});
        });
      });
    });
  }

  ClientResponse request(std::string method, std::string target, std::string body = {},
                         sparks::http::Headers headers = {}) {
    return sparks::testing::await_result<ClientResponse>(
        "the sandbox's answer to " + method + " " + target, [&](auto done) {
          sparks::http::send_request(
              io_.get_executor(),
              {std::move(method), base_ + target, std::move(headers), std::move(body)}, done);
        });
  }

  json::object control(const std::string& target, const json::value& body, int expected = 201) {
    auto r = request("POST", target, json::serialize(body), {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, expected) << target << ": " << r.body;
    return parse_object(r.body);
  }

  // Ticks `scopes` on a consent form and approves it for `account`; returns the code.
  std::string consent(const std::string& path, Fields form,
                      const std::vector<std::string>& scopes) {
    form.emplace_back("redirect_uri", kRedirect);
    form.emplace_back("state", "st-1");
    for (const auto& s : scopes) form.emplace_back("scope", s);
    auto r = request("POST", path, sparks::http::encode_form(form),
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 302) << r.body;
    auto url = boost::urls::parse_absolute_uri(r.headers["Location"]);
    if (!url) return "";
    return sparks::http::field(sparks::http::decode_form(url->encoded_query()).value_or(Fields{}),
                               "code")
        .value_or("");
  }

  // The full TikTok connection: consent, then the plugin's exchange_code. The credentials.
  json::object connect_tiktok(const std::string& account,
                              const std::vector<std::string>& scopes = kTikTokScopes) {
    const std::string code =
        consent("/v2/auth/authorize/", {{"client_key", "sandbox-client-key"}, {"account", account}},
                scopes);
    Answer answer =
        call(tiktok_, Operation::exchange_code, {{"code", code}, {"redirect_uri", kRedirect}});
    EXPECT_EQ(answer.status, SPARKS_OK) << answer.text;
    return answer.json();
  }

  json::object connect_shop(const std::string& account) {
    const std::string code = consent(
        "/oauth/authorize", {{"app_key", "sandbox-app-key"}, {"account", account}}, kShopScopes);
    Answer answer =
        call(shop_, Operation::exchange_code, {{"code", code}, {"redirect_uri", kRedirect}});
    EXPECT_EQ(answer.status, SPARKS_OK) << answer.text;
    return answer.json();
  }

  // A DM in a conversation the person opened by writing.
  Answer send_dm(const json::object& credentials, const std::string& conversation_id,
                 const std::string& text) {
    return call(tiktok_, Operation::execute_action,
                {{"credentials", credentials},
                 {"action", "tiktok.send_dm"},
                 {"params", {{"conversation_id", conversation_id}, {"text", text}}}});
  }

  // The one DM Comment-to-Message allows in answer to a high-intent comment.
  Answer reply_by_dm(const json::object& credentials, const std::string& comment_id,
                     const std::string& text) {
    return call(tiktok_, Operation::execute_action,
                {{"credentials", credentials},
                 {"action", "tiktok.send_dm"},
                 {"params", {{"reply_to_comment_id", comment_id}, {"text", text}}}});
  }

  // A public reply to a comment on video-1.
  Answer reply_comment(const json::object& credentials, const std::string& comment_id,
                       const std::string& text) {
    return call(
        tiktok_, Operation::execute_action,
        {{"credentials", credentials},
         {"action", "tiktok.reply_comment"},
         {"params", {{"comment_id", comment_id}, {"video_id", "video-1"}, {"text", text}}}});
  }

  // The person writes to the account (which opens the conversation); its id.
  std::string person_writes(const std::string& account, const std::string& user,
                            const std::string& text) {
    auto written =
        control("/sandbox/v1/messages", {{"account", account}, {"user", user}, {"text", text}});
    return str(written["message"].as_object()["conversation_id"]);
  }

  // Every page of the comment sync, followed to its end (bounded): all the items, or the first
  // failure. `page_sizes`, when given, gets each page's item count.
  Answer sync_every_comment(const json::object& credentials,
                            std::vector<std::size_t>* page_sizes = nullptr) {
    json::array items;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
      json::object sync{{"credentials", credentials}, {"what", "comments"}};
      if (!cursor.empty()) sync["cursor"] = cursor;
      Answer answer = call(tiktok_, Operation::sync, sync);
      if (answer.status != SPARKS_OK) return answer;
      json::object result = answer.json();
      if (page_sizes != nullptr) page_sizes->push_back(result["items"].as_array().size());
      for (auto& item : result["items"].as_array()) items.push_back(item);
      if (!result.contains("next_cursor")) break;
      cursor = str(result["next_cursor"]);
    }
    return {SPARKS_OK, json::serialize(json::object{{"items", std::move(items)}})};
  }

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  TestBridge bridge_{io_};
  std::unique_ptr<sparks::testing::LoopbackSandbox> platform_;
  std::unique_ptr<sparks::plugins::PluginHost> host_;
  LoadedPlugin* tiktok_ = nullptr;
  LoadedPlugin* shop_ = nullptr;
  std::string base_;
  std::thread thread_;
};

// ---- descriptors --------------------------------------------------------------------------------

TEST_F(ConnectorsTest, DescriptorsDeclareScopesAndWhatTheyEnable) {
  ASSERT_NE(tiktok_, nullptr);
  ASSERT_NE(shop_, nullptr);
  const auto& t = tiktok_->descriptor();
  EXPECT_EQ(t.display_name, "TikTok");
  std::map<std::string, std::vector<std::string>> enables;
  for (const auto& scope : t.scopes) {
    EXPECT_TRUE(scope.required) << scope.name;
    enables[scope.name] = scope.enables;
  }
  // TikTok API for Business scopes (docs/connectors.md).
  EXPECT_EQ(enables.size(), 7u);
  EXPECT_EQ(enables["comment.list"], (std::vector<std::string>{"tiktok.comment"}));
  EXPECT_EQ(enables["comment.list.manage"], (std::vector<std::string>{"tiktok.reply_comment"}));
  EXPECT_EQ(enables["message.list.read"],
            (std::vector<std::string>{"tiktok.dm", "tiktok.high_intent_comment"}));
  EXPECT_EQ(enables["message.list.send"], (std::vector<std::string>{"tiktok.send_dm"}));
  EXPECT_TRUE(enables["user.account.type"].empty());
  EXPECT_TRUE(enables["user.info.basic"].empty());
  EXPECT_TRUE(enables["video.list"].empty());
  for (const char* trigger :
       {"tiktok.comment", "tiktok.high_intent_comment", "tiktok.dm", "authorization_removed",
        "refresh_token_rejected", "platform_recovered"})
    EXPECT_TRUE(t.declares_trigger(trigger)) << trigger;
  EXPECT_TRUE(t.declares_action("tiktok.send_dm"));
  EXPECT_TRUE(t.declares_action("tiktok.reply_comment"));

  const auto& s = shop_->descriptor();
  EXPECT_EQ(s.display_name, "TikTok Shop");
  ASSERT_EQ(s.scopes.size(), 3u);
  EXPECT_EQ(s.scopes[0].name, "seller.authorization.info");
  EXPECT_EQ(s.scopes[1].name, "seller.order.info");
  EXPECT_EQ(s.scopes[1].enables,
            (std::vector<std::string>{"tiktok_shop.order", "tiktok_shop.get_order"}));
  EXPECT_EQ(s.scopes[2].name, "seller.product.basic");
  EXPECT_TRUE(s.declares_trigger("tiktok_shop.order"));
  EXPECT_TRUE(s.declares_trigger("authorization_removed"));
  EXPECT_TRUE(s.declares_trigger("authorization_expiring"));
  EXPECT_TRUE(s.declares_action("tiktok_shop.get_order"));
}

// ---- TikTok: OAuth ------------------------------------------------------------------------------

TEST_F(ConnectorsTest, TikTokAuthorizeUrlIsEncodedAndTheSandboxShowsItsConsentPage) {
  Answer answer = call(tiktok_, Operation::authorize_url,
                       {{"redirect_uri", "http://127.0.0.1:8080/oauth/tiktok/callback?x=1"},
                        {"state", "a b&c"},
                        {"scopes", json::array{"user.info.basic", "comment.list"}}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  const std::string url = str(answer.json()["url"]);
  EXPECT_EQ(url,
            base_ +
                "/v2/auth/authorize/?client_key=sandbox-client-key"
                "&scope=user.info.basic,comment.list&response_type=code"
                "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Foauth%2Ftiktok%2Fcallback%2F%3Fx%3D1"
                "&state=a%20b%26c");
  auto page = request("GET", url.substr(base_.size()));
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("name=\"state\" value=\"a b&amp;c\""), std::string::npos) << page.body;

  // No scopes asked for: every scope the plugin declares.
  Answer all =
      call(tiktok_, Operation::authorize_url, {{"redirect_uri", kRedirect}, {"state", "s"}});
  EXPECT_NE(str(all.json()["url"])
                .find("scope=user.account.type,user.info.basic,video.list,comment.list,"
                      "comment.list.manage,message.list.read,message.list.send&"),
            std::string::npos)
      << all.text;

  // A returning owner sees the consent screen again only when asked.
  Answer forced = call(tiktok_, Operation::authorize_url,
                       {{"redirect_uri", kRedirect}, {"state", "s"}, {"force_consent", true}});
  EXPECT_TRUE(str(forced.json()["url"]).ends_with("&disable_auto_auth=1")) << forced.text;

  // A Login Kit scope does not exist on the Business API: the page sends the owner back.
  Answer login_kit = call(
      tiktok_, Operation::authorize_url,
      {{"redirect_uri", kRedirect}, {"state", "s"}, {"scopes", json::array{"user.info.profile"}}});
  auto refused = request("GET", str(login_kit.json()["url"]).substr(base_.size()));
  EXPECT_EQ(refused.status, 302) << refused.body;
  EXPECT_NE(refused.headers["Location"].find("error=invalid_scope"), std::string::npos)
      << refused.headers["Location"];
}

TEST_F(ConnectorsTest, TikTokExchangesRefreshesAndRevokes) {
  const std::int64_t before = unix_now();
  json::object credentials = connect_tiktok("creator");
  EXPECT_EQ(credentials["account_id"], "open-creator");
  EXPECT_EQ(credentials["granted_scopes"], array_of(kTikTokScopes));
  EXPECT_NEAR(credentials["expires_in"].as_int64(), 86400, 1);
  EXPECT_GE(credentials["expires_at"].as_int64(), before + 86400);
  EXPECT_LE(credentials["expires_at"].as_int64(), unix_now() + 86400);
  EXPECT_GE(credentials["refresh_expires_at"].as_int64(), before + 365 * 86400);
  const std::string first_access = str(credentials["access_token"]);

  // open_id is the business_id of every Business API call.
  Answer account = call(tiktok_, Operation::get_account, {{"credentials", credentials}});
  ASSERT_EQ(account.status, SPARKS_OK) << account.text;
  EXPECT_EQ(account.json(), parse_object(R"({"id":"open-creator","name":"Creator Studio",
      "username":"creator.studio","type":"business","business_id":"biz-1",
      "unavailable":[]})"));

  // Refresh rotates both tokens and tells the lifecycle.
  Answer refreshed = call(tiktok_, Operation::refresh_token, {{"credentials", credentials}});
  ASSERT_EQ(refreshed.status, SPARKS_OK) << refreshed.text;
  json::object renewed = refreshed.json();
  EXPECT_NE(str(renewed["access_token"]), first_access);
  EXPECT_NE(str(renewed["refresh_token"]), str(credentials["refresh_token"]));
  EXPECT_EQ(renewed["account_id"], "open-creator");
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"token_refreshed"});

  // The old access token no longer works: reconnect-or-refresh territory.
  Answer stale = call(tiktok_, Operation::get_account, {{"credentials", credentials}});
  EXPECT_EQ(stale.status, SPARKS_ERR_UNAUTHORIZED) << stale.text;
  EXPECT_NE(stale.text.find("40105"), std::string::npos) << stale.text;

  Answer revoked = call(tiktok_, Operation::revoke, {{"credentials", renewed}});
  EXPECT_EQ(revoked.status, SPARKS_OK) << revoked.text;
  EXPECT_EQ(call(tiktok_, Operation::get_account, {{"credentials", renewed}}).status,
            SPARKS_ERR_UNAUTHORIZED);

  // A code works once.
  const std::string code =
      consent("/v2/auth/authorize/", {{"client_key", "sandbox-client-key"}, {"account", "creator"}},
              {"user.info.basic"});
  EXPECT_EQ(
      call(tiktok_, Operation::exchange_code, {{"code", code}, {"redirect_uri", kRedirect}}).status,
      SPARKS_OK);
  Answer reused =
      call(tiktok_, Operation::exchange_code, {{"code", code}, {"redirect_uri", kRedirect}});
  EXPECT_EQ(reused.status, SPARKS_ERR_UNAUTHORIZED);
  EXPECT_NE(reused.text.find("40110"), std::string::npos) << reused.text;
}

TEST_F(ConnectorsTest, TikTokRejectedRefreshTokenIsUnauthorized) {
  json::object credentials = connect_tiktok("creator");
  control("/sandbox/v1/faults", {{"kind", "refresh_rejected"}, {"account", "creator"}});
  Answer rejected = call(tiktok_, Operation::refresh_token, {{"credentials", credentials}});
  EXPECT_EQ(rejected.status, SPARKS_ERR_UNAUTHORIZED) << rejected.text;
  EXPECT_NE(rejected.text.find("40107"), std::string::npos) << rejected.text;
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"refresh_token_rejected"});

  // A transient failure is not a rejection.
  bridge_.clear();
  request("DELETE", "/sandbox/v1/faults");
  control("/sandbox/v1/faults", {{"kind", "http_error"},
                                 {"path", "/open_api/v1.3/tt_user/oauth2/refresh_token/"},
                                 {"status", 503}});
  Answer failed = call(tiktok_, Operation::refresh_token, {{"credentials", credentials}});
  EXPECT_EQ(failed.status, SPARKS_ERR_UNAVAILABLE) << failed.text;
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"token_refresh_failed"});
}

TEST_F(ConnectorsTest, TikTokPersonalAccountIsReportedAsPersonal) {
  json::object credentials = connect_tiktok("personal");
  Answer account = call(tiktok_, Operation::get_account, {{"credentials", credentials}});
  ASSERT_EQ(account.status, SPARKS_OK) << account.text;
  json::object a = account.json();
  EXPECT_EQ(a["type"], "personal");
  EXPECT_EQ(a["id"], "open-personal");
  EXPECT_TRUE(a["business_id"].is_null());

  // What only business accounts get — comments, Business Messaging — the platform refuses (40014).
  Answer comments = sync_every_comment(credentials);
  EXPECT_EQ(comments.status, SPARKS_ERR_FORBIDDEN) << comments.text;
  EXPECT_NE(comments.text.find("40014"), std::string::npos) << comments.text;
  const std::string conversation = person_writes("personal", "fan-6", "hi");
  Answer dm = send_dm(credentials, conversation, "hello");
  EXPECT_EQ(dm.status, SPARKS_ERR_FORBIDDEN) << dm.text;
  EXPECT_NE(dm.text.find("40014"), std::string::npos) << dm.text;
}

// ---- TikTok: webhooks ---------------------------------------------------------------------------

TEST_F(ConnectorsTest, TikTokWebhooksVerifyAndNormalize) {
  auto posted = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "price?"}});
  const json::object& made = posted["comment"].as_object();
  auto delivered = platform_->inbox.wait_for("/webhooks/tiktok", 1);
  ASSERT_EQ(delivered.size(), 1u);
  const sparks::http::Request webhook = delivered[0];
  EXPECT_EQ(event_of(webhook), "comment.update");

  // The signature, recomputed here with OpenSSL.
  const std::string header = webhook.headers.at("TikTok-Signature");
  const std::string t = header.substr(2, header.find(',') - 2);
  EXPECT_EQ(header, "t=" + t + ",s=" + hmac_hex("sandbox-client-secret", t + "." + webhook.body));

  Verified good = verify(tiktok_, webhook);
  ASSERT_EQ(good.status, SPARKS_OK) << good.error;
  ASSERT_EQ(good.events.size(), 1u);
  const WebhookEvent& comment = good.events[0];
  EXPECT_EQ(comment.trigger, "tiktok.comment");
  EXPECT_EQ(comment.account, "open-creator");
  json::object payload = parse_object(comment.payload_json);
  // comment_id arrives as a JSON number; it becomes the id's text.
  EXPECT_TRUE(content_of(webhook).at("comment_id").is_number());
  EXPECT_EQ(payload["comment_id"], made.at("comment_id"));
  EXPECT_EQ(comment.id, "comment:" + str(payload["comment_id"]));
  EXPECT_EQ(payload["video_id"], "video-1");
  EXPECT_EQ(payload["text"], "price?");
  // The person is the unique_identifier, the same across comments and messages; comment.update
  // carries no handle.
  EXPECT_EQ(payload["user"], made.at("unique_identifier"));
  EXPECT_EQ(payload["username"], "");
  EXPECT_EQ(payload["parent_comment_id"], "");
  EXPECT_EQ(payload["is_live"], false);

  // A forged signature, a tampered body, a missing header.
  sparks::http::Request forged = webhook;
  forged.headers["TikTok-Signature"] = "t=" + t + ",s=" + std::string(64, '0');
  EXPECT_EQ(verify(tiktok_, forged).status, SPARKS_ERR_BAD_SIGNATURE);
  sparks::http::Request tampered = webhook;
  tampered.body.replace(tampered.body.find("price?"), 6, "free!!");
  EXPECT_EQ(verify(tiktok_, tampered).status, SPARKS_ERR_BAD_SIGNATURE);
  sparks::http::Request unsigned_copy = webhook;
  unsigned_copy.headers.erase("TikTok-Signature");
  EXPECT_EQ(verify(tiktok_, unsigned_copy).status, SPARKS_ERR_BAD_SIGNATURE);

  // Correctly signed but sent 6 minutes ago (a replay): refused. 4 minutes: accepted.
  for (auto [age, expected] :
       {std::pair{360, SPARKS_ERR_BAD_SIGNATURE}, std::pair{240, SPARKS_OK}}) {
    Verified outcome = verify(tiktok_, signed_at(webhook, webhook.body, unix_now() - age));
    EXPECT_EQ(outcome.status, expected) << age << "s: " << outcome.error;
  }

  // TikTok's documentation shows the header's shape, not a secret and body to check it with: it
  // parses, and does not verify here.
  sparks::http::Request documented = webhook;
  documented.headers["TikTok-Signature"] =
      "t=1633174587,s=18494715036ac4416a1d0a673871a2edbcfc94d94bd88ccd2c5ec9b3425afe66";
  Verified doc = verify(tiktok_, documented);
  EXPECT_EQ(doc.status, SPARKS_ERR_BAD_SIGNATURE);
  EXPECT_NE(doc.error.find("does not match"), std::string::npos) << doc.error;
}

// comment.update starts a flow for a new comment or reply only: an edit, a deletion or a visibility
// change is acknowledged and gives no event.
TEST_F(ConnectorsTest, TikTokCommentEditsDeletionsAndVisibilityChangesGiveNoEvent) {
  auto posted = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "nice"}});
  const std::string id = str(posted["comment"].as_object()["comment_id"]);
  control("/sandbox/v1/comments", {{"account", "creator"},
                                   {"video_id", "video-1"},
                                   {"user", "fan-2"},
                                   {"text", "agreed"},
                                   {"parent_comment_id", id}});
  const std::string target = "/sandbox/v1/comments/" + id;
  const sparks::http::Headers json_type{{"Content-Type", "application/json"}};
  EXPECT_EQ(request("PATCH", target, R"({"text":"nice!"})", json_type).status, 200);
  for (const char* visibility : {"hidden", "friends_only", "public"})
    control(target + "/visibility", {{"visibility", visibility}}, 200);
  EXPECT_EQ(request("DELETE", target).status, 200);

  auto delivered = platform_->inbox.wait_for("/webhooks/tiktok", 7);
  ASSERT_EQ(delivered.size(), 7u);
  std::map<std::string, std::vector<std::string>> triggers_by_action;
  std::vector<std::string> parents;  // of each event
  for (const auto& webhook : delivered) {
    Verified verdict = verify(tiktok_, webhook);
    ASSERT_EQ(verdict.status, SPARKS_OK) << verdict.error;
    const std::string action = str(content_of(webhook).at("comment_action"));
    auto& triggers = triggers_by_action[action];
    for (const auto& e : verdict.events) {
      triggers.push_back(e.trigger);
      parents.push_back(str(parse_object(e.payload_json)["parent_comment_id"]));
    }
  }
  using Names = std::vector<std::string>;
  EXPECT_EQ(triggers_by_action["insert"], (Names{"tiktok.comment", "tiktok.comment"}));
  // The reply names the comment it answers (a number on the wire, text here).
  std::sort(parents.begin(), parents.end());
  EXPECT_EQ(parents, (Names{"", id}));
  for (const char* action :
       {"edit", "set_to_hidden", "set_to_friends_only", "set_to_public", "delete"}) {
    ASSERT_TRUE(triggers_by_action.contains(action)) << action;
    EXPECT_TRUE(triggers_by_action[action].empty()) << action;
  }
}

TEST_F(ConnectorsTest, TikTokDmAndRevocationWebhooksAndDuplicatesKeepTheirId) {
  control("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-2"}, {"text", "hi!"}});
  auto dm = platform_->inbox.wait_for("/webhooks/tiktok", 1);
  ASSERT_EQ(dm.size(), 1u);
  EXPECT_EQ(event_of(dm[0]), "im_receive_msg");
  Verified message = verify(tiktok_, dm[0]);
  ASSERT_EQ(message.status, SPARKS_OK) << message.error;
  ASSERT_EQ(message.events.size(), 1u);
  EXPECT_EQ(message.events[0].trigger, "tiktok.dm");
  json::object payload = parse_object(message.events[0].payload_json);
  const json::object content = content_of(dm[0]);
  EXPECT_EQ(payload["user"], content.at("unique_identifier"));
  EXPECT_EQ(payload["text"], "hi!");
  EXPECT_FALSE(str(payload["conversation_id"]).empty());
  EXPECT_EQ(payload["conversation_id"], content.at("conversation_id"));
  EXPECT_EQ(message.events[0].id, "message:" + str(payload["message_id"]));

  // The account's own message, as TikTok echoes it (from the business, to the person): inbound
  // only, so no event.
  json::object outbound = content;
  outbound["from_user"] = content.at("to_user");
  outbound["to_user"] = content.at("from_user");
  json::object envelope = parse_object(dm[0].body);
  envelope["content"] = json::serialize(outbound);
  Verified echo = verify(tiktok_, signed_at(dm[0], json::serialize(envelope), unix_now()));
  ASSERT_EQ(echo.status, SPARKS_OK) << echo.error;
  EXPECT_TRUE(echo.events.empty());

  // The sandbox sends the next webhook twice: both verify, with the same event id. Deliveries run
  // concurrently, so webhooks are told apart by their event, not their order.
  control("/sandbox/v1/faults", {{"kind", "webhook_duplicate"}});
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-2"}, {"user", "fan-3"}, {"text", "nice!"}});
  auto twice = with_event(platform_->inbox.wait_for("/webhooks/tiktok", 3), "comment.update");
  ASSERT_EQ(twice.size(), 2u);
  Verified first = verify(tiktok_, twice[0]);
  Verified second = verify(tiktok_, twice[1]);
  ASSERT_EQ(first.status, SPARKS_OK) << first.error;
  ASSERT_EQ(second.status, SPARKS_OK) << second.error;
  ASSERT_EQ(first.events.size(), 1u);
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(first.events[0].id, second.events[0].id);

  // The creator removes the app.
  control("/sandbox/v1/revoke", {{"account", "creator"}}, 200);
  auto revoked =
      with_event(platform_->inbox.wait_for("/webhooks/tiktok", 4), "authorization.removed");
  ASSERT_EQ(revoked.size(), 1u);
  Verified removal = verify(tiktok_, revoked[0]);
  ASSERT_EQ(removal.status, SPARKS_OK) << removal.error;
  ASSERT_EQ(removal.events.size(), 1u);
  EXPECT_EQ(removal.events[0].trigger, "authorization_removed");
  EXPECT_EQ(removal.events[0].account, "open-creator");
  EXPECT_TRUE(removal.events[0].id.starts_with("authorization_removed:"));
  // Re-signed later (as a redelivery would be), the same body keeps its id.
  Verified redelivered = verify(tiktok_, signed_at(revoked[0], revoked[0].body, unix_now()));
  ASSERT_EQ(redelivered.events.size(), 1u);
  EXPECT_EQ(redelivered.events[0].id, removal.events[0].id);
}

// ---- TikTok: actions and sync -------------------------------------------------------------------

// A business may not start a conversation: it writes after the person did, up to 10 messages in
// the 48 hours after the person's last message (docs/sandbox.md, "Messaging rules").
TEST_F(ConnectorsTest, TikTokDmFollowsTheTenMessageAnd48HourRules) {
  json::object credentials = connect_tiktok("creator");
  // A comment opens no conversation; there is none to write in yet.
  auto commented = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "nice video"}});
  EXPECT_FALSE(commented["comment"].as_object().contains("conversation_id"));
  Answer early = send_dm(credentials, "conv-nobody-opened", "hello");
  EXPECT_EQ(early.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(early.text.find("40003"), std::string::npos) << early.text;

  const std::string conversation = person_writes("creator", "fan-9", "hi, question");
  for (int i = 1; i <= 10; ++i) {
    Answer sent = send_dm(credentials, conversation, "message " + std::to_string(i));
    ASSERT_EQ(sent.status, SPARKS_OK) << i << ": " << sent.text;
    EXPECT_FALSE(str(sent.json()["message_id"]).empty());
    EXPECT_EQ(str(sent.json()["conversation_id"]), conversation);
  }
  Answer eleventh = send_dm(credentials, conversation, "message 11");
  EXPECT_EQ(eleventh.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(eleventh.text.find("40003"), std::string::npos) << eleventh.text;
  EXPECT_NE(eleventh.text.find("10 messages"), std::string::npos) << eleventh.text;

  // The person writes again: the count starts over.
  EXPECT_EQ(person_writes("creator", "fan-9", "ok"), conversation);
  EXPECT_EQ(send_dm(credentials, conversation, "thanks").status, SPARKS_OK);
  auto sent = parse_object(request("GET", "/sandbox/v1/sent-messages?account=creator").body);
  EXPECT_EQ(sent["messages"].as_array().size(), 11u);

  // 48 hours later the window is closed (the access token has expired too: refresh first).
  control("/sandbox/v1/clock", {{"advance_seconds", 48 * 3600 + 60}}, 200);
  EXPECT_EQ(send_dm(credentials, conversation, "late").status, SPARKS_ERR_UNAUTHORIZED);
  Answer refreshed = call(tiktok_, Operation::refresh_token, {{"credentials", credentials}});
  ASSERT_EQ(refreshed.status, SPARKS_OK) << refreshed.text;
  Answer late = send_dm(refreshed.json(), conversation, "late");
  EXPECT_EQ(late.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(late.text.find("40003"), std::string::npos) << late.text;
  EXPECT_NE(late.text.find("48 hours"), std::string::npos) << late.text;
}

// Comment-to-Message: TikTok sends a comment it judges high-intent as its own event, and the
// account may answer it by one DM (reply_to_comment_id). It is offered in Thailand, where
// `creator` is registered; connecting switches it on.
TEST_F(ConnectorsTest, TikTokCommentToMessageAnswersAHighIntentCommentOnce) {
  json::object credentials = connect_tiktok("creator");
  Answer account = call(tiktok_, Operation::get_account, {{"credentials", credentials}});
  ASSERT_EQ(account.status, SPARKS_OK) << account.text;
  EXPECT_TRUE(account.json()["unavailable"].as_array().empty()) << account.text;

  auto asked = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-7"}, {"text", "price?"}});
  const json::object& comment = asked["comment"].as_object();
  EXPECT_EQ(comment.at("high_intent_event"), true);
  const std::string comment_id = str(comment.at("comment_id"));
  auto high_intent = with_event(platform_->inbox.wait_for("/webhooks/tiktok", 2),
                                "im_receive_high_intent_comment");
  ASSERT_EQ(high_intent.size(), 1u);
  Verified verdict = verify(tiktok_, high_intent[0]);
  ASSERT_EQ(verdict.status, SPARKS_OK) << verdict.error;
  ASSERT_EQ(verdict.events.size(), 1u);
  EXPECT_EQ(verdict.events[0].trigger, "tiktok.high_intent_comment");
  EXPECT_EQ(verdict.events[0].id, "high_intent_comment:" + comment_id);
  json::object payload = parse_object(verdict.events[0].payload_json);
  EXPECT_EQ(str(payload["comment_id"]), comment_id);
  EXPECT_EQ(payload["text"], "price?");
  EXPECT_EQ(payload["user"], comment.at("unique_identifier"));

  Answer reply = reply_by_dm(credentials, comment_id, "It is 39.99: code SPK-1A2B3C");
  ASSERT_EQ(reply.status, SPARKS_OK) << reply.text;
  EXPECT_FALSE(str(reply.json()["message_id"]).empty());
  auto sent = parse_object(request("GET", "/sandbox/v1/sent-messages?account=creator").body);
  ASSERT_EQ(sent["messages"].as_array().size(), 1u);
  const json::object& dm = sent["messages"].as_array()[0].as_object();
  EXPECT_EQ(dm.at("recipient_type"), "COMMENT");
  EXPECT_EQ(str(dm.at("recipient")), comment_id);
  EXPECT_EQ(dm.at("user"), "fan-7");

  // Once per comment.
  Answer again = reply_by_dm(credentials, comment_id, "Still there?");
  EXPECT_EQ(again.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(again.text.find("40003"), std::string::npos) << again.text;
  EXPECT_NE(again.text.find("already replied"), std::string::npos) << again.text;
  // The reply opens no window: the person has not written.
  Answer follow_up = send_dm(credentials, str(reply.json()["conversation_id"]), "More news");
  EXPECT_EQ(follow_up.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(follow_up.text.find("40003"), std::string::npos) << follow_up.text;

  // A comment TikTok does not judge high-intent grants no DM.
  auto plain = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-8"}, {"text", "nice video"}});
  EXPECT_EQ(plain["comment"].as_object()["high_intent"], false);
  Answer unasked =
      reply_by_dm(credentials, str(plain["comment"].as_object()["comment_id"]), "Hello");
  EXPECT_EQ(unasked.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(unasked.text.find("not a high-intent comment"), std::string::npos) << unasked.text;

  // One way or the other, not both.
  Answer both =
      call(tiktok_, Operation::execute_action,
           {{"credentials", credentials},
            {"action", "tiktok.send_dm"},
            {"params",
             {{"conversation_id", "conv-1"}, {"reply_to_comment_id", comment_id}, {"text", "x"}}}});
  EXPECT_EQ(both.status, SPARKS_ERR_INVALID_ARGUMENT) << both.text;
}

// TikTok does not offer Business Messaging to accounts registered in the EEA, Switzerland or the
// UK: `creator-eu` (Germany) is told so at connect, and a DM is refused even after the person
// wrote.
TEST_F(ConnectorsTest, TikTokEuAccountIsRefusedMessagingAndTheAccountSaysWhy) {
  json::object credentials = connect_tiktok("creator-eu");
  Answer account = call(tiktok_, Operation::get_account, {{"credentials", credentials}});
  ASSERT_EQ(account.status, SPARKS_OK) << account.text;
  const json::array unavailable = account.json()["unavailable"].as_array();
  ASSERT_EQ(unavailable.size(), 1u) << account.text;
  EXPECT_EQ(unavailable[0].at("action"), "tiktok.send_dm");
  EXPECT_NE(str(unavailable[0].at("reason")).find("EEA"), std::string::npos) << account.text;

  const std::string conversation = person_writes("creator-eu", "fan-4", "Hallo!");
  Answer dm = send_dm(credentials, conversation, "Danke!");
  EXPECT_EQ(dm.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(dm.text.find("40001"), std::string::npos) << dm.text;
  auto sent = parse_object(request("GET", "/sandbox/v1/sent-messages?account=creator-eu").body);
  EXPECT_TRUE(sent["messages"].as_array().empty());
}

// The platform throttles with HTTP 200 and code 40100, no Retry-After (injected here: the host
// keeps the plugin under the real limits by itself).
TEST_F(ConnectorsTest, TikTokRateLimitThenSuccessAfterBackOff) {
  json::object credentials = connect_tiktok("creator");
  const std::string conversation = person_writes("creator", "fan-5", "hey");
  control("/sandbox/v1/faults", {{"kind", "http_error"},
                                 {"path", "/open_api/v1.3/business/message/send/"},
                                 {"status", 429},
                                 {"count", 2}});
  // The engine's retry policy is not here: back off by hand, a bounded number of times.
  std::vector<sparks_status_t> outcomes;
  auto delay = 50ms;
  for (int attempt = 0; attempt < 5; ++attempt) {
    Answer answer = send_dm(credentials, conversation, "hello again");
    outcomes.push_back(answer.status);
    if (answer.status == SPARKS_OK) break;
    EXPECT_NE(answer.text.find("40100"), std::string::npos) << answer.text;
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  EXPECT_EQ(outcomes, (std::vector<sparks_status_t>{SPARKS_ERR_RATE_LIMITED,
                                                    SPARKS_ERR_RATE_LIMITED, SPARKS_OK}));
  // Two failures in a row are not an outage yet.
  EXPECT_TRUE(bridge_.triggers().empty());

  // Three are: the lifecycle hears of it once, and of the recovery once.
  control("/sandbox/v1/faults", {{"kind", "http_error"},
                                 {"path", "/open_api/v1.3/business/message/send/"},
                                 {"status", 503},
                                 {"count", 4}});
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(send_dm(credentials, conversation, "down").status, SPARKS_ERR_UNAVAILABLE) << i;
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"platform_unavailable"});
  EXPECT_EQ(send_dm(credentials, conversation, "up").status, SPARKS_OK);
  EXPECT_EQ(bridge_.triggers(),
            (std::vector<std::string>{"platform_unavailable", "platform_recovered"}));
}

// Throttling is an answer, not an outage: however many calls in a row are throttled (TikTok's
// HTTP 200 with code 40100, the Shop's HTTP 429 with 36009002), each fails RATE_LIMITED and the
// lifecycle hears nothing, so the integration is not paused for a burst that only needs slowing.
TEST_F(ConnectorsTest, RepeatedThrottlingIsRateLimitedAndNotAnOutage) {
  json::object tiktok = connect_tiktok("creator");
  const std::string conversation = person_writes("creator", "fan-7", "hey");
  json::object shop = connect_shop("shop");
  constexpr int kThrottled = 6;  // twice the run of failures that makes an outage
  control("/sandbox/v1/faults", {{"kind", "http_error"},
                                 {"path", "/open_api/v1.3/business/message/send/"},
                                 {"status", 429},
                                 {"count", kThrottled}});
  control("/sandbox/v1/faults", {{"kind", "http_error"},
                                 {"path", "/authorization/202309/shops"},
                                 {"status", 429},
                                 {"count", kThrottled}});
  for (int i = 0; i < kThrottled; ++i) {
    Answer dm = send_dm(tiktok, conversation, "hello");
    EXPECT_EQ(dm.status, SPARKS_ERR_RATE_LIMITED) << i << ": " << dm.text;
    Answer account = call(shop_, Operation::get_account, {{"credentials", shop}});
    EXPECT_EQ(account.status, SPARKS_ERR_RATE_LIMITED) << i << ": " << account.text;
    EXPECT_NE(account.text.find("36009002"), std::string::npos) << account.text;
  }
  EXPECT_TRUE(bridge_.triggers().empty()) << "no platform_unavailable";

  // The next answers are just answers: no outage to recover from.
  EXPECT_EQ(send_dm(tiktok, conversation, "hello").status, SPARKS_OK);
  EXPECT_EQ(call(shop_, Operation::get_account, {{"credentials", shop}}).status, SPARKS_OK);
  EXPECT_TRUE(bridge_.triggers().empty());
}

// Comments are listed per video (comment/list needs a video_id): the comment sync walks the
// account's videos, one video per page.
TEST_F(ConnectorsTest, TikTokSyncsPostsAndComments) {
  json::object credentials = connect_tiktok("creator");
  Answer posts = call(tiktok_, Operation::sync, {{"credentials", credentials}, {"what", "posts"}});
  ASSERT_EQ(posts.status, SPARKS_OK) << posts.text;
  json::object page = posts.json();
  std::vector<std::string> videos;
  for (const auto& item : page["items"].as_array()) videos.push_back(str(item.at("id")));
  EXPECT_EQ(videos, (std::vector<std::string>{"video-3", "video-2", "video-1"})) << "newest first";
  EXPECT_FALSE(page.contains("next_cursor"));

  for (int i = 0; i < 3; ++i)
    control("/sandbox/v1/comments", {{"account", "creator"},
                                     {"video_id", "video-2"},
                                     {"user", "fan-" + std::to_string(i)},
                                     {"text", "comment " + std::to_string(i)}});
  std::vector<std::size_t> page_sizes;
  Answer comments = sync_every_comment(credentials, &page_sizes);
  ASSERT_EQ(comments.status, SPARKS_OK) << comments.text;
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{0, 3, 0})) << "video-3, video-2, video-1";
  const json::array items = comments.json()["items"].as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].at("text"), "comment 2");
  EXPECT_EQ(items[2].at("video_id"), "video-2");
  EXPECT_EQ(items[2].at("username"), "fan-2");

  // The platform refuses comment/list without a video_id.
  auto unnamed = request("GET",
                         "/open_api/v1.3/business/comment/list/?business_id=open-creator"
                         "&max_count=30",
                         {}, {{"Access-Token", str(credentials["access_token"])}});
  EXPECT_EQ(unnamed.status, 200);
  EXPECT_EQ(parse_object(unnamed.body)["code"], 40002) << unnamed.body;

  // Without video.list the post list is refused, and so is the comment sync that walks it.
  json::object partial = connect_tiktok("creator", {"user.info.basic", "comment.list"});
  Answer refused = call(tiktok_, Operation::sync, {{"credentials", partial}, {"what", "posts"}});
  EXPECT_EQ(refused.status, SPARKS_ERR_FORBIDDEN) << refused.text;
  Answer no_walk = call(tiktok_, Operation::sync, {{"credentials", partial}, {"what", "comments"}});
  EXPECT_EQ(no_walk.status, SPARKS_ERR_FORBIDDEN) << no_walk.text;
  Answer unknown = call(tiktok_, Operation::sync, {{"credentials", credentials}, {"what", "x"}});
  EXPECT_EQ(unknown.status, SPARKS_ERR_INVALID_ARGUMENT);
}

// comment/reply/create answers a comment publicly (scope comment.list.manage); the sandbox
// records the reply.
TEST_F(ConnectorsTest, TikTokReplyCommentAnswersPubliclyAndTheSandboxRecordsIt) {
  json::object credentials = connect_tiktok("creator");
  auto posted = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "love it"}});
  const std::string comment_id = str(posted["comment"].as_object()["comment_id"]);
  Answer reply = reply_comment(credentials, comment_id, "Thank you!");
  ASSERT_EQ(reply.status, SPARKS_OK) << reply.text;
  const std::string reply_id = str(reply.json()["comment_id"]);
  EXPECT_FALSE(reply_id.empty());
  EXPECT_NE(reply_id, comment_id);
  auto replies = parse_object(request("GET", "/sandbox/v1/comment-replies?account=creator").body);
  ASSERT_EQ(replies["replies"].as_array().size(), 1u);
  const json::object& recorded = replies["replies"].as_array()[0].as_object();
  EXPECT_EQ(str(recorded.at("comment_id")), reply_id);
  EXPECT_EQ(str(recorded.at("parent_comment_id")), comment_id);
  EXPECT_EQ(recorded.at("video_id"), "video-1");
  EXPECT_EQ(recorded.at("text"), "Thank you!");

  // Refused before any call: over 1,200 characters.
  EXPECT_EQ(reply_comment(credentials, comment_id, std::string(1201, 'a')).status,
            SPARKS_ERR_INVALID_ARGUMENT);
  // Without comment.list.manage the platform refuses, naming the scope.
  json::object partial =
      connect_tiktok("creator", {"user.account.type", "user.info.basic", "video.list",
                                 "comment.list", "message.list.read", "message.list.send"});
  Answer unscoped = reply_comment(partial, comment_id, "Thanks");
  EXPECT_EQ(unscoped.status, SPARKS_ERR_FORBIDDEN) << unscoped.text;
  EXPECT_NE(unscoped.text.find("comment.list.manage"), std::string::npos) << unscoped.text;

  EXPECT_EQ(
      call(tiktok_, Operation::execute_action,
           {{"credentials", credentials}, {"action", "tiktok.nope"}, {"params", {{"text", "x"}}}})
          .status,
      SPARKS_ERR_NOT_FOUND);
  EXPECT_EQ(send_dm(credentials, "conv-1", "").status, SPARKS_ERR_INVALID_ARGUMENT);
}

// After a crash the engine asks whether an action it never heard back from took effect.
TEST_F(ConnectorsTest, TikTokFindsAnInterruptedDmAndReplyAtTheSandbox) {
  json::object credentials = connect_tiktok("creator");
  const std::string conversation = person_writes("creator", "fan-3", "is it in stock?");
  const std::int64_t since = unix_now();
  Answer sent = send_dm(credentials, conversation, "Yes, back in stock!");
  ASSERT_EQ(sent.status, SPARKS_OK) << sent.text;
  auto find = [&](const std::string& action, const json::object& params, std::int64_t at) {
    return call(
        tiktok_, Operation::find_action,
        {{"credentials", credentials}, {"action", action}, {"params", params}, {"since", at}});
  };
  const json::object dm{{"conversation_id", conversation}, {"text", "Yes, back in stock!"}};
  Answer found = find("tiktok.send_dm", dm, since);
  ASSERT_EQ(found.status, SPARKS_OK) << found.text;
  EXPECT_EQ(found.json(), json::parse(R"({"found":true,"result":)" + sent.text + "}"));
  Answer other = find("tiktok.send_dm",
                      {{"conversation_id", conversation}, {"text", "is it in stock?"}}, since);
  ASSERT_EQ(other.status, SPARKS_OK) << other.text;
  EXPECT_EQ(other.json()["found"], false) << "the person's message is not the account's";
  EXPECT_EQ(find("tiktok.send_dm", dm, since + 3600).json()["found"], false);

  auto posted = control(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-3"}, {"text", "love it"}});
  const std::string comment_id = str(posted["comment"].as_object()["comment_id"]);
  Answer replied = reply_comment(credentials, comment_id, "Thank you!");
  ASSERT_EQ(replied.status, SPARKS_OK) << replied.text;
  const json::object reply{
      {"comment_id", comment_id}, {"video_id", "video-1"}, {"text", "Thank you!"}};
  Answer reply_found = find("tiktok.reply_comment", reply, since);
  ASSERT_EQ(reply_found.status, SPARKS_OK) << reply_found.text;
  EXPECT_EQ(reply_found.json(), json::parse(R"({"found":true,"result":)" + replied.text + "}"));
  EXPECT_EQ(find("tiktok.reply_comment", reply, since + 3600).json()["found"], false);
}

TEST_F(ConnectorsTest, ConfigurationWithoutAKeyIsRefusedByName) {
  std::string error;
  EXPECT_FALSE(
      tiktok_->configure(R"({"client_key":"k","auth_base_url":"x","api_base_url":"y"})", error));
  EXPECT_NE(error.find("client_secret"), std::string::npos) << error;
  EXPECT_FALSE(shop_->configure(R"({"app_key":"k","app_secret":"s"})", error));
  EXPECT_NE(error.find("auth_base_url"), std::string::npos) << error;
  // The refused configuration did not replace the good one.
  Answer url = call(tiktok_, Operation::authorize_url, {{"redirect_uri", kRedirect}});
  EXPECT_EQ(str(url.json()["url"]).rfind(base_, 0), 0u) << url.text;
}

// ---- TikTok Shop --------------------------------------------------------------------------------

TEST_F(ConnectorsTest, ShopAuthorizeUrlOpensTheConsentPage) {
  Answer answer = call(
      shop_, Operation::authorize_url,
      {{"redirect_uri", "http://127.0.0.1:8080/oauth/tiktok_shop/callback"}, {"state", "st/1"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  const std::string url = str(answer.json()["url"]);
  EXPECT_EQ(url,
            base_ +
                "/oauth/authorize?app_key=sandbox-app-key&state=st%2F1&redirect_uri=http%3A%2F%2F"
                "127.0.0.1%3A8080%2Foauth%2Ftiktok_shop%2Fcallback");
  EXPECT_EQ(request("GET", url.substr(base_.size())).status, 200);
}

TEST_F(ConnectorsTest, ShopExchangesRefreshesAndRevokes) {
  json::object credentials = connect_shop("shop");
  EXPECT_EQ(credentials["account_id"], "7001");
  EXPECT_EQ(credentials["shop_cipher"], "cipher-shop-7001");
  EXPECT_EQ(credentials["seller_name"], "Creator Goods");
  EXPECT_EQ(
      credentials["granted_scopes"],
      (json::array{"seller.authorization.info", "seller.order.info", "seller.product.basic"}));
  EXPECT_GT(credentials["expires_at"].as_int64(), unix_now() + 6 * 86400);
  EXPECT_GT(credentials["refresh_expires_at"].as_int64(), unix_now() + 59 * 86400);

  Answer account = call(shop_, Operation::get_account, {{"credentials", credentials}});
  ASSERT_EQ(account.status, SPARKS_OK) << account.text;
  json::object a = account.json();
  EXPECT_EQ(a["id"], "7001");
  EXPECT_EQ(a["name"], "Creator Goods");
  EXPECT_EQ(a["type"], "seller");
  EXPECT_EQ(a["shop_cipher"], "cipher-shop-7001");
  EXPECT_EQ(a["business_id"], "biz-1") << "the engine compares it with the creator's business";

  Answer refreshed = call(shop_, Operation::refresh_token, {{"credentials", credentials}});
  ASSERT_EQ(refreshed.status, SPARKS_OK) << refreshed.text;
  json::object renewed = refreshed.json();
  EXPECT_NE(renewed["access_token"], credentials["access_token"]);
  EXPECT_NE(renewed["refresh_token"], credentials["refresh_token"]);
  EXPECT_EQ(renewed["shop_cipher"], "cipher-shop-7001");
  EXPECT_EQ(renewed["account_id"], "7001");
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"token_refreshed"});
  EXPECT_EQ(call(shop_, Operation::get_account, {{"credentials", credentials}}).status,
            SPARKS_ERR_UNAUTHORIZED);
  EXPECT_EQ(call(shop_, Operation::get_account, {{"credentials", renewed}}).status, SPARKS_OK);

  // The Partner API has no revoke call: revoking succeeds without one.
  EXPECT_EQ(call(shop_, Operation::revoke, {{"credentials", renewed}}).status, SPARKS_OK);

  // A refresh token the platform rejects: reconnect.
  bridge_.clear();
  control("/sandbox/v1/faults", {{"kind", "refresh_rejected"}, {"account", "shop"}});
  Answer rejected = call(shop_, Operation::refresh_token, {{"credentials", renewed}});
  EXPECT_EQ(rejected.status, SPARKS_ERR_UNAUTHORIZED) << rejected.text;
  EXPECT_NE(rejected.text.find("36004005"), std::string::npos) << rejected.text;
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"refresh_token_rejected"});
}

// The signature worked out by hand for one request, then checked against the sandbox.
TEST_F(ConnectorsTest, ShopRequestSigningMatchesAHandWorkedVector) {
  using sparks::tiktok_shop::string_to_sign;
  // Keys sorted (app_key < page_size < shop_cipher < timestamp), `sign` and `access_token` left
  // out, the path in front, the body after, the secret around it all.
  EXPECT_EQ(string_to_sign("s3cr3t", "POST", "/product/202309/products/search",
                           {{"timestamp", "1700000000"},
                            {"shop_cipher", "C1"},
                            {"sign", "ignored"},
                            {"access_token", "ignored"},
                            {"app_key", "K"},
                            {"page_size", "2"}},
                           R"({"status":"ACTIVATE"})"),
            R"(s3cr3t/product/202309/products/searchapp_keyKpage_size2shop_cipherC1)"
            R"(timestamp1700000000{"status":"ACTIVATE"}s3cr3t)");
  // GET requests sign no body.
  EXPECT_EQ(string_to_sign("s", "GET", "/order/202309/orders", {{"ids", "1,2"}}, "ignored"),
            "s/order/202309/ordersids1,2s");
  EXPECT_EQ(hmac_hex("s3cr3t", "s3cr3t/pathapp_keyKs3cr3t"),
            hmac_hex("s3cr3t", string_to_sign("s3cr3t", "GET", "/path", {{"app_key", "K"}}, "")));

  // The same rule, by hand, against the sandbox: accepted; one byte off: refused (106001).
  json::object credentials = connect_shop("shop");
  const std::string timestamp = std::to_string(unix_now());
  const std::string path = "/product/202309/products/search";
  const std::string body = "{}";
  const std::string text = "sandbox-app-secret" + path + "app_keysandbox-app-key" +
                           "page_size2shop_ciphercipher-shop-7001timestamp" + timestamp + body +
                           "sandbox-app-secret";
  const std::string sign = hmac_hex("sandbox-app-secret", text);
  auto signed_call = [&](const std::string& signature) {
    return request("POST",
                   path + "?app_key=sandbox-app-key&page_size=2&shop_cipher=cipher-shop-7001" +
                       "&timestamp=" + timestamp + "&sign=" + signature,
                   body,
                   {{"x-tts-access-token", str(credentials["access_token"])},
                    {"Content-Type", "application/json"}});
  };
  auto accepted = signed_call(sign);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(parse_object(accepted.body)["code"], 0);
  std::string wrong = sign;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  auto refused = signed_call(wrong);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(parse_object(refused.body)["code"], 106001);
}

TEST_F(ConnectorsTest, ShopCatalogSyncPagesThroughEveryProduct) {
  json::object credentials = connect_shop("shop");
  std::vector<std::string> ids;
  std::vector<std::size_t> page_sizes;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {  // bounded
    json::object sync{{"credentials", credentials}, {"what", "catalog"}, {"page_size", 2}};
    if (!cursor.empty()) sync["cursor"] = cursor;
    Answer answer = call(shop_, Operation::sync, sync);
    ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
    json::object result = answer.json();
    page_sizes.push_back(result["items"].as_array().size());
    for (const auto& item : result["items"].as_array())
      ids.push_back(str(item.as_object().at("id")));
    if (!result.contains("next_cursor")) break;
    cursor = str(result["next_cursor"]);
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(ids, (std::vector<std::string>{"prod-1001", "prod-1002", "prod-1003", "prod-1004",
                                           "prod-1005"}));

  Answer first = call(shop_, Operation::sync, {{"credentials", credentials}, {"what", "catalog"}});
  ASSERT_EQ(first.status, SPARKS_OK) << first.text;
  const json::object shirt = first.json()["items"].as_array()[0].as_object();
  EXPECT_EQ(shirt.at("title"), "Linen Shirt");
  const json::object sku = shirt.at("skus").as_array()[0].as_object();
  EXPECT_EQ(sku.at("id"), "sku-1001-s");
  EXPECT_EQ(sku.at("price").at("sale_price"), "39.99");
  EXPECT_EQ(sku.at("price").at("currency"), "USD");

  // Credentials without the shop cipher (stored by an older version) still work: the plugin
  // looks the shop up first.
  json::object without_cipher = credentials;
  without_cipher.erase("shop_cipher");
  EXPECT_EQ(
      call(shop_, Operation::sync, {{"credentials", without_cipher}, {"what", "catalog"}}).status,
      SPARKS_OK);
}

TEST_F(ConnectorsTest, ShopOrderWebhooksAndOrderLookup) {
  json::object credentials = connect_shop("shop");
  control("/sandbox/v1/faults", {{"kind", "webhook_duplicate"}});
  auto created =
      control("/sandbox/v1/orders", {{"shop", "shop"},
                                     {"buyer", "fan-1"},
                                     {"items", {{{"sku_id", "sku-1002"}, {"quantity", 2}}}}});
  const std::string order_id = str(created["order"].as_object()["id"]);
  auto delivered = platform_->inbox.wait_for("/webhooks/tiktok_shop", 2);
  ASSERT_EQ(delivered.size(), 2u);

  const sparks::http::Request& webhook = delivered[0];
  EXPECT_EQ(webhook.headers.at("Authorization"),
            hmac_hex("sandbox-app-secret", "sandbox-app-key" + webhook.body));
  Verified good = verify(shop_, webhook);
  ASSERT_EQ(good.status, SPARKS_OK) << good.error;
  ASSERT_EQ(good.events.size(), 1u);
  EXPECT_EQ(good.events[0].trigger, "tiktok_shop.order");
  EXPECT_EQ(good.events[0].account, "7001");
  EXPECT_EQ(good.events[0].id, str(parse_object(webhook.body)["tts_notification_id"]));
  json::object payload = parse_object(good.events[0].payload_json);
  EXPECT_EQ(str(payload["order_id"]), order_id);
  EXPECT_EQ(payload["order_status"], "AWAITING_SHIPMENT");
  EXPECT_TRUE(payload["update_time"].is_int64());

  Verified duplicate = verify(shop_, delivered[1]);
  ASSERT_EQ(duplicate.events.size(), 1u);
  EXPECT_EQ(duplicate.events[0].id, good.events[0].id);

  sparks::http::Request forged = webhook;
  forged.headers["Authorization"] = hmac_hex("another-secret", "sandbox-app-key" + webhook.body);
  EXPECT_EQ(verify(shop_, forged).status, SPARKS_ERR_BAD_SIGNATURE);
  sparks::http::Request tampered = webhook;
  tampered.body.replace(tampered.body.find("AWAITING_SHIPMENT"), 17, "CANCELLED________");
  EXPECT_EQ(verify(shop_, tampered).status, SPARKS_ERR_BAD_SIGNATURE);

  // The order: its buyer is the Shop's own buyer id, as the control call named it.
  Answer order = call(shop_, Operation::execute_action,
                      {{"credentials", credentials},
                       {"action", "tiktok_shop.get_order"},
                       {"params", {{"order_id", order_id}}}});
  ASSERT_EQ(order.status, SPARKS_OK) << order.text;
  EXPECT_EQ(order.json()["user_id"], "fan-1");
  EXPECT_EQ(order.json()["line_items"].as_array().size(), 2u);
  EXPECT_EQ(order.json()["payment"].as_object()["total_amount"], "39.98");
  Answer missing = call(shop_, Operation::execute_action,
                        {{"credentials", credentials},
                         {"action", "tiktok_shop.get_order"},
                         {"params", {{"order_id", "nope"}}}});
  EXPECT_EQ(missing.status, SPARKS_ERR_NOT_FOUND);
  Answer orders = call(shop_, Operation::sync,
                       {{"credentials", credentials}, {"what", "orders"}, {"ids", {order_id}}});
  ASSERT_EQ(orders.status, SPARKS_OK) << orders.text;
  EXPECT_EQ(orders.json()["items"].as_array().size(), 1u);

  // The seller removes the app.
  control("/sandbox/v1/revoke", {{"account", "shop"}}, 200);
  auto all = platform_->inbox.wait_for("/webhooks/tiktok_shop", 3);
  ASSERT_EQ(all.size(), 3u);
  Verified removal = verify(shop_, all[2]);
  ASSERT_EQ(removal.status, SPARKS_OK) << removal.error;
  ASSERT_EQ(removal.events.size(), 1u);
  EXPECT_EQ(removal.events[0].trigger, "authorization_removed");
  EXPECT_EQ(removal.events[0].account, "7001");
  EXPECT_EQ(call(shop_, Operation::get_account, {{"credentials", credentials}}).status,
            SPARKS_ERR_UNAUTHORIZED);
}

// ---- what the engine reads: meanings and normalized shapes -----------------------------------

TEST_F(ConnectorsTest, DescriptorsSayWhatTheirTriggersActionsAndSyncsMean) {
  const auto& t = tiktok_->descriptor();
  ASSERT_EQ(t.triggers.size(), 3u);
  EXPECT_EQ(t.triggers[0].kind, "comment");
  EXPECT_EQ(t.triggers[1].kind, "comment");  // tiktok.high_intent_comment
  EXPECT_EQ(t.triggers[2].kind, "message");
  std::vector<std::string> variables;
  for (const auto& v : t.triggers[0].variables) variables.push_back(v.name + "=" + v.field);
  EXPECT_EQ(variables, (std::vector<std::string>{"comment.id=comment_id", "comment.text=text",
                                                 "comment.video_id=video_id"}));
  EXPECT_EQ(t.actions[0].name, "tiktok.send_dm");
  EXPECT_EQ(t.actions[0].kind, "message");
  // A DM goes only where the platform allows one: the engine fills the conversation the person
  // opened, or the comment a high-intent trigger grants one reply to.
  EXPECT_EQ(t.actions[0].window.hours, 48u);
  EXPECT_EQ(t.actions[0].window.messages, 10u);
  EXPECT_EQ(t.actions[0].window.conversation_param, "conversation_id");
  EXPECT_EQ(t.actions[0].window.reply_param, "reply_to_comment_id");
  EXPECT_EQ(t.triggers[0].reply_field, "");
  EXPECT_EQ(t.triggers[1].reply_field, "comment_id");
  EXPECT_EQ(t.actions[1].name, "tiktok.reply_comment");
  EXPECT_EQ(t.actions[1].answers, "comment");
  EXPECT_EQ(t.actions[1].params[0].default_value, "{{comment.id}}");
  EXPECT_EQ(t.actions[1].params[1].default_value, "{{comment.video_id}}");
  ASSERT_EQ(t.syncs.size(), 2u);
  EXPECT_EQ(t.sync_of_kind("posts")->scope, "video.list");
  EXPECT_EQ(t.sync_of_kind("comments")->scope, "comment.list");
  // The basic tier's limits, which the host keeps the plugin under.
  ASSERT_EQ(t.rate_limits.size(), 2u);
  EXPECT_TRUE(t.rate_limits[0].per_account);
  EXPECT_TRUE(t.rate_limits[0].per_endpoint);
  EXPECT_EQ(t.rate_limits[0].requests, 40u);
  EXPECT_EQ(t.rate_limits[0].window_seconds, 60u);
  EXPECT_EQ(t.rate_limits[0].path_prefix, "/open_api/v1.3/business/");
  EXPECT_FALSE(t.rate_limits[1].per_account);
  EXPECT_EQ(t.rate_limits[1].requests, 600u);

  const auto& s = shop_->descriptor();
  EXPECT_EQ(s.triggers[0].kind, "order");
  EXPECT_EQ(s.triggers[0].variables.size(), 4u);
  EXPECT_EQ(s.actions[0].answers, "order");
  EXPECT_EQ(s.sync_of_kind("products")->what, "products");
  EXPECT_EQ(s.sync_of_kind("products")->scope, "seller.product.basic");
  EXPECT_EQ(s.sync_of_kind("orders")->what, "orders");
  EXPECT_EQ(s.sync_of_kind("orders")->scope, "seller.order.info");
}

TEST_F(ConnectorsTest, TikTokCommentsCarryTheIdTheEngineReads) {
  json::object credentials = connect_tiktok("creator");
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "hi"}});
  Answer comments = sync_every_comment(credentials);
  ASSERT_EQ(comments.status, SPARKS_OK) << comments.text;
  const json::object comment = comments.json()["items"].as_array().at(0).as_object();
  EXPECT_FALSE(str(comment.at("id")).empty());
  EXPECT_EQ(comment.at("id"), comment.at("comment_id"));
  EXPECT_TRUE(comment.at("create_time").is_int64());
}

TEST_F(ConnectorsTest, ShopProductsAreOneItemPerSkuWithTheProductsLink) {
  json::object credentials = connect_shop("shop");
  Answer products =
      call(shop_, Operation::sync, {{"credentials", credentials}, {"what", "products"}});
  ASSERT_EQ(products.status, SPARKS_OK) << products.text;
  const json::array items = products.json()["items"].as_array();
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items[0], parse_object(R"({"sku_id":"sku-1001-s","product_id":"prod-1001",
      "seller_sku":"LINEN-S","title":"Linen Shirt","price":"39.99","currency":"USD",
      "url":"https://shop.tiktok.com/view/product/prod-1001"})"));
  EXPECT_EQ(items[1].at("seller_sku"), "LINEN-M");
  EXPECT_EQ(items[1].at("product_id"), "prod-1001");

  // The link's base is the connector's to configure.
  json::object config = parse_object(sparks::sandbox::platform_config(base_).at("tiktok_shop"));
  config["product_link_base_url"] = "https://shop.example/p/";
  const std::string refused =
      sparks::testing::await_result<std::string>("the new configuration", [&](auto done) {
        net::post(io_, [this, text = json::serialize(config), done] {
          std::string error;
          shop_->configure(text, error);
          done(error);
        });
      });
  ASSERT_EQ(refused, "");
  Answer relinked =
      call(shop_, Operation::sync, {{"credentials", credentials}, {"what", "products"}});
  ASSERT_EQ(relinked.status, SPARKS_OK) << relinked.text;
  EXPECT_EQ(relinked.json()["items"].as_array()[0].at("url"), "https://shop.example/p/prod-1001");
}

TEST_F(ConnectorsTest, ShopOrdersAreLookedUpWithBuyerTotalAndItemsBySku) {
  json::object credentials = connect_shop("shop");
  auto created = control(
      "/sandbox/v1/orders",
      {{"shop", "shop"},
       {"buyer", "fan-1"},
       {"items",
        {{{"sku_id", "sku-1002"}, {"quantity", 2}}, {{"sku_id", "sku-1003"}, {"quantity", 1}}}}});
  const std::string order_id = str(created["order"].as_object()["id"]);
  Answer orders = call(shop_, Operation::sync,
                       {{"credentials", credentials}, {"what", "orders"}, {"ids", {order_id}}});
  ASSERT_EQ(orders.status, SPARKS_OK) << orders.text;
  ASSERT_EQ(orders.json()["items"].as_array().size(), 1u);
  const json::object order = orders.json()["items"].as_array()[0].as_object();
  EXPECT_EQ(str(order.at("id")), order_id);
  EXPECT_EQ(order.at("buyer"), "fan-1");
  EXPECT_FALSE(str(order.at("status")).empty());
  EXPECT_EQ(order.at("total"), "52.48");
  EXPECT_EQ(order.at("currency"), "USD");
  EXPECT_EQ(order.at("items"), json::parse(R"([
      {"sku_id":"sku-1002","seller_sku":"TOTE-1","quantity":2,"price":"19.99"},
      {"sku_id":"sku-1003","seller_sku":"MUG-1","quantity":1,"price":"12.50"}])"));
}

TEST_F(ConnectorsTest, ShopMissingScopeIsForbidden) {
  const std::string code =
      consent("/oauth/authorize", {{"app_key", "sandbox-app-key"}, {"account", "shop"}},
              {"seller.authorization.info", "seller.order.info"});
  Answer exchanged =
      call(shop_, Operation::exchange_code, {{"code", code}, {"redirect_uri", kRedirect}});
  ASSERT_EQ(exchanged.status, SPARKS_OK) << exchanged.text;
  Answer catalog =
      call(shop_, Operation::sync, {{"credentials", exchanged.json()}, {"what", "catalog"}});
  EXPECT_EQ(catalog.status, SPARKS_ERR_FORBIDDEN) << catalog.text;
  EXPECT_NE(catalog.text.find("105005"), std::string::npos) << catalog.text;
}

}  // namespace

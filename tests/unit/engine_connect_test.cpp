// The help page's connect / verify / disconnect story at the engine's API, with the real TikTok and
// TikTok Shop connectors against the sandbox on 127.0.0.1: consent pages answered like a browser
// would, callbacks, scopes, account checks, webhooks, refresh, disconnect and reconnect. The story
// runs once more against a copy of the shipped lifecycle with every state renamed: the engine acts
// on what states mean, so everything a person sees is the same.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/client.hpp"
#include "http/form.hpp"
#include "integrations/issue_texts.hpp"
#include "sandbox/consent_client.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/state.hpp"
#include "sparks/engine.hpp"
#include "store/automation_store.hpp"
#include "store/sqlite/connection.hpp"
#include "support/loopback_sandbox.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::Actor;
using sparks::Role;
using sparks::store::AutomationStatus;

const Actor kAna = Actor::member("ana", Role::owner);
const Actor kBen = Actor::member("ben", Role::member);
const auto& kAllTikTok = sparks::testing::kEveryTikTokScope;
const auto& kAllButDms = sparks::testing::kEveryTikTokScopeButSend;
const auto& kAllShop = sparks::testing::kEveryShopScope;

class EngineConnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-engine-connect-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    sandbox_ = std::make_unique<sparks::testing::LoopbackSandbox>(io_.get_executor());
    options_.database = folder_ / "sparks.db";
    options_.key_file = folder_ / "secret.key";
    options_.plugin_dir = std::string(SPARKS_BINARY_DIR) + "/plugins";
    // The callback is called directly, not fetched; the connectors subscribe the platforms'
    // webhooks to {public_url}/webhooks/…, the test's receiver.
    options_.public_url = sandbox_->receiver_url();
    options_.platform_config = sparks::sandbox::platform_config(sandbox_->base_url());
    options_.lifecycle = lifecycle_file();
    start_engine();
  }

  // The lifecycle the engine runs; none: the shipped one built in.
  virtual std::optional<fs::path> lifecycle_file() const { return std::nullopt; }

  // A copy of the shipped lifecycle with every `from` replaced by `to`, for the engine to run.
  fs::path shipped_lifecycle_with(std::string_view from, std::string_view to) {
    std::ifstream in(fs::path(SPARKS_SOURCE_DIR) / "flows/lifecycle/integration.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    for (auto at = yaml.find(from); at != std::string::npos; at = yaml.find(from, at + to.size()))
      yaml.replace(at, from.size(), to);
    const auto path = folder_ / "lifecycle.yaml";
    std::ofstream(path) << yaml;
    return path;
  }

  void TearDown() override {
    stop_engine();
    sandbox_->stop();
    io_.restart();
    io_.run_for(200ms);
    fs::remove_all(folder_);
  }

  void start_engine() { engine_ = std::make_unique<sparks::Engine>(io_.get_executor(), options_); }
  void stop_engine() {
    engine_->stop();
    engine_.reset();
  }

  template <typename Done>
  void run_until(std::string_view awaited, Done&& done) {
    sparks::testing::run_until(io_, awaited, std::forward<Done>(done));
  }
  // For conditions that take a round trip to look at: looked at every 20 ms.
  template <typename Ready>
  void run_until_seen(std::string_view awaited, Ready&& ready) {
    sparks::testing::run_until(io_, awaited, std::forward<Ready>(ready),
                               sparks::testing::kWaitLimit, 20ms);
  }

  template <typename Call>
  sparks::Reply wait_reply(Call&& call,
                           std::chrono::milliseconds limit = sparks::testing::kWaitLimit) {
    std::optional<sparks::Reply> reply;
    call([&](sparks::Reply r) { reply = std::move(r); });
    sparks::testing::run_until(
        io_, "the engine's reply", [&] { return reply.has_value(); }, limit);
    return *reply;
  }

  // Connect → consent page → the callback's query, as the browser would bring it back.
  sparks::Reply connect(const std::string& platform, const std::string& account,
                        const std::vector<std::string>& scopes, Actor actor = kAna) {
    auto started = wait_reply([&](auto done) { engine_->connect({"w1", platform}, actor, done); });
    if (started.error) return started;
    last_authorize_url_ = std::string(started.value.at("authorize_url").as_string());
    std::optional<sparks::sandbox::ConsentResult> consent;
    sparks::sandbox::answer_consent(
        io_.get_executor(), last_authorize_url_, {account, scopes, true},
        [&](sparks::sandbox::ConsentResult r) { consent = std::move(r); });
    run_until("the consent page's redirect", [&] { return consent.has_value(); });
    EXPECT_TRUE(consent->error.empty()) << consent->error;
    last_callback_ = callback_query(consent->redirect_url);
    return callback(platform, last_callback_);
  }

  // Connect and the consent page, up to the callback's query the browser would bring back.
  std::vector<std::pair<std::string, std::string>> consent(const std::string& platform,
                                                           const std::string& account,
                                                           const std::vector<std::string>& scopes) {
    auto started = wait_reply([&](auto done) { engine_->connect({"w1", platform}, kAna, done); });
    EXPECT_FALSE(started.error) << started.error->message;
    if (started.error) return {};
    std::optional<sparks::sandbox::ConsentResult> consent;
    sparks::sandbox::answer_consent(
        io_.get_executor(), std::string(started.value.at("authorize_url").as_string()),
        {account, scopes, true}, [&](sparks::sandbox::ConsentResult r) { consent = std::move(r); });
    run_until("the consent page's redirect", [&] { return consent.has_value(); });
    EXPECT_TRUE(consent->error.empty()) << consent->error;
    return callback_query(consent->redirect_url);
  }

  static std::vector<std::pair<std::string, std::string>> callback_query(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return {};
    return sparks::http::decode_form(parsed->encoded_query()).value_or(sparks::http::Fields{});
  }

  sparks::Reply callback(const std::string& platform,
                         std::vector<std::pair<std::string, std::string>> query) {
    return wait_reply([&](auto done) { engine_->complete_authorization(platform, query, done); });
  }

  json::object card(const std::string& platform) {
    auto reply = wait_reply([&](auto done) { engine_->cards("w1", done); });
    for (const auto& c : reply.value.at("integrations").as_array())
      if (c.at("platform").as_string() == platform) return c.as_object();
    return {};
  }

  bool has_issue(const json::object& card, std::string_view code) {
    for (const auto& issue : card.at("issues").as_array())
      if (issue.at("code").as_string() == code) return true;
    return false;
  }

  std::string issue_message(const json::object& card, std::string_view code) {
    for (const auto& issue : card.at("issues").as_array())
      if (issue.at("code").as_string() == code) return std::string(issue.at("message").as_string());
    return {};
  }

  // Polls the card until `ready` holds (a sync or a webhook lands after the reply).
  template <typename Ready>
  json::object card_when(const std::string& platform, Ready&& ready) {
    json::object c;
    run_until_seen("the " + platform + " card to change",
                   [&] { return ready(c = card(platform)); });
    return c;
  }

  json::object control(const std::string& target, const json::value& body) {
    std::optional<sparks::http::ClientResponse> response;
    sparks::http::send_request(io_.get_executor(),
                               {"POST",
                                sandbox_->base_url() + target,
                                {{"Content-Type", "application/json"}},
                                json::serialize(body)},
                               [&](sparks::http::ClientResponse r) { response = std::move(r); });
    run_until("the sandbox's answer to " + target, [&] { return response.has_value(); });
    if (response->status >= 300) return {};
    return json::parse(response->body).as_object();
  }

  // The sandbox's webhooks went to the test's receiver; hand the next one to the engine.
  sparks::Reply deliver_webhook(std::size_t index,
                                std::chrono::milliseconds limit = sparks::testing::kWaitLimit) {
    // The sandbox sends from this thread's io_context: run it while waiting.
    run_until("the sandbox's webhook",
              [&] { return sandbox_->inbox.wait_for_count(index + 1, 0ms); });
    auto request = sandbox_->inbox.at(index);
    sparks::InboundWebhook webhook{"POST", request.path, request.query_string, {}, request.body};
    for (const auto& [name, value] : request.headers) webhook.headers.emplace_back(name, value);
    const std::string platform = request.path == "/webhooks/tiktok" ? "tiktok" : "tiktok_shop";
    return wait_reply([&](auto done) { engine_->receive_webhook(platform, webhook, done); }, limit);
  }

  // The card's status words and dot, as a person sees them: "Connected/green".
  std::string look(const json::object& card) {
    return std::string(card.at("status").as_string()) + "/" +
           std::string(card.at("dot").as_string());
  }

  // The DMs the sandbox's creator account sent.
  std::size_t sent_messages() {
    std::optional<sparks::http::ClientResponse> r;
    sparks::http::send_request(
        io_.get_executor(),
        {"GET", sandbox_->base_url() + "/sandbox/v1/sent-messages?account=creator", {}, ""},
        [&](sparks::http::ClientResponse x) { r = std::move(x); });
    run_until("the sandbox's sent messages", [&] { return r.has_value(); });
    return json::parse(r->body).at("messages").as_array().size();
  }

  // `user` writes to the creator account — the platform lets the account message them for 48 h —
  // and the engine receives it (the sandbox's webhook number `index`).
  void fan_writes(const std::string& user, std::size_t index) {
    control("/sandbox/v1/messages", {{"account", "creator"}, {"user", user}, {"text", "hello!"}});
    ASSERT_FALSE(deliver_webhook(index).error);
  }

  // A live flow that thanks every commenter by DM.
  void publish_thanks_flow() {
    const std::string flow =
        "flow:\n  id: thanks\n  name: thanks\n  trigger: { on: tiktok.comment }\n"
        "  actions:\n    - tiktok.send_dm: { text: \"thanks {{contact.username}}\" }\n";
    ASSERT_FALSE(wait_reply([&](auto d) { engine_->create_flow("w1", kAna, flow, d); }).error);
    ASSERT_FALSE(wait_reply([&](auto d) { engine_->publish_flow("w1", "thanks", kAna, d); }).error);
  }

  // The next token refresh fails for a passing reason (503), and is asked for now: its error.
  std::string fail_one_refresh() {
    control("/sandbox/v1/faults", {{"kind", "http_error"},
                                   {"path", "/open_api/v1.3/tt_user/oauth2/refresh_token/"},
                                   {"status", 503},
                                   {"count", 1}});
    std::optional<std::string> error;
    engine_->refresh_credentials({"w1", "tiktok"}, [&](std::string e) { error = std::move(e); });
    run_until("the refresh's answer", [&] { return error.has_value(); });
    return *error;
  }

  // How many faults are still armed in the sandbox: one is used up when its call arrives.
  std::size_t armed_faults() {
    std::optional<sparks::http::ClientResponse> r;
    sparks::http::send_request(io_.get_executor(),
                               {"GET", sandbox_->base_url() + "/sandbox/v1/faults", {}, ""},
                               [&](sparks::http::ClientResponse x) { r = std::move(x); });
    run_until("the sandbox's armed faults", [&] { return r.has_value(); });
    return json::parse(r->body).at("faults").as_array().size();
  }

  // A live automation, a draft and one a person paused, all needing TikTok.
  void save_automations() {
    sparks::store::sqlite::Connection db(options_.database);
    db.records().save_automation(
        {"w1", "live", "live", AutomationStatus::live, std::nullopt, 1, {"tiktok"}});
    db.records().save_automation(
        {"w1", "draft", "draft", AutomationStatus::draft, std::nullopt, 1, {"tiktok"}});
    db.records().save_automation(
        {"w1", "by-hand", "by-hand", AutomationStatus::paused, "person", 1, {"tiktok"}});
  }

  std::string automation(const std::string& id) {
    sparks::store::sqlite::Connection db(options_.database);
    auto row = db.records().load_automation("w1", id);
    return std::string(sparks::store::to_string(row->status)) + "/" + row->paused_by.value_or("-");
  }

  fs::path folder_;
  boost::asio::io_context io_;
  std::unique_ptr<sparks::testing::LoopbackSandbox> sandbox_;
  sparks::EngineOptions options_;
  std::unique_ptr<sparks::Engine> engine_;
  std::string last_authorize_url_;
  std::vector<std::pair<std::string, std::string>> last_callback_;
};

TEST_F(EngineConnectTest, OnlyOwnersConnect) {
  auto reply = wait_reply([&](auto done) { engine_->connect({"w1", "tiktok"}, kBen, done); });
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->kind, sparks::ErrorKind::forbidden);
  EXPECT_EQ(reply.error->code, "not_owner");
  EXPECT_NE(reply.error->message.find("Only an owner"), std::string::npos) << reply.error->message;
  EXPECT_EQ(card("tiktok").at("state").as_string(), "disconnected");
  EXPECT_EQ(card("tiktok").at("dot").as_string(), "grey");
}

TEST_F(EngineConnectTest, PartialScopesNameWhatIsMissingAndAFullReconnectConnects) {
  auto reply = connect("tiktok", "creator", kAllButDms);
  ASSERT_FALSE(reply.error) << reply.error->message;
  EXPECT_EQ(reply.value.at("state").as_string(), "partial-scopes");
  auto partial = card("tiktok");
  EXPECT_EQ(partial.at("status").as_string(), "Partially connected");
  EXPECT_EQ(partial.at("dot").as_string(), "yellow");
  EXPECT_EQ(partial.at("missing_scopes"), json::array{"message.list.send"});
  EXPECT_NE(issue_message(partial, "missing_scopes").find("DMs cannot be sent"), std::string::npos)
      << issue_message(partial, "missing_scopes");

  reply = connect("tiktok", "creator", kAllTikTok);
  ASSERT_FALSE(reply.error) << reply.error->message;
  EXPECT_EQ(reply.value.at("state").as_string(), "connected");
  auto connected =
      card_when("tiktok", [](const json::object& c) { return !c.at("last_sync").is_null(); });
  EXPECT_EQ(connected.at("status").as_string(), "Connected");
  EXPECT_EQ(connected.at("dot").as_string(), "green");
  EXPECT_FALSE(connected.at("last_sync").is_null()) << "synced right after connecting";
  EXPECT_EQ(connected.at("webhook").as_string(), "waiting");
  EXPECT_FALSE(has_issue(connected, "missing_scopes"));
  EXPECT_EQ(connected.at("account").at("business_id").as_string(), "biz-1");

  // A comment on the creator's video: the signed webhook makes the card say "receiving".
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "u-7"}, {"text", "price?"}});
  auto delivered = deliver_webhook(0);
  ASSERT_FALSE(delivered.error) << delivered.error->message;
  EXPECT_EQ(delivered.value.at("stored").as_int64(), 1);
  EXPECT_EQ(
      card_when("tiktok", [](const json::object& c) { return c.at("webhook") == "receiving"; })
          .at("webhook")
          .as_string(),
      "receiving");
  // Delivered again (at-least-once): stored once.
  delivered = deliver_webhook(0);
  ASSERT_FALSE(delivered.error);
  EXPECT_EQ(delivered.value.at("duplicates").as_int64(), 1);
}

TEST_F(EngineConnectTest, ADeniedConsentReturnsWithTheReasonOnTheCard) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  auto started = wait_reply([&](auto done) { engine_->connect({"w1", "tiktok"}, kAna, done); });
  ASSERT_FALSE(started.error);
  std::optional<sparks::sandbox::ConsentResult> consent;
  sparks::sandbox::answer_consent(
      io_.get_executor(), std::string(started.value.at("authorize_url").as_string()),
      {"creator", {}, false}, [&](sparks::sandbox::ConsentResult r) { consent = std::move(r); });
  run_until("the consent page's redirect", [&] { return consent.has_value(); });
  ASSERT_TRUE(consent && consent->error.empty());
  auto denied = callback("tiktok", callback_query(consent->redirect_url));
  ASSERT_FALSE(denied.error) << denied.error->message;
  EXPECT_EQ(denied.value.at("state").as_string(), "connected") << "back where it was";
  auto c = card("tiktok");
  EXPECT_TRUE(has_issue(c, "consent_denied"));
  EXPECT_NE(issue_message(c, "consent_denied").find("denied"), std::string::npos)
      << issue_message(c, "consent_denied");
}

TEST_F(EngineConnectTest, AStateWorksOnceAndAForgedOneChangesNothing) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  auto reused = callback("tiktok", last_callback_);
  ASSERT_TRUE(reused.error);
  EXPECT_EQ(reused.error->kind, sparks::ErrorKind::invalid);

  auto forged = callback("tiktok", {{"code", "x"}, {"state", "eyJ3b3Jrc3BhY2UiOiJ3MSJ9.AAAA"}});
  ASSERT_TRUE(forged.error);
  EXPECT_EQ(forged.error->kind, sparks::ErrorKind::invalid);

  auto missing = callback("tiktok", {{"code", "x"}});
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(card("tiktok").at("state").as_string(), "connected");
}

TEST_F(EngineConnectTest, PersonalAccountsAndAnotherBusinessAreRefused) {
  auto personal = connect("tiktok", "personal", kAllTikTok);
  ASSERT_FALSE(personal.error) << personal.error->message;
  EXPECT_EQ(personal.value.at("refusal").as_string(), "personal_account");
  EXPECT_EQ(card("tiktok").at("state").as_string(), "disconnected");
  EXPECT_TRUE(has_issue(card("tiktok"), "personal_account"));

  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  EXPECT_FALSE(has_issue(card("tiktok"), "personal_account")) << "a good connection clears it";

  auto other = connect("tiktok_shop", "other-shop", kAllShop);
  ASSERT_FALSE(other.error) << other.error->message;
  EXPECT_EQ(other.value.at("refusal").as_string(), "business_mismatch");
  EXPECT_TRUE(has_issue(card("tiktok_shop"), "business_mismatch"));

  auto shop = connect("tiktok_shop", "shop", kAllShop);
  ASSERT_FALSE(shop.error) << shop.error->message;
  EXPECT_EQ(shop.value.at("state").as_string(), "connected");
  EXPECT_FALSE(
      card_when("tiktok_shop", [](const json::object& c) { return !c.at("last_sync").is_null(); })
          .at("last_sync")
          .is_null());
}

TEST_F(EngineConnectTest, DisconnectPausesDependentsAndReconnectResumesExactlyThose) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  save_automations();
  auto refused = wait_reply([&](auto done) { engine_->disconnect({"w1", "tiktok"}, kBen, done); });
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, sparks::ErrorKind::forbidden);

  auto done = wait_reply([&](auto d) { engine_->disconnect({"w1", "tiktok"}, kAna, d); });
  ASSERT_FALSE(done.error) << done.error->message;
  EXPECT_EQ(automation("live"), "paused/tiktok");
  EXPECT_EQ(automation("draft"), "draft/-");
  EXPECT_EQ(automation("by-hand"), "paused/person");
  auto disconnected = card("tiktok");
  EXPECT_EQ(disconnected.at("dot").as_string(), "red");
  EXPECT_TRUE(disconnected.at("granted_scopes").as_array().empty());

  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  EXPECT_EQ(automation("live"), "live/-");
  EXPECT_EQ(automation("draft"), "draft/-");
  EXPECT_EQ(automation("by-hand"), "paused/person");

  // The platform revokes: disconnected, and the card says why.
  control("/sandbox/v1/revoke", {{"account", "creator"}});
  auto revoked = deliver_webhook(0);
  ASSERT_FALSE(revoked.error) << revoked.error->message;
  EXPECT_EQ(revoked.value.at("stored").as_int64(), 1) << json::serialize(revoked.value);
  // The card shows the state at once and the issue once the transition is stored.
  auto after = card_when(
      "tiktok", [&](const json::object& c) { return has_issue(c, "authorization_removed"); });
  EXPECT_EQ(after.at("state").as_string(), "disconnected");
  EXPECT_TRUE(has_issue(after, "authorization_removed"));
  EXPECT_EQ(automation("live"), "paused/tiktok");

  auto audit = wait_reply([&](auto d) { engine_->audit_log("w1", d); });
  EXPECT_GE(audit.value.at("entries").as_array().size(), 4u);
}

TEST_F(EngineConnectTest, CredentialsAreSealedAtRestAndSurviveARestart) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  {
    sparks::store::sqlite::Connection db(options_.database);
    SQLite::Statement select(db.database(), "SELECT sealed FROM credentials");
    ASSERT_TRUE(select.executeStep());
    const std::string sealed(static_cast<const char*>(select.getColumn(0).getBlob()),
                             select.getColumn(0).getBytes());
    EXPECT_EQ(sealed.find("access_token"), std::string::npos) << "no plain token at rest";
  }
  stop_engine();
  start_engine();
  auto refreshed = std::optional<std::string>();
  engine_->refresh_credentials({"w1", "tiktok"}, [&](std::string e) { refreshed = std::move(e); });
  run_until("the refresh's answer", [&] { return refreshed.has_value(); });
  EXPECT_EQ(refreshed.value_or("no answer"), "") << "the stored refresh token opens and works";
}

TEST_F(EngineConnectTest, ARefreshedTokenIsStoredAndStillWorksAfterARestart) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  auto refresh = [&] {
    std::optional<std::string> error;
    engine_->refresh_credentials({"w1", "tiktok"}, [&](std::string e) { error = std::move(e); });
    run_until("the refresh's answer", [&] { return error.has_value(); });
    return *error;
  };
  ASSERT_EQ(refresh(), "");
  // The platform rotates refresh tokens: after a restart, only the one the refresh stored works.
  stop_engine();
  start_engine();
  EXPECT_EQ(refresh(), "") << "the rotated refresh token was stored";
  EXPECT_EQ(card("tiktok").at("state").as_string(), "connected");
}

TEST_F(EngineConnectTest, ACallbackWaitingOnThePlatformWhenTheEngineStopsIsStillAnswered) {
  const auto query = consent("tiktok", "creator", kAllTikTok);
  ASSERT_FALSE(query.empty());
  // The platform holds the code exchange back, so that the engine stops while the callback waits.
  control("/sandbox/v1/faults", {{"kind", "slow"},
                                 {"path", "/open_api/v1.3/tt_user/oauth2/token/"},
                                 {"delay_ms", 5000},
                                 {"count", 1}});
  std::optional<sparks::Reply> reply;
  engine_->complete_authorization("tiktok", query, [&](sparks::Reply r) { reply = std::move(r); });
  run_until_seen("the code exchange to reach the platform", [&] { return armed_faults() == 0; });
  stop_engine();
  run_until("the callback's answer", [&] { return reply.has_value(); });
  ASSERT_TRUE(reply->error) << "the exchange was cancelled: nothing is granted";
  start_engine();
  EXPECT_NE(card("tiktok").at("state").as_string(), "connected");
}

// An account registered where TikTok does not offer Business Messaging: the card says so, and a DM
// step is skipped with the platform's reason — its otherwise step answers in public instead.
TEST_F(EngineConnectTest, AnAccountWithoutBusinessMessagingSaysWhyAndDmStepsAreSkipped) {
  ASSERT_EQ(connect("tiktok", "creator-eu", kAllTikTok).value.at("state").as_string(), "connected");
  const auto c = card("tiktok");
  ASSERT_TRUE(has_issue(c, "action_unavailable")) << json::serialize(c);
  EXPECT_NE(issue_message(c, "action_unavailable").find("tiktok.send_dm"), std::string::npos);
  const std::string flow =
      "flow:\n  id: eu\n  name: eu\n  trigger: { on: tiktok.dm }\n  actions:\n"
      "    - tiktok.send_dm: { text: \"hi\" }\n";
  ASSERT_FALSE(wait_reply([&](auto d) { engine_->create_flow("w1", kAna, flow, d); }).error);
  ASSERT_FALSE(wait_reply([&](auto d) { engine_->publish_flow("w1", "eu", kAna, d); }).error);
  control("/sandbox/v1/messages", {{"account", "creator-eu"}, {"user", "fan-5"}, {"text", "hi"}});
  ASSERT_FALSE(deliver_webhook(0).error);
  run_until_seen("the DM recorded as skipped", [&] {
    const auto stats = wait_reply([&](auto d) { engine_->analytics("w1", d); });
    return json::serialize(stats.value).find("skipped:unavailable") != std::string::npos;
  });
}

// TikTok Shop warns before an authorization lapses (webhook type 7): the card says so, with the
// time, and the integration keeps working until then; a reconnect clears it.
TEST_F(EngineConnectTest, AnExpiringShopAuthorizationPutsAnIssueOnTheCard) {
  ASSERT_EQ(connect("tiktok_shop", "shop", kAllShop).value.at("state").as_string(), "connected");
  control("/sandbox/v1/authorization-expiring", {{"account", "shop"}, {"expires_at", 1893456000}});
  ASSERT_FALSE(deliver_webhook(0).error);
  auto c = card_when("tiktok_shop",
                     [&](const json::object& c) { return has_issue(c, "authorization_expiring"); });
  EXPECT_EQ(c.at("state").as_string(), "connected");
  EXPECT_NE(issue_message(c, "authorization_expiring").find("expires at 2030-01-01T00:00:00Z"),
            std::string::npos)
      << issue_message(c, "authorization_expiring");
  ASSERT_EQ(connect("tiktok_shop", "shop", kAllShop).value.at("state").as_string(), "connected");
  EXPECT_FALSE(has_issue(card("tiktok_shop"), "authorization_expiring"));
}

TEST_F(EngineConnectTest, ARejectedRefreshTokenDisconnectsWithAnIssue) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  control("/sandbox/v1/faults", {{"kind", "refresh_rejected"}, {"account", "creator"}});
  std::optional<std::string> error;
  engine_->refresh_credentials({"w1", "tiktok"}, [&](std::string e) { error = std::move(e); });
  run_until("the refresh's answer", [&] { return error.has_value(); });
  EXPECT_FALSE(error.value_or("").empty());
  auto c = card_when("tiktok",
                     [&](const json::object& c) { return has_issue(c, "reconnect_required"); });
  EXPECT_EQ(c.at("state").as_string(), "disconnected");
  EXPECT_TRUE(has_issue(c, "reconnect_required"));
}

TEST_F(EngineConnectTest, ATransientRefreshFailurePausesAndABackedOffRetryRecovers) {
  stop_engine();
  options_.retry_first_delay = 50ms;
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  const std::optional<std::string> error = fail_one_refresh();
  EXPECT_FALSE(error.value_or("").empty());
  // Paused, then the retry (after the back-off) refreshes and the lifecycle returns.
  auto history = [&] {
    std::optional<std::vector<sparks::TransitionView>> rows;
    engine_->transitions({"w1", "tiktok"}, [&](auto r) { rows = std::move(r); });
    run_until("the stored history", [&] { return rows.has_value(); });
    std::string path;
    for (const auto& t : *rows) path += t.to + " ";
    return path;
  };
  std::string path;
  run_until_seen("the retry to reconnect",
                 [&] { return (path = history()).find("paused connected") != std::string::npos; });
  EXPECT_NE(path.find("connected paused connected"), std::string::npos) << path;
}

TEST_F(EngineConnectTest, EventsHeldWhilePausedRunWhenTheIntegrationIsBack) {
  stop_engine();
  options_.retry_first_delay = 300ms;
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));

  // A refresh fails for a passing reason: paused, and the retry comes ~300 ms later.
  fail_one_refresh();
  ASSERT_EQ(card_when("tiktok", [](const json::object& c) { return c.at("state") == "paused"; })
                .at("state")
                .as_string(),
            "paused");
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  ASSERT_FALSE(deliver_webhook(1).error);

  // Back to connected: the held comment runs and its DM is sent.
  auto sent = [&] { return sent_messages(); };
  run_until_seen("the held comment's DM", [&] { return sent() > 0; });
  EXPECT_EQ(sent(), 1u);
  EXPECT_EQ(card("tiktok").at("state").as_string(), "connected");
}

// The store writer is the engine's one serial resource: a comment that produces a DM passes it
// three times — store the event (with what its flows read); record the run and enqueue its step;
// record the outcome.
TEST_F(EngineConnectTest, ACommentThatProducesADmPassesTheWriterThreeTimes) {
  stop_engine();
  options_.outbox_poll = std::chrono::hours(1);  // nothing but the event's own path writes
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));
  // Nothing from before is still on its way to the writer: the first sync's writes (its last one
  // stores the facts the card shows) and the fan's message, handled.
  run_until_seen("the sync and the fan's message stored", [&] {
    sparks::store::sqlite::Connection db(options_.database);
    SQLite::Statement settled(
        db.database(),
        "SELECT (SELECT count(*) FROM integration_facts WHERE last_sync_ms IS NOT NULL),"
        " (SELECT count(*) FROM event_log WHERE handled_at_ms IS NULL)");
    settled.executeStep();
    return settled.getColumn(0).getInt() > 0 && settled.getColumn(1).getInt() == 0;
  });
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  auto batches = [&] {
    const std::string text = engine_->metrics();
    const std::string name = "\nsparks_store_batches_total ";
    return std::stoull(text.substr(text.find(name) + name.size()));
  };
  const auto before = batches();

  ASSERT_FALSE(deliver_webhook(1).error);
  // Analytics are read off the writer, so watching them adds no batch.
  run_until_seen("the DM recorded as sent", [&] {
    auto stats = wait_reply([&](auto d) { engine_->analytics("w1", d); });
    const auto* dms = stats.value.at("totals").as_object().if_contains("dms_sent");
    return dms && dms->as_int64() == 1;
  });
  EXPECT_EQ(sent_messages(), 1u);
  EXPECT_EQ(batches() - before, 3u);
}

// A comment no flow takes is planned as it arrives, against what the workspace's last full run
// read, and its runs are written in the batch that stores it: one trip through the writer, and
// the same records the full path writes. A changed flow or a transition sends the next event down
// the full path again.
TEST_F(EngineConnectTest, ACommentNoFlowTakesIsHandledInTheBatchThatStoresIt) {
  stop_engine();
  // Every event within a second of one that took the full path: the engine's clock stands still.
  options_.now = [at = sparks::Clock::now()] { return at; };
  options_.outbox_poll = std::chrono::hours(1);  // nothing but the events' own paths writes
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  const auto keyword_flow = [](const std::string& keyword) {
    return "flow:\n  id: ask\n  name: ask\n  trigger: { on: tiktok.comment, keywords: [" + keyword +
           "] }\n  actions:\n    - contact.tag: { add: asked }\n";
  };
  ASSERT_FALSE(wait_reply([&](auto d) {
                 engine_->create_flow("w1", kAna, keyword_flow("price"), d);
               }).error);
  ASSERT_FALSE(wait_reply([&](auto d) { engine_->publish_flow("w1", "ask", kAna, d); }).error);
  run_until_seen("the first sync stored", [&] {
    sparks::store::sqlite::Connection db(options_.database);
    SQLite::Statement synced(
        db.database(), "SELECT count(*) FROM integration_facts WHERE last_sync_ms IS NOT NULL");
    synced.executeStep();
    return synced.getColumn(0).getInt() > 0;
  });
  const auto counter = [&](const std::string& name) {
    const std::string text = engine_->metrics();
    const auto at = text.find("\n" + name);
    if (at == std::string::npos) return 0ull;
    return std::stoull(text.substr(text.find(' ', at + 1) + 1));
  };
  const std::string planned = "sparks_events_planned_on_arrival_total";
  std::size_t delivered = 0;
  // Comments, delivered; each answers its comment id.
  const auto comment = [&](const std::string& text) {
    const auto made = control(
        "/sandbox/v1/comments",
        {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", text}});
    EXPECT_FALSE(deliver_webhook(delivered++).error);
    return std::string(made.at("comment").at("comment_id").as_string());
  };
  // What the event's runs recorded, once it is handled; empty before.
  const auto runs = [&](const std::string& comment_id) {
    sparks::store::sqlite::Connection db(options_.database);
    SQLite::Statement select(db.database(),
                             "SELECT r.flow_id, r.flow_version, r.outcome, r.reason"
                             " FROM event_log e JOIN flow_runs r ON r.event_id = e.id"
                             " WHERE e.dedupe_key = ? AND e.handled_at_ms IS NOT NULL");
    select.bind(1, "comment:" + comment_id);
    std::string out;
    while (select.executeStep())
      out += select.getColumn(0).getString() + " v" + select.getColumn(1).getString() + " " +
             select.getColumn(2).getString() + ": " + select.getColumn(3).getString() + ";";
    return out;
  };

  // The first event takes the full path, and leaves what its flows read for the next.
  const auto first = comment("hello");
  run_until_seen("the first comment handled", [&] { return !runs(first).empty(); });
  EXPECT_EQ(runs(first), "ask v1 skipped: no keyword;");
  EXPECT_EQ(counter(planned), 0u);

  const auto batches_before = counter("sparks_store_batches_total");
  const auto second = comment("nice video");
  // Handled when answered: the batch that stored it wrote its runs.
  EXPECT_EQ(runs(second), runs(first));
  EXPECT_EQ(counter(planned), 1u);
  EXPECT_EQ(counter("sparks_store_batches_total") - batches_before, 1u);

  // The flow now listens for "nice": the next such comment runs it, down the full path.
  ASSERT_FALSE(wait_reply([&](auto d) {
                 engine_->update_flow("w1", "ask", kAna, keyword_flow("nice"), d);
               }).error);
  const auto third = comment("nice one");
  run_until_seen("the edited flow run", [&] { return !runs(third).empty(); });
  EXPECT_EQ(runs(third), "ask v2 ran: ;");
  EXPECT_EQ(counter(planned), 1u);
  // And what that run read serves the next comment it does not take.
  const auto fourth = comment("hello again");
  EXPECT_EQ(runs(fourth), "ask v2 skipped: no keyword;");
  EXPECT_EQ(counter(planned), 2u);

  // A transition drops it: TikTok is down, the integration paused, its events held.
  std::optional<sparks::FireOutcome> paused;
  engine_->fire({"w1", "tiktok"}, "platform_unavailable", Actor::system("test"), {},
                [&](sparks::FireOutcome o) { paused = std::move(o); });
  run_until("the pause stored", [&] { return paused.has_value(); });
  ASSERT_EQ(paused->to, "paused");
  comment("hello, anyone?");
  EXPECT_EQ(counter(planned), 2u);
}

TEST_F(EngineConnectTest, AWaitingStepSurvivesARestart) {
  stop_engine();
  options_.outbox_poll = 50ms;
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  const std::string flow =
      "flow:\n  id: later\n  name: later\n  trigger: { on: tiktok.comment }\n"
      "  actions:\n    - wait: { for: 1s }\n    - tiktok.send_dm: { text: \"a second later\" }\n";
  ASSERT_FALSE(wait_reply([&](auto d) { engine_->create_flow("w1", kAna, flow, d); }).error);
  ASSERT_FALSE(wait_reply([&](auto d) { engine_->publish_flow("w1", "later", kAna, d); }).error);
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-8", 0));
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-8"}, {"text", "hi"}});
  auto outbox = [&](const std::string& status) {
    sparks::store::sqlite::Connection db(options_.database);
    SQLite::Statement count(db.database(), "SELECT count(*) FROM outbox WHERE status = ?");
    count.bind(1, status);
    count.executeStep();
    return count.getColumn(0).getInt();
  };
  ASSERT_FALSE(deliver_webhook(1).error);
  run_until_seen("the flow's steps in the outbox", [&] { return outbox("pending") > 0; });
  stop_engine();  // the step is in the outbox, due in a second

  EXPECT_EQ(outbox("pending"), 1);
  start_engine();
  run_until_seen("the waiting step sent after the restart", [&] { return outbox("sent") > 0; });
  EXPECT_EQ(outbox("sent"), 1);
  EXPECT_EQ(outbox("pending"), 0);
}

// --- Crash safety (docs/architecture.md, "Crash safety") ---

// A comment event as the TikTok connector stores it, written straight into the store: what a run
// stopped by a crash leaves behind (stored and acknowledged, never acted on).
void store_unhandled_comment(const fs::path& database, const std::string& comment_id,
                             const std::string& user) {
  sparks::store::sqlite::Connection db(database);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  sparks::store::EventRow row{
      0,
      "w1",
      "tiktok",
      "webhook",
      "comment:" + comment_id,
      "tiktok.comment",
      json::serialize(json::object{{"comment_id", comment_id},
                                   {"video_id", "video-1"},
                                   {"text", "hi"},
                                   {"user", sparks::sandbox::unique_identifier_of(user)},
                                   {"username", ""}}),
      now};
  ASSERT_TRUE(db.records().append_event(row));
}

std::string outbox_status(const fs::path& database) {
  sparks::store::sqlite::Connection db(database);
  SQLite::Statement select(db.database(), "SELECT group_concat(status) FROM outbox");
  select.executeStep();
  return select.getColumn(0).isNull() ? std::string() : select.getColumn(0).getString();
}

TEST_F(EngineConnectTest, AnEventAStoppedRunLeftUnhandledRunsAtTheNextStart) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));
  stop_engine();
  ASSERT_NO_FATAL_FAILURE(store_unhandled_comment(options_.database, "7301", "fan-9"));

  start_engine();
  run_until_seen("the DM of the event left unhandled", [&] { return sent_messages() > 0; });
  run_until_seen("its outcome stored", [&] { return outbox_status(options_.database) == "sent"; });
  EXPECT_EQ(sent_messages(), 1u);
}

TEST_F(EngineConnectTest, ARedeliveryOfAnUnhandledEventRunsItOnce) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));
  // The platform's comment; its event is already stored, unhandled, as a crash would leave it.
  const auto comment =
      control("/sandbox/v1/comments",
              {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  const std::string id(comment.at("comment").at("comment_id").as_string());
  ASSERT_NO_FATAL_FAILURE(store_unhandled_comment(options_.database, id, "fan-9"));

  // The platform delivers it (again): a duplicate, and it runs.
  auto reply = deliver_webhook(1);
  ASSERT_FALSE(reply.error);
  EXPECT_EQ(reply.value.at("duplicates").as_int64(), 1);
  run_until_seen("the redelivered event's DM", [&] { return sent_messages() > 0; });
  run_until_seen("its outcome stored", [&] { return outbox_status(options_.database) == "sent"; });
  // A third copy finds it handled: nothing more.
  reply = deliver_webhook(1);
  ASSERT_FALSE(reply.error);
  EXPECT_EQ(reply.value.at("duplicates").as_int64(), 1);
  EXPECT_EQ(outbox_status(options_.database), "sent");
  EXPECT_EQ(sent_messages(), 1u);
}

TEST_F(EngineConnectTest, AWebhookWhoseEventsCannotBeStoredIsAnswered503) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  // Another process holds the database's write lock for longer than the engine waits for it.
  SQLite::Database other(options_.database.string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN EXCLUSIVE");
  // The writer waits its busy time-out (5 s) for each group of batches queued meanwhile.
  auto refused = deliver_webhook(0, 60s);
  other.exec("ROLLBACK");
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, sparks::ErrorKind::retry_later);
  EXPECT_EQ(refused.error->code, "store_unavailable");
  // Delivered again once the store can write: stored.
  auto stored = deliver_webhook(0);
  ASSERT_FALSE(stored.error);
  EXPECT_EQ(stored.value.at("stored").as_int64(), 1);
}

TEST_F(EngineConnectTest, AStepLeftInFlightIsCheckedWithThePlatformAndNeverSentTwice) {
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  ASSERT_FALSE(deliver_webhook(1).error);
  run_until_seen("the DM", [&] { return outbox_status(options_.database) == "sent"; });
  stop_engine();
  // As a crash would leave them: the DM went out but its outcome was never stored; a second one,
  // to the same conversation, was marked in flight and never reached the platform.
  {
    sparks::store::sqlite::Connection db(options_.database);
    db.database().exec("UPDATE outbox SET status = 'in_flight'");
    db.database().exec(
        "INSERT INTO outbox (workspace_id, platform, action, params, idempotency_key, flow_id,"
        " flow_version, user_id, status, attempts, due_at_ms, created_at_ms)"
        " SELECT workspace_id, platform, action, json_set(params, '$.text', 'thanks again'),"
        " idempotency_key || ':again', flow_id, flow_version, user_id, 'in_flight', 0, due_at_ms,"
        " created_at_ms FROM outbox");
  }
  start_engine();
  run_until_seen("both steps settled",
                 [&] { return outbox_status(options_.database) == "sent,sent"; });
  EXPECT_EQ(sent_messages(), 2u) << "the first was found at the platform, the second sent once";
}

TEST_F(EngineConnectTest, APausedIntegrationSaysWhyAndRecoversAfterARestart) {
  stop_engine();
  options_.retry_first_delay = std::chrono::hours(1);  // no retry before the restart
  start_engine();
  ASSERT_EQ(connect("tiktok", "creator", kAllTikTok).value.at("state").as_string(), "connected");
  const auto error = fail_one_refresh();
  // The state shows at once; the issue once the transition is stored.
  auto paused = card_when("tiktok", [&](const json::object& c) {
    return c.at("state") == "paused" && has_issue(c, "paused");
  });
  EXPECT_NE(issue_message(paused, "paused").find(error), std::string::npos)
      << issue_message(paused, "paused");

  stop_engine();
  options_.retry_first_delay = 50ms;
  start_engine();
  // The recovery starts over at start: its first retry refreshes, and the integration is back.
  // As on the way in, the state shows at once and the issue is cleared once that is stored.
  auto back = card_when("tiktok", [&](const json::object& c) {
    return c.at("state") == "connected" && !has_issue(c, "paused");
  });
  EXPECT_EQ(back.at("status").as_string(), "Connected");
}

// --- What the engine does when the lifecycle is not the shipped one ---

TEST_F(EngineConnectTest, ALifecycleWithoutOpenOAuthSessionGivesNoAuthorizeURL) {
  stop_engine();
  options_.lifecycle =
      shipped_lifecycle_with("entry: [open_oauth_session]", "entry: [clear_connection_issues]");
  start_engine();
  auto reply = wait_reply([&](auto done) { engine_->connect({"w1", "tiktok"}, kAna, done); });
  ASSERT_TRUE(reply.error) << "no session was opened, so there is no page to send the owner to";
  EXPECT_EQ(reply.error->code, "no_oauth_session");
  EXPECT_NE(reply.error->message.find("open_oauth_session"), std::string::npos)
      << reply.error->message;
  EXPECT_TRUE(reply.value.is_null());
}

TEST_F(EngineConnectTest, RefusalsCarryTheReasonTheLifecycleRecorded) {
  // A lifecycle that refuses members with another reason than not_owner.
  stop_engine();
  options_.lifecycle =
      shipped_lifecycle_with("do: [refuse_not_owner]", "do: [refuse_business_mismatch]");
  start_engine();
  const std::string expected = sparks::runtime::issue_texts::business_mismatch("TikTok").message;

  auto connect_refused = wait_reply([&](auto done) {
    engine_->connect({"w1", "tiktok"}, kBen, done);
  });
  ASSERT_TRUE(connect_refused.error);
  EXPECT_EQ(connect_refused.error->code, "business_mismatch");
  EXPECT_EQ(connect_refused.error->message, expected);
  EXPECT_EQ(connect_refused.error->kind, sparks::ErrorKind::conflict);

  ASSERT_FALSE(connect("tiktok", "creator", kAllTikTok).error);
  auto disconnect_refused = wait_reply([&](auto done) {
    engine_->disconnect({"w1", "tiktok"}, kBen, done);
  });
  ASSERT_TRUE(disconnect_refused.error);
  EXPECT_EQ(disconnect_refused.error->code, "business_mismatch");
  EXPECT_EQ(disconnect_refused.error->message, expected);
}

// --- The story, against the shipped lifecycle and a copy with every state renamed ---

struct LifecycleFile {
  std::string name;
  std::optional<fs::path> path;  // none: the shipped lifecycle built into the engine
};

void PrintTo(const LifecycleFile& file, std::ostream* os) {
  *os << file.name;
}

class LifecycleStoryTest : public EngineConnectTest,
                           public ::testing::WithParamInterface<LifecycleFile> {
 protected:
  std::optional<fs::path> lifecycle_file() const override { return GetParam().path; }
};

TEST_P(LifecycleStoryTest, ConnectPartiallyReconnectDisconnectAndReconnect) {
  auto ben = wait_reply([&](auto done) { engine_->connect({"w1", "tiktok"}, kBen, done); });
  ASSERT_TRUE(ben.error);
  EXPECT_EQ(ben.error->kind, sparks::ErrorKind::forbidden);
  EXPECT_EQ(ben.error->code, "not_owner");
  EXPECT_EQ(look(card("tiktok")), "Disconnected/grey");

  // Some scopes: connected partially, the card names what is missing.
  auto partial = connect("tiktok", "creator", kAllButDms);
  ASSERT_FALSE(partial.error) << partial.error->message;
  EXPECT_TRUE(partial.value.at("refusal").is_null());
  EXPECT_NE(std::string(partial.value.at("message").as_string()).find("DMs cannot be sent"),
            std::string::npos);
  auto c = card("tiktok");
  EXPECT_EQ(look(c), "Partially connected/yellow");
  EXPECT_TRUE(has_issue(c, "missing_scopes"));

  // Every scope: connected, synced.
  auto full = connect("tiktok", "creator", kAllTikTok);
  ASSERT_FALSE(full.error) << full.error->message;
  EXPECT_EQ(full.value.at("message").as_string(), "TikTok is connected");
  c = card_when("tiktok", [](const json::object& c) { return !c.at("last_sync").is_null(); });
  EXPECT_EQ(look(c), "Connected/green");
  EXPECT_FALSE(c.at("last_sync").is_null());
  EXPECT_FALSE(has_issue(c, "missing_scopes"));

  // A personal account is refused, and the connection stays as it was.
  auto personal = connect("tiktok", "personal", kAllTikTok);
  ASSERT_FALSE(personal.error) << personal.error->message;
  EXPECT_EQ(personal.value.at("refusal").as_string(), "personal_account");
  EXPECT_EQ(personal.value.at("message").as_string(),
            sparks::runtime::issue_texts::personal_account("TikTok").message);
  EXPECT_EQ(look(card("tiktok")), "Connected/green");

  // Disconnect: the owner only; the automations that depend on TikTok pause.
  save_automations();
  auto refused = wait_reply([&](auto done) { engine_->disconnect({"w1", "tiktok"}, kBen, done); });
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->code, "not_owner");
  auto gone = wait_reply([&](auto done) { engine_->disconnect({"w1", "tiktok"}, kAna, done); });
  ASSERT_FALSE(gone.error) << gone.error->message;
  EXPECT_EQ(automation("live"), "paused/tiktok");
  EXPECT_EQ(automation("draft"), "draft/-");
  EXPECT_EQ(automation("by-hand"), "paused/person");
  c = card("tiktok");
  EXPECT_EQ(look(c), "Disconnected/red") << "a connection was lost";
  EXPECT_TRUE(c.at("granted_scopes").as_array().empty());

  // Reconnect: exactly the automations the disconnect paused resume.
  ASSERT_FALSE(connect("tiktok", "creator", kAllTikTok).error);
  EXPECT_EQ(look(card("tiktok")), "Connected/green");
  EXPECT_EQ(automation("live"), "live/-");
  EXPECT_EQ(automation("draft"), "draft/-");
  EXPECT_EQ(automation("by-hand"), "paused/person");
}

TEST_P(LifecycleStoryTest, ThePlatformRevokingAccessDisconnectsWithTheReason) {
  ASSERT_FALSE(connect("tiktok", "creator", kAllTikTok).error);
  save_automations();
  control("/sandbox/v1/revoke", {{"account", "creator"}});
  auto revoked = deliver_webhook(0);
  ASSERT_FALSE(revoked.error) << revoked.error->message;
  auto c = card_when("tiktok",
                     [&](const json::object& c) { return has_issue(c, "authorization_removed"); });
  EXPECT_EQ(look(c), "Disconnected/red");
  EXPECT_TRUE(has_issue(c, "authorization_removed"));
  EXPECT_EQ(automation("live"), "paused/tiktok");
  EXPECT_EQ(automation("by-hand"), "paused/person");
}

TEST_P(LifecycleStoryTest, PausedHoldsEventsAndRunsThemWhenRecovered) {
  stop_engine();
  options_.retry_first_delay = 300ms;
  start_engine();
  ASSERT_FALSE(connect("tiktok", "creator", kAllTikTok).error);
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow());
  ASSERT_NO_FATAL_FAILURE(fan_writes("fan-9", 0));

  // A refresh fails for a passing reason: paused, and the retry comes ~300 ms later.
  fail_one_refresh();
  auto paused =
      card_when("tiktok", [&](const json::object& c) { return c.at("status") == "Paused"; });
  EXPECT_EQ(look(paused), "Paused/yellow");
  control("/sandbox/v1/comments",
          {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-9"}, {"text", "hi"}});
  ASSERT_FALSE(deliver_webhook(1).error);

  // Recovered: the comment held meanwhile runs, and its DM is sent.
  run_until_seen("the held comment's DM", [&] { return sent_messages() > 0; });
  EXPECT_EQ(sent_messages(), 1u);
  EXPECT_EQ(look(card("tiktok")), "Connected/green");
}

INSTANTIATE_TEST_SUITE_P(
    Lifecycles, LifecycleStoryTest,
    ::testing::Values(LifecycleFile{"shipped", std::nullopt},
                      LifecycleFile{"renamed_states", fs::path(SPARKS_TEST_DATA_DIR) /
                                                          "lifecycle/renamed-states.yaml"}),
    [](const ::testing::TestParamInfo<LifecycleFile>& info) { return info.param.name; });

}  // namespace

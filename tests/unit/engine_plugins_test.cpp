// The engine with a real connector plugin loaded from a plugin directory: triggers the plugin emits
// are stored in the event log and move the lifecycle, which pauses and resumes the automations
// that depend on the platform; the plugin's own flow trigger runs a flow whose action the plugin
// executes, all from what its descriptor declares. A file in the directory that is not a plugin is
// refused and the engine serves on.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>

#include "crypto/hmac.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "sparks/engine.hpp"
#include "store/automation_store.hpp"
#include "store/event_log_store.hpp"
#include "store/sqlite/connection.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using sparks::Actor;
using sparks::Role;
using sparks::store::AutomationStatus;

const Actor kAna = Actor::member("ana", Role::owner);

class EnginePluginsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-engine-plugins-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_ / "plugins");
    fs::create_symlink(SPARKS_ECHO_PLUGIN, folder_ / "plugins" / "libsparks_echo.so");
    fs::copy_file(fs::path(SPARKS_TEST_PLUGIN_DIR) / "not_a_plugin.so",
                  folder_ / "plugins" / "not_a_plugin.so");

    // The echo platform's token endpoint, answering with whatever status the test chose.
    auto router = std::make_shared<sparks::http::Router>();
    router->add_sync("POST", "/oauth/token", [](const sparks::http::Request&) {
      return sparks::http::Response::json(200, {{"access_token", "a1"},
                                                {"refresh_token", "r1"},
                                                {"expires_in", 3600},
                                                {"scope", "echo.read,echo.write"},
                                                {"account_id", "echo-1"}});
    });
    router->add_sync("POST", "/oauth/refresh", [this](const sparks::http::Request&) {
      if (refresh_status_ == 200)
        return sparks::http::Response::json(
            200, {{"access_token", "a2"}, {"refresh_token", "r2"}, {"expires_in", 3600}});
      return sparks::http::Response::json(refresh_status_, {{"error", "no"}});
    });
    platform_ = std::make_unique<sparks::http::Server>(io_.get_executor(), router);
    platform_->listen("127.0.0.1", 0);

    options_.database = folder_ / "sparks.db";
    options_.plugin_dir = folder_ / "plugins";
    options_.key_file = folder_ / "secret.key";
    options_.platform_config["echo"] =
        R"({"api_base_url":")" + platform_->base_url() + R"(","client_secret":"s"})";
    engine_ = std::make_unique<sparks::Engine>(io_.get_executor(), options_);
  }
  void TearDown() override {
    engine_->stop();
    platform_->stop();
    engine_.reset();
    io_.restart();
    io_.run_for(200ms);
    fs::remove_all(folder_);
  }

  template <typename Done>
  void run_until(std::string_view awaited, Done&& done) {
    sparks::testing::run_until(io_, awaited, std::forward<Done>(done));
  }

  // The owner's whole connect: Connect, then the platform's redirect back with a code.
  std::string connect() {
    std::optional<sparks::Reply> started, finished;
    engine_->connect({"w1", "echo"}, kAna, [&](sparks::Reply r) { started = std::move(r); });
    run_until("the answer to Connect", [&] { return started.has_value(); });
    if (started->error) return "connect refused";
    const std::string url(started->value.at("authorize_url").as_string());
    const auto at = url.find("&state=") + 7;
    std::string state;
    for (std::size_t i = at; i < url.size() && url[i] != '&'; ++i) {
      if (url[i] == '%') {
        state += static_cast<char>(std::stoi(url.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        state += url[i];
      }
    }
    engine_->complete_authorization("echo", {{"code", "c1"}, {"state", state}},
                                    [&](sparks::Reply r) { finished = std::move(r); });
    run_until("the answer to the callback", [&] { return finished.has_value(); });
    if (finished->error) return "callback refused";
    return std::string(finished->value.at("state").as_string());
  }

  std::string state() {
    std::optional<std::string> result;
    engine_->integrations("w1", [&](std::vector<sparks::IntegrationView> views) {
      for (auto& v : views)
        if (v.key.platform == "echo") result = v.state;
      if (!result) result = "none";
    });
    run_until("the integration cards", [&] { return result.has_value(); });
    return *result;
  }

  // Refreshes through the plugin and waits until the lifecycle has reached `expected`.
  std::string refresh_and_wait(int http_status, const std::string& expected) {
    refresh_status_ = http_status;
    std::optional<std::string> error;
    engine_->refresh_credentials({"w1", "echo"}, [&](std::string e) { error = std::move(e); });
    run_until("the refresh's answer", [&] { return error.has_value(); });
    std::string now;
    sparks::testing::run_until(
        io_, "the lifecycle to reach " + expected, [&] { return (now = state()) == expected; },
        sparks::testing::kWaitLimit, 20ms);
    // The card shows a transition as soon as it is made; its effects are in the store once the
    // writer has reached it. A history read queues behind them, so its answer means they are in.
    std::optional<std::size_t> stored;
    engine_->transitions({"w1", "echo"}, [&](auto rows) { stored = rows.size(); });
    run_until("the stored history", [&] { return stored.has_value(); });
    return now;
  }

  std::string automation(const std::string& id) {
    sparks::store::sqlite::Connection db(options_.database);
    auto row = db.records().load_automation("w1", id);
    return std::string(sparks::store::to_string(row->status)) + "/" + row->paused_by.value_or("-");
  }

  fs::path folder_;
  boost::asio::io_context io_;
  std::atomic<int> refresh_status_{200};
  std::unique_ptr<sparks::http::Server> platform_;
  sparks::EngineOptions options_;
  std::unique_ptr<sparks::Engine> engine_;
};

TEST_F(EnginePluginsTest, PluginTriggersMoveTheLifecycleAndItsAutomations) {
  EXPECT_EQ(engine_->platforms(), std::vector<std::string>{"echo"})
      << "the text file in the plugin folder is refused, the echo connector loads";

  ASSERT_EQ(connect(), "connected");
  {
    sparks::store::sqlite::Connection db(options_.database);
    db.records().save_automation(
        {"w1", "live", "live", AutomationStatus::live, std::nullopt, 1, {"echo"}});
    db.records().save_automation(
        {"w1", "draft", "draft", AutomationStatus::draft, std::nullopt, 1, {"echo"}});
    db.records().save_automation(
        {"w1", "by-hand", "by-hand", AutomationStatus::paused, "person", 1, {"echo"}});
  }

  EXPECT_EQ(refresh_and_wait(503, "paused"), "paused") << "token_refresh_failed";
  EXPECT_EQ(refresh_and_wait(200, "connected"), "connected") << "token_refreshed";
  EXPECT_EQ(refresh_and_wait(401, "disconnected"), "disconnected") << "refresh_token_rejected";
  EXPECT_EQ(automation("live"), "paused/echo");
  EXPECT_EQ(automation("draft"), "draft/-");
  EXPECT_EQ(automation("by-hand"), "paused/person");

  ASSERT_EQ(connect(), "connected");
  EXPECT_EQ(automation("live"), "live/-") << "the reconnect resumes what the integration paused";
  EXPECT_EQ(automation("by-hand"), "paused/person");

  // Every trigger went through the event log before it moved anything.
  sparks::store::sqlite::Connection db(options_.database);
  EXPECT_EQ(db.records().count_events("w1", "token_refresh_failed"), 1);
  EXPECT_EQ(db.records().count_events("w1", "token_refreshed"), 1);
  EXPECT_EQ(db.records().count_events("w1", "refresh_token_rejected"), 1);
  SQLite::Statement actors(
      db.database(), "SELECT actor FROM lifecycle_transitions WHERE event = 'token_refreshed'");
  ASSERT_TRUE(actors.executeStep());
  EXPECT_EQ(actors.getColumn(0).getString(), "plugin:echo");
}

// The echo plugin knows nothing of the engine and the engine nothing of echo: a message arrives as
// the plugin's echo.message trigger, a live flow on it matches (a keyword, as message triggers
// take), and its echo.reply step goes to the plugin, which answers by emitting the reply as
// another echo.message. That second event, in the event log, is the positive signal. (The tag,
// applied before the reply is sent, keeps the reply from starting the flow again.)
TEST_F(EnginePluginsTest, ThePluginsTriggerRunsAFlowWhoseActionThePluginExecutes) {
  ASSERT_EQ(connect(), "connected");
  const std::string yaml =
      "flow:\n  id: echo-pong\n  name: Ping, pong\n"
      "  trigger: { on: echo.message, keywords: [ping] }\n"
      "  conditions:\n    - contact.tags: { excludes: answered }\n"
      "  actions:\n    - contact.tag: { add: answered }\n"
      "    - echo.reply: { text: \"pong to {{message.text}}\" }\n";
  std::optional<sparks::Reply> created, published;
  engine_->create_flow("w1", kAna, yaml, [&](sparks::Reply r) { created = std::move(r); });
  run_until("the created flow", [&] { return created.has_value(); });
  ASSERT_FALSE(created->error) << created->error->message;
  engine_->publish_flow("w1", "echo-pong", kAna,
                        [&](sparks::Reply r) { published = std::move(r); });
  run_until("the published flow", [&] { return published.has_value(); });
  ASSERT_FALSE(published->error) << published->error->message;
  EXPECT_EQ(published->value.at("status"), "live");

  const std::string body = R"({"id":"m-1","account":"echo-1","user":"fan-1","text":"ping me"})";
  sparks::InboundWebhook webhook;
  webhook.path = "/webhooks/echo";
  webhook.headers = {{"Echo-Signature", sparks::crypto::hmac_sha256_hex("s", body)}};
  webhook.body = body;
  std::optional<sparks::Reply> received;
  engine_->receive_webhook("echo", webhook, [&](sparks::Reply r) { received = std::move(r); });
  run_until("the webhook's answer", [&] { return received.has_value(); });
  ASSERT_FALSE(received->error) << received->error->message;
  EXPECT_EQ(received->value.at("stored"), 1);

  sparks::store::sqlite::Connection db(options_.database);
  auto echoes = [&] { return db.records().count_events("w1", "echo.message"); };
  auto reply_step = [&] {
    SQLite::Statement step(db.database(), "SELECT status FROM outbox WHERE action = 'echo.reply'");
    return step.executeStep() ? step.getColumn(0).getString() : std::string("none");
  };
  run_until("the plugin's echo of the flow's reply, and the reply's step sent",
            [&] { return echoes() == 2 && reply_step() == "sent"; });
  SQLite::Statement reply(db.database(),
                          "SELECT source, payload FROM event_log WHERE kind = 'echo.message'"
                          " ORDER BY id DESC LIMIT 1");
  ASSERT_TRUE(reply.executeStep());
  EXPECT_EQ(reply.getColumn(0).getString(), "plugin");
  const auto payload = boost::json::parse(reply.getColumn(1).getString());
  EXPECT_EQ(payload.at("user"), "fan-1") << "filled from {{contact.user}}, the default";
  EXPECT_EQ(payload.at("text"), "pong to ping me");

  // A message trigger and a message action: the inbox holds both sides of the conversation.
  SQLite::Statement inbox(db.database(),
                          "SELECT direction, text, status FROM inbox_messages ORDER BY id");
  std::vector<std::string> lines;
  while (inbox.executeStep())
    lines.push_back(inbox.getColumn(0).getString() + " " + inbox.getColumn(1).getString() + " " +
                    inbox.getColumn(2).getString());
  EXPECT_THAT(lines, ::testing::Contains("in ping me received"));
  EXPECT_THAT(lines, ::testing::Contains("out pong to ping me sent"));
}

TEST_F(EnginePluginsTest, APlatformWithoutAPluginSaysSo) {
  std::optional<std::string> error;
  engine_->refresh_credentials({"w1", "nowhere"}, [&](std::string e) { error = std::move(e); });
  run_until("the refresh's answer", [&] { return error.has_value(); });
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("no connector plugin"), std::string::npos);
}

}  // namespace

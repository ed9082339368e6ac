// sparks::Engine with the shipped lifecycle: events move integrations, refusals say why, effects
// (issues, paused and resumed automations) are stored with the transition, and a new engine on the
// same database picks up where the last one stopped.
#include "sparks/engine.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>

#include "store/automation_store.hpp"
#include "store/sqlite/connection.hpp"
#include "support/wait.hpp"

namespace {

namespace fs = std::filesystem;
using sparks::Actor;
using sparks::Role;

const Actor kAna = Actor::member("ana", Role::owner);
const Actor kBen = Actor::member("ben", Role::member);
const Actor kPlatform = Actor::system("platform");

boost::json::object granted(std::vector<std::string> missing, std::string type = "business",
                            std::string business = "biz-1", std::string expected_business = "") {
  boost::json::array missing_json;
  for (auto& s : missing) missing_json.emplace_back(s);
  boost::json::object payload{
      {"account", {{"id", "acct"}, {"type", type}, {"business_id", business}}},
      {"missing_scopes", std::move(missing_json)}};
  if (!expected_business.empty()) payload["expected_business_id"] = expected_business;
  return payload;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() /
              ("sparks-engine-test-" + std::to_string(getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    options_.database = folder_ / "sparks.db";
    options_.key_file = folder_ / "secret.key";
    engine_ = std::make_unique<sparks::Engine>(io_.get_executor(), options_);
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(folder_);
  }

  // Runs the io_context until the engine's answer is in `result`.
  template <typename T>
  T wait(std::optional<T>& result) {
    sparks::testing::run_until(io_, "the engine's answer", [&] { return result.has_value(); });
    return std::move(*result);
  }

  sparks::FireOutcome fire(const std::string& platform, const std::string& event, Actor actor,
                           boost::json::object payload = {}) {
    std::optional<sparks::FireOutcome> result;
    engine_->fire({"w1", platform}, event, std::move(actor), std::move(payload),
                  [&](sparks::FireOutcome o) { result = std::move(o); });
    return wait(result);
  }

  sparks::IntegrationView card(const std::string& platform) {
    std::optional<std::vector<sparks::IntegrationView>> result;
    engine_->integrations("w1", [&](auto views) { result = std::move(views); });
    for (auto& view : wait(result))
      if (view.key.platform == platform) return view;
    throw std::runtime_error("no integration " + platform);
  }

  std::vector<sparks::TransitionView> history(const std::string& platform) {
    std::optional<std::vector<sparks::TransitionView>> result;
    engine_->transitions({"w1", platform}, [&](auto rows) { result = std::move(rows); });
    return wait(result);
  }

  // Automations are written beside the engine, as the flows API will do.
  void save_automation(const std::string& id, sparks::store::AutomationStatus status,
                       std::optional<std::string> paused_by = std::nullopt) {
    sparks::store::sqlite::Connection db(options_.database);
    db.records().save_automation({"w1", id, id, status, paused_by, 1, {"tiktok"}});
  }
  std::string automation_status(const std::string& id) {
    sparks::store::sqlite::Connection db(options_.database);
    auto row = db.records().load_automation("w1", id);
    return std::string(sparks::store::to_string(row->status)) + "/" + row->paused_by.value_or("-");
  }

  void connect_fully() {
    ASSERT_EQ(fire("tiktok", "connect_requested", kAna).to, "authorizing");
    ASSERT_EQ(fire("tiktok", "authorization_granted", kPlatform, granted({})).to, "connected");
  }

  fs::path folder_;
  sparks::EngineOptions options_;
  boost::asio::io_context io_;
  std::unique_ptr<sparks::Engine> engine_;
};

TEST_F(EngineTest, OnlyTheOwnerCanStartConnecting) {
  auto refused = fire("tiktok", "connect_requested", kBen);
  EXPECT_TRUE(refused.handled);
  EXPECT_EQ(refused.to, "disconnected");
  EXPECT_EQ(refused.refusal, "not_owner");

  auto started = fire("tiktok", "connect_requested", kAna);
  EXPECT_EQ(started.from, "disconnected");
  EXPECT_EQ(started.to, "authorizing");
  EXPECT_FALSE(started.refusal);
  EXPECT_TRUE(card("tiktok").deadline) << "authorizing has a 10-minute time-out";
}

TEST_F(EngineTest, PartialScopesNameTheMissingScopeAndReconnectingClearsIt) {
  fire("tiktok", "connect_requested", kAna);
  EXPECT_EQ(fire("tiktok", "authorization_granted", kPlatform, granted({"message.list.send"})).to,
            "partial-scopes");
  auto partial = card("tiktok");
  ASSERT_EQ(partial.issues.size(), 1u);
  EXPECT_EQ(partial.issues[0].code, "missing_scopes");
  EXPECT_NE(partial.issues[0].message.find("message.list.send"), std::string::npos);

  fire("tiktok", "connect_requested", kAna);
  EXPECT_EQ(fire("tiktok", "authorization_granted", kPlatform, granted({})).to, "connected");
  EXPECT_TRUE(card("tiktok").issues.empty());
}

TEST_F(EngineTest, RefusedAccountsReturnToThePreviousState) {
  fire("tiktok", "connect_requested", kAna);
  auto personal = fire("tiktok", "authorization_granted", kPlatform, granted({}, "personal"));
  EXPECT_EQ(personal.to, "disconnected");
  EXPECT_EQ(personal.refusal, "personal_account");
  EXPECT_EQ(card("tiktok").issues.at(0).code, "personal_account");

  fire("tiktok_shop", "connect_requested", kAna);
  auto other = fire("tiktok_shop", "authorization_granted", kPlatform,
                    granted({}, "seller", "biz-2", "biz-1"));
  EXPECT_EQ(other.to, "disconnected");
  EXPECT_EQ(other.refusal, "business_mismatch");

  fire("tiktok_shop", "connect_requested", kAna);
  EXPECT_EQ(fire("tiktok_shop", "authorization_granted", kPlatform,
                 granted({}, "seller", "biz-1", "biz-1"))
                .to,
            "connected");
}

TEST_F(EngineTest, DisconnectPausesDependentsAndReconnectResumesExactlyThose) {
  using sparks::store::AutomationStatus;
  connect_fully();
  save_automation("live-flow", AutomationStatus::live);
  save_automation("draft-flow", AutomationStatus::draft);
  save_automation("hand-paused", AutomationStatus::paused, "person");

  EXPECT_EQ(fire("tiktok", "disconnect_requested", kAna).to, "disconnected");
  EXPECT_EQ(automation_status("live-flow"), "paused/tiktok");
  EXPECT_EQ(automation_status("draft-flow"), "draft/-");
  EXPECT_EQ(automation_status("hand-paused"), "paused/person");

  connect_fully();
  EXPECT_EQ(automation_status("live-flow"), "live/-");
  EXPECT_EQ(automation_status("draft-flow"), "draft/-");
  EXPECT_EQ(automation_status("hand-paused"), "paused/person");
}

TEST_F(EngineTest, TransientTroublePausesAndRecoveryReturns) {
  connect_fully();
  EXPECT_EQ(fire("tiktok", "token_refresh_failed", Actor::system("engine")).to, "paused");
  EXPECT_EQ(fire("tiktok", "token_refreshed", Actor::system("engine")).to, "connected");
  EXPECT_EQ(fire("tiktok", "platform_unavailable", Actor::system("engine")).to, "paused");
  auto rejected = fire("tiktok", "refresh_token_rejected", Actor::system("engine"));
  EXPECT_EQ(rejected.to, "disconnected");
  EXPECT_EQ(card("tiktok").issues.at(0).code, "reconnect_required");
}

TEST_F(EngineTest, AReconnectAbandonedWhilePausedStillRecoversToConnected) {
  connect_fully();
  EXPECT_EQ(fire("tiktok", "platform_unavailable", Actor::system("engine")).to, "paused");
  EXPECT_EQ(fire("tiktok", "connect_requested", kAna).to, "authorizing");
  EXPECT_EQ(fire("tiktok", "authorization_denied", kPlatform).to, "paused");
  EXPECT_EQ(fire("tiktok", "platform_recovered", Actor::system("engine")).to, "connected");
}

TEST_F(EngineTest, EveryTransitionIsStoredWithItsActor) {
  fire("tiktok", "connect_requested", kBen);
  connect_fully();
  fire("tiktok", "authorization_removed", kPlatform, {{"reason", "user revoked"}});
  auto rows = history("tiktok");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].event, "connect_requested");
  EXPECT_EQ(rows[0].actor, "ben");
  EXPECT_EQ(rows[0].from, "disconnected");
  EXPECT_EQ(rows[0].to, "disconnected");
  EXPECT_EQ(rows[3].from, "connected");
  EXPECT_EQ(rows[3].to, "disconnected");
  EXPECT_EQ(rows[3].actor, "platform");
  auto issue = card("tiktok").issues.at(0);
  EXPECT_EQ(issue.code, "authorization_removed");
  EXPECT_NE(issue.message.find("user revoked"), std::string::npos);
}

TEST_F(EngineTest, UnknownAndUnhandledEventsChangeNothing) {
  auto unknown = fire("tiktok", "no_such_event", kAna);
  EXPECT_FALSE(unknown.error.empty());
  auto unhandled = fire("tiktok", "token_refreshed", Actor::system("engine"));
  EXPECT_FALSE(unhandled.handled);
  EXPECT_EQ(unhandled.to, "disconnected");
  EXPECT_TRUE(history("tiktok").empty());
}

TEST_F(EngineTest, ANewEngineRestoresStatesAndIssues) {
  fire("tiktok", "connect_requested", kAna);
  fire("tiktok", "authorization_granted", kPlatform, granted({"video.list"}));
  engine_.reset();
  engine_ = std::make_unique<sparks::Engine>(io_.get_executor(), options_);
  auto restored = card("tiktok");
  EXPECT_EQ(restored.state, "partial-scopes");
  ASSERT_EQ(restored.issues.size(), 1u);
  EXPECT_EQ(restored.issues[0].code, "missing_scopes");
  // `previous` was restored too: a refused reconnect goes back to partial-scopes.
  fire("tiktok", "connect_requested", kAna);
  EXPECT_EQ(fire("tiktok", "authorization_denied", kPlatform).to, "partial-scopes");
}

TEST(EngineOptionsTest, ABrokenLifecycleFileIsRefusedWithItsDiagnostics) {
  const auto folder = fs::temp_directory_path() / ("sparks-engine-bad-" + std::to_string(getpid()));
  fs::create_directories(folder);
  std::ofstream(folder / "bad.yaml") << "lifecycle:\n  name: x\n  initial: nowhere\n  states: {}\n";
  boost::asio::io_context io;
  sparks::EngineOptions options;
  options.database = folder / "sparks.db";
  options.key_file = folder / "secret.key";
  options.lifecycle = folder / "bad.yaml";
  try {
    sparks::Engine engine(io.get_executor(), options);
    ADD_FAILURE() << "a broken lifecycle was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.yaml:"), std::string::npos) << e.what();
  }
  fs::remove_all(folder);
}

}  // namespace

// One TikTok account, one workspace (docs/lifecycle.md, "One account, one workspace"): a second
// workspace that connects an account the first holds is refused with account_in_use, while the
// first keeps its connection and its events; who holds it is said only to that workspace's
// owners; disconnecting it there frees it. Two workspaces on one engine, the real connectors
// against the sandbox on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "support/engine_rig.hpp"
#include "support/tiktok_scopes.hpp"

namespace {

namespace json = boost::json;
using sparks::Actor;
using sparks::IntegrationKey;
using sparks::Role;

const auto& kAllTikTok = sparks::testing::kEveryTikTokScope;

// Ana owns Studio A and is a member of Studio B; Bob owns Studio B.
const Actor kAnaInA = Actor::member("ana", Role::owner);
const Actor kAnaInB = Actor::member("ana", Role::member);
const Actor kBob = Actor::member("bob", Role::owner);
const IntegrationKey kTikTokA{"studio-a", "tiktok"};
const IntegrationKey kTikTokB{"studio-b", "tiktok"};

class OneAccountOneWorkspaceTest : public sparks::testing::EngineRig {
 protected:
  void configure(sparks::EngineOptions& options) override {
    options.workspace_directory["studio-a"] = {"Studio A", {"ana"}};
    options.workspace_directory["studio-b"] = {"Studio B", {"bob"}};
  }
};

TEST_F(OneAccountOneWorkspaceTest, ASecondWorkspaceIsRefusedAndTheFirstKeepsItsEvents) {
  ASSERT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("state"), "connected");
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow("studio-a", kAnaInA));

  // Studio B connects the same account: refused, and the callback says why.
  const auto refused = connect(kTikTokB, "creator", kAllTikTok, kBob);
  ASSERT_FALSE(refused.error) << refused.error->message;
  EXPECT_EQ(refused.value.at("refusal"), "account_in_use");
  EXPECT_EQ(refused.value.at("state"), "disconnected");
  const std::string said = std::string(refused.value.at("message").as_string());
  EXPECT_NE(said.find("another Sparks workspace"), std::string::npos) << said;
  EXPECT_EQ(said.find("Studio A"), std::string::npos) << "Bob does not own Studio A: " << said;

  // B's card says so; A's owner (a member of B) reads which workspace has it, Bob does not.
  const auto for_bob = card(kTikTokB, kBob);
  EXPECT_EQ(for_bob.at("status"), "Disconnected");
  EXPECT_NE(issue_message(for_bob, "account_in_use").find("another Sparks workspace"),
            std::string::npos)
      << json::serialize(for_bob);
  EXPECT_EQ(json::serialize(for_bob).find("Studio A"), std::string::npos);
  const auto for_ana = card(kTikTokB, kAnaInB);
  EXPECT_NE(issue_message(for_ana, "account_in_use").find("workspace 'Studio A' (studio-a)"),
            std::string::npos)
      << json::serialize(for_ana);

  // A is untouched: connected, its token works (only B's fresh one was handed back), and a
  // comment on the account is A's: its flow runs and the DM is sent.
  EXPECT_EQ(card(kTikTokA, kAnaInA).at("status"), "Connected");
  EXPECT_EQ(refresh(kTikTokA), "");
  ASSERT_NO_FATAL_FAILURE(fan_writes_and_comments("creator", "video-1", "fan-1", 0));
  run_until_seen("studio-a's DM", [&] { return sent_messages("creator") > 0; });
  EXPECT_EQ(sent_messages("creator"), 1u);
}

TEST_F(OneAccountOneWorkspaceTest, TheHolderIsKnownAfterARestart) {
  ASSERT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("state"), "connected");
  stop_engine();
  start_engine();
  const auto refused = connect(kTikTokB, "creator", kAllTikTok, kBob);
  ASSERT_FALSE(refused.error) << refused.error->message;
  EXPECT_EQ(refused.value.at("refusal"), "account_in_use");
  EXPECT_EQ(card(kTikTokA, kAnaInA).at("status"), "Connected");
}

TEST_F(OneAccountOneWorkspaceTest, TheCallbackNamesTheHolderToItsOwner) {
  ASSERT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("state"), "connected");
  // Ana also owns Studio B here: she is told where the account is connected.
  stop_engine();
  options_.workspace_directory["studio-b"].owners.push_back("ana");
  start_engine();
  const auto refused = connect(kTikTokB, "creator", kAllTikTok, Actor::member("ana", Role::owner));
  ASSERT_FALSE(refused.error) << refused.error->message;
  EXPECT_EQ(refused.value.at("refusal"), "account_in_use");
  EXPECT_NE(std::string(refused.value.at("message").as_string()).find("Studio A"),
            std::string::npos)
      << json::serialize(refused.value);
}

TEST_F(OneAccountOneWorkspaceTest, DisconnectingItInTheFirstWorkspaceFreesIt) {
  ASSERT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("state"), "connected");
  ASSERT_EQ(connect(kTikTokB, "creator", kAllTikTok, kBob).value.at("refusal"), "account_in_use");

  ASSERT_FALSE(disconnect(kTikTokA, kAnaInA).error);
  const auto connected = connect(kTikTokB, "creator", kAllTikTok, kBob);
  ASSERT_FALSE(connected.error) << connected.error->message;
  EXPECT_TRUE(connected.value.at("refusal").is_null()) << json::serialize(connected.value);
  EXPECT_EQ(connected.value.at("state"), "connected");
  const auto b = card(kTikTokB, kBob);
  EXPECT_EQ(b.at("status"), "Connected");
  EXPECT_TRUE(issue_message(b, "account_in_use").empty()) << "a good connection clears it";

  // The account's events are Studio B's now; Studio A, disconnected, is refused in turn.
  ASSERT_NO_FATAL_FAILURE(publish_thanks_flow("studio-b", kBob));
  ASSERT_NO_FATAL_FAILURE(fan_writes_and_comments("creator", "video-1", "fan-2", 0));
  run_until_seen("studio-b's DM", [&] { return sent_messages("creator") > 0; });
  EXPECT_EQ(sent_messages("creator"), 1u);
  EXPECT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("refusal"),
            "account_in_use");
}

// A reconnect that picks an account another workspace holds is refused too, and the integration
// keeps the account it had.
TEST_F(OneAccountOneWorkspaceTest, AReconnectToAHeldAccountKeepsTheOneItHad) {
  ASSERT_EQ(connect(kTikTokA, "creator", kAllTikTok, kAnaInA).value.at("state"), "connected");
  ASSERT_EQ(connect(kTikTokB, "creator-eu", kAllTikTok, kBob).value.at("state"), "connected");

  const auto refused = connect(kTikTokB, "creator", kAllTikTok, kBob);
  ASSERT_FALSE(refused.error) << refused.error->message;
  EXPECT_EQ(refused.value.at("refusal"), "account_in_use");
  const auto b = card(kTikTokB, kBob);
  EXPECT_EQ(b.at("status"), "Connected");
  EXPECT_EQ(b.at("account").at("username"), "creator.europa");
  EXPECT_FALSE(issue_message(b, "account_in_use").empty()) << json::serialize(b);
  EXPECT_EQ(refresh(kTikTokB), "") << "Studio B still works on the grant it had";
  EXPECT_EQ(card(kTikTokA, kAnaInA).at("account").at("username"), "creator.studio");
}

}  // namespace

// The integration card's rules, from the help page: status words, dot colours, webhook health and
// the troubleshooting pointer after 10 minutes of waiting.
#include "integrations/card.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "integrations/issue_texts.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"
#include "util/resources.hpp"

namespace {

using namespace std::chrono_literals;
using sparks::Clock;
using sparks::runtime::CardFacts;
using sparks::runtime::make_card;

const Clock::time_point t0 = Clock::from_time_t(1'795'000'000);

// The shipped lifecycle, as the engine runs it: the card's words and colours come from it.
const sparks::lifecycle::Machine& shipped() {
  static const sparks::lifecycle::Machine machine = [] {
    const char* path = "flows/lifecycle/integration.yaml";
    const auto text = sparks::resources::find(path);
    if (!text) throw std::logic_error("the shipped lifecycle is not embedded");
    auto loaded =
        sparks::lifecycle::load_lifecycle(path, *text, sparks::runtime::lifecycle_registry());
    if (!loaded.definition) throw std::logic_error("the shipped lifecycle does not load");
    return sparks::lifecycle::Machine::compile(*loaded.definition,
                                               sparks::runtime::lifecycle_registry());
  }();
  return machine;
}

sparks::lifecycle::StateId state(std::string_view name) {
  return shipped().state_id(name).value();
}

std::string_view status_text(std::string_view name) {
  return sparks::runtime::status_text(shipped(), state(name));
}

std::string_view dot_colour(std::string_view name, bool ever_connected) {
  return sparks::runtime::dot_colour(shipped(), state(name), ever_connected);
}

CardFacts in_state(std::string_view name) {
  CardFacts facts;
  sparks::runtime::describe_state(facts, shipped(), state(name));
  return facts;
}

CardFacts connected() {
  CardFacts facts = in_state("connected");
  facts.platform = "tiktok";
  facts.ever_connected = true;
  facts.connected_at = t0;
  facts.last_sync = t0 + 5s;
  facts.granted_scopes = {"comment.list", "message.list.send", "video.list", "user.info.basic"};
  facts.account = boost::json::object{{"id", "creator"}, {"type", "business"}};
  return facts;
}

bool has_issue(const boost::json::object& card, std::string_view code) {
  for (const auto& issue : card.at("issues").as_array())
    if (issue.as_object().at("code").as_string() == code) return true;
  return false;
}

TEST(Card, StatusAndDotFollowTheState) {
  EXPECT_EQ(status_text("connected"), "Connected");
  EXPECT_EQ(dot_colour("connected", true), "green");
  EXPECT_EQ(status_text("partial-scopes"), "Partially connected");
  EXPECT_EQ(dot_colour("partial-scopes", true), "yellow");
  EXPECT_EQ(status_text("authorizing"), "Authorizing");
  EXPECT_EQ(dot_colour("authorizing", false), "grey");
  EXPECT_EQ(status_text("paused"), "Paused");
  EXPECT_EQ(dot_colour("paused", true), "yellow");
  EXPECT_EQ(status_text("disconnected"), "Disconnected");
  EXPECT_EQ(dot_colour("disconnected", true), "red") << "a connection was lost";
  EXPECT_EQ(dot_colour("disconnected", false), "grey") << "never connected";
}

TEST(Card, ConnectedCardShowsEverythingTheHelpPageLists) {
  auto card = make_card(connected(), t0 + 1min);
  EXPECT_EQ(card.at("status").as_string(), "Connected");
  EXPECT_EQ(card.at("dot").as_string(), "green");
  EXPECT_EQ(card.at("last_sync").as_string(), sparks::runtime::rfc3339(t0 + 5s));
  EXPECT_EQ(card.at("webhook").as_string(), "waiting");
  EXPECT_EQ(card.at("webhook_waiting_since").as_string(), sparks::runtime::rfc3339(t0));
  EXPECT_EQ(card.at("granted_scopes").as_array().size(), 4u);
  EXPECT_TRUE(card.at("issues").as_array().empty());
}

TEST(Card, WebhookWaitingTurnsIntoAnIssueAfterTenMinutes) {
  EXPECT_FALSE(has_issue(make_card(connected(), t0 + 9min + 59s), "webhook_waiting"));
  auto card = make_card(connected(), t0 + 10min);
  ASSERT_TRUE(has_issue(card, "webhook_waiting"));
  EXPECT_EQ(card.at("issues").as_array()[0].as_object().at("troubleshooting").as_string(),
            "Troubleshooting → Webhook not receiving");
}

TEST(Card, AnEventMakesItReceiving) {
  auto facts = connected();
  facts.last_webhook = t0 + 2min;
  auto card = make_card(facts, t0 + 30min);
  EXPECT_EQ(card.at("webhook").as_string(), "receiving");
  EXPECT_TRUE(card.at("webhook_waiting_since").is_null());
  EXPECT_FALSE(has_issue(card, "webhook_waiting"));
}

TEST(Card, ActivitySeenBySyncButNotByWebhookStartsTheWait) {
  auto facts = connected();
  facts.last_webhook = t0 + 1min;
  facts.unreported_activity = t0 + 20min;  // a comment the sync found, no webhook for it
  EXPECT_EQ(make_card(facts, t0 + 25min).at("webhook").as_string(), "waiting");
  EXPECT_FALSE(has_issue(make_card(facts, t0 + 25min), "webhook_waiting"));
  EXPECT_TRUE(has_issue(make_card(facts, t0 + 30min), "webhook_waiting"));
}

TEST(Card, WhatThePlatformWillNotDoForTheAccountIsAnIssueWithItsReason) {
  auto facts = connected();
  facts.account = boost::json::object{
      {"id", "creator-eu"},
      {"type", "business"},
      {"region", "DE"},
      {"unavailable",
       boost::json::array{boost::json::object{
           {"action", "tiktok.send_dm"},
           {"reason",
            "TikTok does not offer Business Messaging to accounts registered in the EEA, "
            "Switzerland or the UK"}}}}};
  const auto card = make_card(facts, t0 + 10s);
  ASSERT_TRUE(has_issue(card, "action_unavailable"));
  EXPECT_EQ(card.at("issues").at(0).at("message").as_string(),
            "TikTok does not offer Business Messaging to accounts registered in the EEA, "
            "Switzerland or the UK (flows' tiktok.send_dm steps are skipped)");
  EXPECT_EQ(card.at("account").at("region").as_string(), "DE");
}

TEST(Card, NeverConnectedCardIsGreyWithNulls) {
  CardFacts facts = in_state("disconnected");
  facts.platform = "tiktok_shop";
  auto card = make_card(facts, t0);
  EXPECT_EQ(card.at("dot").as_string(), "grey");
  EXPECT_TRUE(card.at("account").is_null());
  EXPECT_TRUE(card.at("last_sync").is_null());
  EXPECT_EQ(card.at("webhook").as_string(), "waiting");
  EXPECT_TRUE(card.at("webhook_waiting_since").is_null());
}

// The card comes from what each state declares, not from its name: the shipped lifecycle with
// every state renamed shows every card exactly as before, but for the state's name.
TEST(Card, ARenamedLifecycleShowsTheSameCards) {
  const auto renamed_file = std::string(SPARKS_TEST_DATA_DIR) + "/lifecycle/renamed-states.yaml";
  auto loaded =
      sparks::lifecycle::load_lifecycle_file(renamed_file, sparks::runtime::lifecycle_registry());
  ASSERT_TRUE(loaded.definition.has_value());
  const auto renamed = sparks::lifecycle::Machine::compile(*loaded.definition,
                                                           sparks::runtime::lifecycle_registry());
  const std::pair<std::string_view, std::string_view> kRenames[] = {
      {"disconnected", "offline"},
      {"authorizing", "at-consent-page"},
      {"partial-scopes", "some-scopes"},
      {"connected", "online"},
      {"paused", "on-hold"}};
  for (const auto& [name, new_name] : kRenames) {
    for (const bool ever_connected : {false, true}) {
      CardFacts before = connected();
      before.ever_connected = ever_connected;
      CardFacts after = before;
      sparks::runtime::describe_state(before, shipped(), state(name));
      sparks::runtime::describe_state(after, renamed, renamed.state_id(new_name).value());
      auto expected = make_card(before, t0 + 30min);
      auto got = make_card(after, t0 + 30min);
      EXPECT_EQ(got.at("state").as_string(), new_name);
      expected.erase("state");
      got.erase("state");
      EXPECT_EQ(boost::json::serialize(got), boost::json::serialize(expected))
          << name << (ever_connected ? ", ever connected" : ", never connected");
    }
  }
}

// A reconnect in progress shows on the card, which still says what the state is.
TEST(Card, AReconnectInProgressIsMarked) {
  CardFacts facts = connected();
  EXPECT_EQ(make_card(facts, t0 + 1min).at("reauthorizing"), false);
  facts.reauthorizing = true;
  const auto card = make_card(facts, t0 + 1min);
  EXPECT_EQ(card.at("reauthorizing"), true);
  EXPECT_EQ(card.at("status"), "Connected");
}

// An account another workspace holds: that workspace is named only when the reader may know it.
TEST(Card, AnAccountInUseNamesTheWorkspaceOnlyWhenGivenOne) {
  namespace texts = sparks::runtime::issue_texts;
  const auto anyone = texts::account_in_use("TikTok");
  EXPECT_EQ(anyone.code, "account_in_use");
  EXPECT_NE(anyone.message.find("another Sparks workspace"), std::string::npos) << anyone.message;
  EXPECT_FALSE(anyone.troubleshooting.empty());
  const auto owner = texts::account_in_use("TikTok", "workspace 'Studio A' (studio-a)");
  EXPECT_NE(owner.message.find("workspace 'Studio A' (studio-a)"), std::string::npos);
  EXPECT_EQ(texts::refusal_message("account_in_use", "TikTok"), anyone.message);
}

}  // namespace

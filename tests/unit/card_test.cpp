// The integration card's rules, from the help page: status words, dot colours, webhook health and
// the troubleshooting pointer after 10 minutes of waiting.
#include "integrations/card.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using sparks::Clock;
using sparks::runtime::CardFacts;
using sparks::runtime::make_card;

const Clock::time_point t0 = Clock::from_time_t(1'795'000'000);

CardFacts connected() {
  CardFacts facts;
  facts.platform = "tiktok";
  facts.state = "connected";
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
  EXPECT_EQ(sparks::runtime::status_text("connected"), "Connected");
  EXPECT_EQ(sparks::runtime::dot_colour("connected", true), "green");
  EXPECT_EQ(sparks::runtime::status_text("partial-scopes"), "Partially connected");
  EXPECT_EQ(sparks::runtime::dot_colour("partial-scopes", true), "yellow");
  EXPECT_EQ(sparks::runtime::status_text("authorizing"), "Authorizing");
  EXPECT_EQ(sparks::runtime::dot_colour("authorizing", false), "grey");
  EXPECT_EQ(sparks::runtime::status_text("paused"), "Paused");
  EXPECT_EQ(sparks::runtime::dot_colour("paused", true), "yellow");
  EXPECT_EQ(sparks::runtime::status_text("disconnected"), "Disconnected");
  EXPECT_EQ(sparks::runtime::dot_colour("disconnected", true), "red") << "a connection was lost";
  EXPECT_EQ(sparks::runtime::dot_colour("disconnected", false), "grey") << "never connected";
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

TEST(Card, NeverConnectedCardIsGreyWithNulls) {
  CardFacts facts;
  facts.platform = "tiktok_shop";
  facts.state = "disconnected";
  auto card = make_card(facts, t0);
  EXPECT_EQ(card.at("dot").as_string(), "grey");
  EXPECT_TRUE(card.at("account").is_null());
  EXPECT_TRUE(card.at("last_sync").is_null());
  EXPECT_EQ(card.at("webhook").as_string(), "waiting");
  EXPECT_TRUE(card.at("webhook_waiting_since").is_null());
}

}  // namespace

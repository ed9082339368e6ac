// Two `sparks serve` instances on one PostgreSQL database (docs/scaling.md), with the sandbox
// playing TikTok: the owner connects on one instance while the platform's webhooks go to the
// other; the instance that runs the workspace is killed, and the survivor takes it over — nothing
// acknowledged is lost, no DM is sent twice, and the cards read the same from either instance.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <string>

#include "soak/kill_loop.hpp"
#include "support/postgres_server.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace sparks::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// DMs the sandbox's creator account sent, per person.
std::map<std::string, int> dms_per_fan(const ServeRig& rig) {
  std::map<std::string, int> per_fan;
  const auto sent =
      rig.call("GET", rig.sandbox_url() + "/sandbox/v1/sent-messages?account=creator");
  for (const auto& m : sent.body.at("messages").as_array())
    ++per_fan[std::string(m.at("user").as_string())];
  return per_fan;
}

const json::object& tiktok_card(const Answer& cards) {
  for (const auto& card : cards.body.at("integrations").as_array())
    if (card.at("platform") == "tiktok") return card.as_object();
  throw std::runtime_error("no TikTok card in " + json::serialize(cards.body));
}

// Each fan writes first (their conversation is open, the DM goes into it), then comments "price?".
void fans_ask(const ServeRig& rig, int from, int to) {
  for (int i = from; i < to; ++i) {
    const auto fan = "fan-" + std::to_string(i);
    ASSERT_EQ(rig.control("/sandbox/v1/messages",
                          {{"account", "creator"}, {"user", fan}, {"text", "hello!"}})
                  .status,
              201);
    ASSERT_EQ(rig.control("/sandbox/v1/comments", {{"account", "creator"},
                                                   {"video_id", "video-1"},
                                                   {"user", fan},
                                                   {"text", "what's the price?"}})
                  .status,
              201);
  }
}

TEST(ScaleOut, TheSurvivorTakesTheWorkspaceOverWithNothingLostAndNoDmSentTwice) {
  auto& postgres = PostgresServer::shared();
  ServeRig rig(SPARKS_BINARY, "sparks-scale-out",
               {.database = postgres.database(), .instances = 2, .public_instance = 1});

  // Connecting on instance 0 makes it the workspace's holder (the consent page sends the browser
  // back to instance 1, which forwards the callback); publishing on instance 1 is sent on to it.
  const auto connected = rig.connect("tiktok", "creator", kEveryTikTokScope, 0);
  ASSERT_EQ(connected.status, 200) << json::serialize(connected.body);
  ASSERT_EQ(rig.publish_flow("price-dm", kPriceDmFlow, 1).status, 200);
  EXPECT_TRUE(rig.runs_workspace(0));
  EXPECT_FALSE(rig.runs_workspace(1));

  // The platform's webhooks reach instance 1, which stores them and wakes instance 0.
  fans_ask(rig, 0, 5);
  poll_until(
      "instance 0 to DM the five fans", [&] { return dms_per_fan(rig).size() == 5; }, 30s, 50ms);
  const auto cards = rig.call("GET", rig.api("/integrations", 1), ServeRig::kOwnerKey);
  ASSERT_EQ(cards.status, 200);
  EXPECT_EQ(tiktok_card(cards).at("state"), "connected");
  EXPECT_EQ(tiktok_card(cards).at("webhook"), "receiving");

  // The holder dies; its lease runs out and instance 1 takes the workspace over.
  rig.kill_serve(0);
  poll_until(
      "instance 1 to take the workspace over", [&] { return rig.runs_workspace(1); }, 30s, 50ms);
  fans_ask(rig, 5, 10);
  poll_until(
      "instance 1 to DM the next five fans", [&] { return dms_per_fan(rig).size() == 10; }, 30s,
      50ms);
  for (const auto& [fan, count] : dms_per_fan(rig)) EXPECT_EQ(count, 1) << fan;

  // Every comment was handled once: ten triggers, ten DMs, on the survivor's analytics.
  const auto analytics = rig.call("GET", rig.api("/analytics", 1), ServeRig::kOwnerKey);
  ASSERT_EQ(analytics.status, 200);
  for (const auto& flow : analytics.body.at("flows").as_array()) {
    if (flow.at("flow_id") != "price-dm") continue;
    EXPECT_EQ(flow.at("counters").at("triggered"), 10);
    EXPECT_EQ(flow.at("counters").at("dms_sent"), 10);
  }
  const auto after = rig.call("GET", rig.api("/integrations", 1), ServeRig::kOwnerKey);
  EXPECT_EQ(tiktok_card(after).at("state"), "connected");

  // The killed instance comes back: it serves, and reads the same cards from the store.
  rig.start_serve(0);
  const auto from_zero = rig.call("GET", rig.api("/integrations", 0), ServeRig::kOwnerKey);
  ASSERT_EQ(from_zero.status, 200);
  EXPECT_EQ(tiktok_card(from_zero).at("state"), "connected");
}

// The kill loop (tests/soak/kill_loop.hpp) on two instances: webhooks go to both in turn, and
// each kill falls on the one that runs the workspace.
TEST(ScaleOut, KillingTheHolderUnderLoadLosesNothingAndSendsNoDmTwice) {
  KillLoopOptions options;
  options.rig = {.database = PostgresServer::shared().database(), .instances = 2};
  options.progress = &std::cout;
  const auto report = run_kill_loop(SPARKS_BINARY, options);
  EXPECT_EQ(report.kills, options.kills);
  EXPECT_EQ(report.lost, 0) << json::serialize(report.to_json());
  EXPECT_EQ(report.duplicated, 0) << json::serialize(report.to_json());
  EXPECT_EQ(report.processed, report.events);
  EXPECT_EQ(report.dms_received, report.dms_expected);
  EXPECT_TRUE(report.settled) << json::serialize(report.to_json());
  EXPECT_EQ(report.takeovers_ms.size(), static_cast<std::size_t>(options.kills));
}

}  // namespace
}  // namespace sparks::testing

// The kill loop, short (tests/soak/kill_loop.hpp): SIGKILLs of a real `sparks serve` under a load
// of signed webhooks lose no acknowledged event and send no DM twice. `make soak` runs it long.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <iostream>

#include "soak/kill_loop.hpp"

TEST(KillLoop, AcknowledgedEventsAreProcessedOnceAndEachMatchedCommenterGetsOneDm) {
  sparks::testing::KillLoopOptions options;
  options.progress = &std::cout;
  const auto report = sparks::testing::run_kill_loop(SPARKS_BINARY, options);
  EXPECT_EQ(report.kills, options.kills);
  EXPECT_EQ(report.lost, 0) << boost::json::serialize(report.to_json());
  EXPECT_EQ(report.duplicated, 0) << boost::json::serialize(report.to_json());
  EXPECT_EQ(report.processed, report.events);
  // Every DM was checked with the platform: none is left of unknown outcome.
  EXPECT_EQ(report.dms_received, report.dms_expected);
  EXPECT_TRUE(report.settled) << boost::json::serialize(report.to_json());
}

TEST(KillLoop, ADisconnectKilledHalfWayPausesEveryDependentFlowOrNone) {
  const auto report = sparks::testing::run_disconnect_kills(SPARKS_BINARY, 40, 6, 1, &std::cout);
  EXPECT_EQ(report.rounds, 6);
  EXPECT_EQ(report.torn, 0) << boost::json::serialize(report.to_json());
}

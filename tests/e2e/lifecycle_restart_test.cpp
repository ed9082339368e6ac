// A pending `after:` time-out survives a crash: the host is killed (SIGKILL) while an integration
// waits in `authorizing`, started again, and the time-out still fires on schedule and is stored.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "support/child_process.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The shipped lifecycle with its 10-minute authorization time-out shortened to 3 seconds.
fs::path write_short_timeout_lifecycle(const fs::path& folder) {
  std::ifstream in(fs::path(SPARKS_SOURCE_DIR) / "flows/lifecycle/integration.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const auto at = yaml.find("after: 10m");
  EXPECT_NE(at, std::string::npos);
  yaml.replace(at, 10, "after: 3s ");
  const auto path = folder / "integration.yaml";
  std::ofstream(path) << yaml;
  return path;
}

TEST(LifecycleRestart, PendingTimeoutFiresOnScheduleAfterKill) {
  const fs::path folder =
      fs::temp_directory_path() / ("sparks-restart-" + std::to_string(getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const auto lifecycle = write_short_timeout_lifecycle(folder);
  const auto db_path = folder / "sparks.db";
  const std::string host = LIFECYCLE_HOST;
  const std::vector<std::string> common{"--db", db_path.string(), "--lifecycle",
                                        lifecycle.string()};

  {
    auto args = common;
    args.insert(args.end(), {"--fire", "connect_requested"});
    sparks::testing::ChildProcess first(host, args);
    auto fired = first.wait_for_line("fired", 20s);
    ASSERT_TRUE(fired) << "the host did not fire connect_requested";
    EXPECT_EQ(*fired, "fired disconnected authorizing ");
    first.kill_hard();
  }

  std::int64_t deadline_ms = 0;
  {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    SQLite::Statement state(
        db, "SELECT state FROM integrations WHERE workspace_id='w1' AND platform='tiktok'");
    ASSERT_TRUE(state.executeStep());
    EXPECT_EQ(state.getColumn(0).getString(), "authorizing");
    SQLite::Statement timer(
        db,
        "SELECT deadline_ms FROM lifecycle_timers WHERE workspace_id='w1' AND platform='tiktok'");
    ASSERT_TRUE(timer.executeStep()) << "the time-out deadline was not persisted";
    deadline_ms = timer.getColumn(0).getInt64();
  }
  ASSERT_GT(deadline_ms, now_ms()) << "the host was killed too late for this test to mean anything";

  sparks::testing::ChildProcess second(host, common);
  ASSERT_TRUE(second.wait_for_line("ready", 20s));

  // Poll the store until the time-out's transition appears, at most 10 s past the deadline.
  std::optional<std::int64_t> fired_at;
  const std::chrono::milliseconds until_10s_past_deadline(deadline_ms + 10'000 - now_ms());
  sparks::testing::poll_until(
      "the time-out's transition in the store",
      [&] {
        SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
        SQLite::Statement row(
            db,
            "SELECT from_state, to_state, actor, at_ms FROM lifecycle_transitions "
            "WHERE workspace_id='w1' AND platform='tiktok' AND event='after'");
        if (row.executeStep()) {
          EXPECT_EQ(row.getColumn(0).getString(), "authorizing");
          EXPECT_EQ(row.getColumn(1).getString(), "disconnected");
          EXPECT_EQ(row.getColumn(2).getString(), "timer");
          fired_at = row.getColumn(3).getInt64();
        }
        return fired_at.has_value();
      },
      until_10s_past_deadline, 50ms);
  ASSERT_TRUE(fired_at) << "the time-out never fired after the restart";
  EXPECT_GE(*fired_at, deadline_ms);
  EXPECT_LT(*fired_at - deadline_ms, 2'000) << "the time-out fired late";
  second.stop();
  fs::remove_all(folder);
}

}  // namespace

// Two engines on one PostgreSQL database (docs/scaling.md), in one process: each runs the
// workspaces whose lease it holds, they share them fairly, a request for a workspace the other runs
// is answered `elsewhere` with where it runs, and a stopping engine hands its workspaces over.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sparks/engine.hpp"
#include "support/postgres_server.hpp"
#include "support/sample_flows.hpp"
#include "support/wait.hpp"

namespace sparks::testing {
namespace {

using namespace std::chrono_literals;

class EngineLeasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("sparks-engine-leases-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    database_ = PostgresServer::shared().database();
  }
  void TearDown() override {
    for (auto* engine : {&a_, &b_})
      if (*engine) (*engine)->stop();
    a_.reset();
    b_.reset();
    io_.restart();
    io_.run_for(200ms);
    std::filesystem::remove_all(folder_);
  }

  std::unique_ptr<Engine> start(const std::string& id) {
    EngineOptions options;
    options.database = database_;
    options.key_file = folder_ / "secret.key";  // one key for both, as instances share it
    options.plugin_dir = std::string(SPARKS_BINARY_DIR) + "/plugins";
    options.instance_id = id;
    options.instance_url = "http://" + id + ".invalid:8080";
    options.lease_ttl = 1500ms;
    options.lease_renewal = 100ms;
    return std::make_unique<Engine>(io_.get_executor(), options);
  }

  Reply create_flow(Engine& engine, const std::string& workspace) {
    std::optional<Reply> answer;
    engine.create_flow(workspace, Actor::member("olivia", Role::owner), kPriceDmFlow,
                       [&](Reply r) { answer = std::move(r); });
    run_until(
        io_, "the flow's answer", [&] { return answer.has_value(); }, 10s);
    return std::move(*answer);
  }

  // How many workspaces `engine` runs, as its metrics say.
  static int runs(const Engine& engine) {
    const auto text = engine.metrics();
    const auto label = "sparks_workspaces_run{instance=\"" + engine.instance_id() + "\"} ";
    const auto at = text.find(label);
    return at == std::string::npos ? -1 : std::stoi(text.substr(at + label.size()));
  }

  boost::asio::io_context io_;
  std::filesystem::path folder_;
  std::string database_;
  std::unique_ptr<Engine> a_, b_;
};

TEST_F(EngineLeasesTest, TwoInstancesShareTheWorkspacesAndAStoppingOneHandsItsOver) {
  a_ = start("instance-a");
  for (const char* ws : {"ws-1", "ws-2", "ws-3", "ws-4"}) {
    const auto created = create_flow(*a_, ws);
    ASSERT_FALSE(created.error) << created.error->message;
  }
  EXPECT_EQ(runs(*a_), 4);

  // A second instance: the first hands back what exceeds its share, one at a time.
  b_ = start("instance-b");
  run_until(
      io_, "two workspaces each", [&] { return runs(*a_) == 2 && runs(*b_) == 2; }, 15s, 5ms);

  // A request for a workspace the other instance runs is answered with where it runs.
  std::string run_by_b;
  for (const char* ws : {"ws-1", "ws-2", "ws-3", "ws-4"}) {
    const auto answer = create_flow(*a_, ws);
    if (answer.error && answer.error->kind == ErrorKind::elsewhere) {
      EXPECT_EQ(answer.error->location, "http://instance-b.invalid:8080");
      run_by_b = ws;
    } else {
      ASSERT_TRUE(answer.error);
      EXPECT_EQ(answer.error->code, "flow_exists");  // run here: the store answered
    }
  }
  EXPECT_FALSE(run_by_b.empty());

  // Stopping, the first hands its workspaces back at once: the second runs all four.
  a_->stop();
  run_until(
      io_, "the second instance to run every workspace", [&] { return runs(*b_) == 4; }, 15s, 5ms);
  EXPECT_EQ(create_flow(*b_, run_by_b).error->code, "flow_exists");
}

}  // namespace
}  // namespace sparks::testing

// The PostgreSQL backend: opening and migrating, refusing a newer schema, errors that never show a
// password, leases that hold off a takeover, notifications and the Listener, and the writer on it.
// What every backend must do with the records is store_conformance_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/connection.hpp"
#include "store/postgresql/connection.hpp"
#include "store/postgresql/database.hpp"
#include "store/postgresql/migrations.hpp"
#include "store/postgresql/session.hpp"
#include "store/postgresql/url.hpp"
#include "store/writer.hpp"
#include "support/postgres_server.hpp"
#include "support/wait.hpp"

namespace sparks::store::postgresql {
namespace {

using sparks::testing::kWaitLimit;
using sparks::testing::PostgresServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class PostgresqlStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = PostgresServer::shared().database(); }

  // A connection to the test's database that neither migrates nor is a store.
  std::unique_ptr<Session> raw_session() { return std::make_unique<Session>(url_, OpenOptions{}); }

  std::int64_t count_tables() {
    return raw_session()
        ->run("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .int64(0, 0);
  }

  std::string url_;
};

TransitionRow transition(std::string to_state, std::int64_t at_ms) {
  return {"ws-1",  "tiktok", "disconnected", std::move(to_state), "connect_requested",
          "owner", at_ms};
}

// --- opening and migrating ----------------------------------------------------------------------

TEST_F(PostgresqlStoreTest, OpeningMigratesToTheNewestSchemaAndReopeningKeepsTheData) {
  EXPECT_TRUE(is_shared(url_));
  {
    auto connection = open(url_);
    connection->records().append_transition(transition("authorizing", 1));
  }
  auto connection = open(url_);
  EXPECT_EQ(schema_version(*raw_session()), newest_schema_version());
  EXPECT_EQ(newest_schema_version(), 7);
  EXPECT_EQ(connection->records().load_transitions("ws-1", "tiktok").size(), 1u);
}

TEST_F(PostgresqlStoreTest, InstancesStartingTogetherMigrateOnce) {
  constexpr int kInstances = 4;
  std::vector<std::future<void>> openings;
  for (int i = 0; i < kInstances; ++i)
    openings.push_back(std::async(std::launch::async, [this] { open(url_); }));
  for (auto& opening : openings) EXPECT_NO_THROW(opening.get());
  auto session = raw_session();
  EXPECT_EQ(schema_version(*session), newest_schema_version());
  EXPECT_EQ(session->run("SELECT count(*) FROM sparks_schema").int64(0, 0), 1);
}

TEST_F(PostgresqlStoreTest, ADatabaseOfANewerSchemaIsRefusedUntouched) {
  auto session = raw_session();
  session->exec("CREATE TABLE sparks_schema (version INTEGER NOT NULL)");
  session->exec("INSERT INTO sparks_schema VALUES (99)");
  try {
    open(url_);
    FAIL() << "opened a database of schema 99";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr("was written by a newer Sparks (schema 99)"));
  }
  EXPECT_EQ(schema_version(*session), 99);
  EXPECT_EQ(count_tables(), 1) << "only sparks_schema, as it was";
}

TEST_F(PostgresqlStoreTest, AnUnreachableServerIsNamedWithoutThePassword) {
  // Port 1 of 127.0.0.1: nothing listens there, the connection is refused at once.
  const std::string url = "postgresql://sparks:hunter2-secret@127.0.0.1:1/sparks?connect_timeout=2";
  try {
    open(url);
    FAIL() << "opened an unreachable server";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr("postgresql://sparks@127.0.0.1:1/sparks"));
    EXPECT_THAT(error.what(), Not(HasSubstr("hunter2")));
  }
}

TEST_F(PostgresqlStoreTest, AWrongDatabaseIsNamedWithoutThePassword) {
  const std::string url = url_ + "-missing?password=hunter2-secret&sslmode=disable";
  try {
    open(url);
    FAIL() << "opened a database that does not exist";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr(without_password(url)));
    EXPECT_THAT(error.what(), HasSubstr("does not exist"));
    EXPECT_THAT(error.what(), Not(HasSubstr("hunter2")));
  }
}

TEST(PostgresqlUrlTest, APasswordIsRemovedFromEveryPlaceItCanBe) {
  EXPECT_TRUE(is_url("postgresql://h/db"));
  EXPECT_TRUE(is_url("postgres://h/db"));
  EXPECT_FALSE(is_url("data/sparks.db"));
  EXPECT_EQ(without_password("postgresql://ana:pw@db.local:5432/sparks"),
            "postgresql://ana@db.local:5432/sparks");
  EXPECT_EQ(without_password("postgres://ana@db.local/sparks?password=pw&sslmode=require"),
            "postgres://ana@db.local/sparks?sslmode=require");
  EXPECT_EQ(without_password("postgresql://db.local/sparks?password=pw"),
            "postgresql://db.local/sparks");
  EXPECT_EQ(without_password("postgresql://ana:p@ss@db.local/sparks"),
            "postgresql://ana@db.local/sparks");
}

TEST_F(PostgresqlStoreTest, AReadTransactionSeesOneSnapshot) {
  auto reader = open(url_);
  auto writer = open(url_);
  writer->records().append_transition(transition("before", 1));
  reader->begin(false);
  EXPECT_EQ(reader->records().load_transitions("ws-1", "tiktok").size(), 1u);
  writer->records().append_transition(transition("after", 2));  // committed meanwhile
  EXPECT_EQ(reader->records().load_transitions("ws-1", "tiktok").size(), 1u);
  reader->commit();
  EXPECT_EQ(reader->records().load_transitions("ws-1", "tiktok").size(), 2u);
}

TEST_F(PostgresqlStoreTest, AWriteThatFailsAtCommitFailsTheTransaction) {
  auto connection = open(url_);
  connection->begin(true);
  connection->records().append_transition(transition("kept-only-if-committed", 1));
  // Queued, not sent yet: it fails when COMMIT sends it, and nothing of the transaction is kept.
  connection->records().save_automation(
      {"ws-1", "a", "A", AutomationStatus::live, "tiktok", 1, {}});
  EXPECT_THROW(connection->commit(), Error);
  connection->rollback();
  EXPECT_TRUE(connection->records().load_transitions("ws-1", "tiktok").empty());
}

// --- leases -------------------------------------------------------------------------------------

// Whether a connection of this database is waiting for a lock: the takeover, held off.
bool someone_waits_for_a_lock(Session& session) {
  return session
             .run(
                 "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                 " AND wait_event_type = 'Lock'")
             .int64(0, 0) > 0;
}

TEST_F(PostgresqlStoreTest, ACheckedLeaseHoldsOffATakeoverUntilTheCheckingTransactionEnds) {
  auto holder = open(url_);
  auto taker = open(url_);
  const LeaseRow held = holder->records().take_lease("ws-1", "a", 0);  // expired at once

  holder->begin(true);
  holder->records().check_lease("ws-1", "a", held.fence);
  auto takeover = std::async(std::launch::async, [&] {
    taker->begin(true);
    LeaseRow taken = taker->records().take_lease("ws-1", "b", 60'000);
    taker->commit();
    return taken;
  });
  auto observer = raw_session();
  sparks::testing::poll_until("the takeover to wait for the checked lease",
                              [&] { return someone_waits_for_a_lock(*observer); });
  holder->records().append_transition(transition("written-under-the-lease", 1));
  holder->commit();

  ASSERT_EQ(takeover.wait_for(kWaitLimit), std::future_status::ready);
  const LeaseRow taken = takeover.get();
  EXPECT_EQ(taken.owner, "b");
  EXPECT_EQ(taken.fence, held.fence + 1);
  holder->begin(true);
  EXPECT_THROW(holder->records().check_lease("ws-1", "a", held.fence), Fenced);
  holder->rollback();
  EXPECT_EQ(holder->records().load_transitions("ws-1", "tiktok").size(), 1u);
}

// --- notifications ------------------------------------------------------------------------------

// What a Listener heard, in order, and a bounded wait for one id.
class Heard {
 public:
  void add(std::string id) {
    std::lock_guard lock(mutex_);
    ids_.push_back(std::move(id));
    changed_.notify_all();
  }
  bool contains(const std::string& id) {
    std::lock_guard lock(mutex_);
    return std::find(ids_.begin(), ids_.end(), id) != ids_.end();
  }
  // The ids heard up to and including `id`; throws if it does not come within the wait limit.
  std::vector<std::string> until(const std::string& id) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, kWaitLimit,
                           [&] { return std::find(ids_.begin(), ids_.end(), id) != ids_.end(); }))
      throw std::runtime_error("the listener never heard '" + id + "'");
    return ids_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> ids_;
};

TEST_F(PostgresqlStoreTest, ANotificationReachesTheListenerOnlyOnceItsTransactionCommits) {
  open(url_);
  Heard heard;
  auto listener = listen(url_, [&](std::string id) { heard.add(std::move(id)); });
  ASSERT_TRUE(listener);
  auto writer = open(url_);
  auto other = open(url_);

  writer->begin(true);
  writer->records().notify_workspace("ws-committed");
  // Notifications arrive in commit order: once a later commit's is heard, an earlier one would be.
  other->records().notify_workspace("marker-1");
  EXPECT_THAT(heard.until("marker-1"), ElementsAre("marker-1"));
  writer->commit();
  EXPECT_THAT(heard.until("ws-committed"), ElementsAre("marker-1", "ws-committed"));

  writer->begin(true);
  writer->records().notify_workspace("ws-rolled-back");
  writer->rollback();
  other->records().notify_workspace("marker-2");
  EXPECT_THAT(heard.until("marker-2"), ElementsAre("marker-1", "ws-committed", "marker-2"));
}

TEST_F(PostgresqlStoreTest, TheListenerComesBackAfterItsConnectionIsTerminated) {
  open(url_);
  Heard heard;
  auto listener = listen(url_, [&](std::string id) { heard.add(std::move(id)); });
  auto session = raw_session();
  const std::int64_t terminated =
      session
          ->run(
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
              " WHERE datname = current_database() AND query LIKE 'LISTEN%'")
          .int64(0, 0);
  ASSERT_EQ(terminated, 1);
  EXPECT_THAT(heard.until(""), ElementsAre(""));  // something may have been missed
  auto store = open(url_);
  // Notified until heard: the listener may not be listening again yet when the first is sent.
  sparks::testing::poll_until("the listener to hear a notification after reconnecting", [&] {
    store->records().notify_workspace("ws-after");
    return heard.contains("ws-after");
  });
}

TEST_F(PostgresqlStoreTest, ASqliteLocationHasNoListener) {
  EXPECT_FALSE(is_shared("data/sparks.db"));
  EXPECT_EQ(listen("data/sparks.db", [](std::string) {}), nullptr);
}

// --- the writer ---------------------------------------------------------------------------------

TEST_F(PostgresqlStoreTest, TheWriterGroupsBatchesAndUndoesAFailingOneAlone) {
  std::vector<std::exception_ptr> outcomes(4);
  {
    Writer writer{open(url_)};
    std::promise<void> entered;
    std::promise<void> opened;
    // Holds the writer inside a first batch until everything below has queued: one group.
    writer.submit(
        [&](Transaction&) {
          entered.set_value();
          opened.get_future().wait();
        },
        nullptr);
    entered.get_future().wait();
    auto record = [&](std::size_t slot) {
      return [&outcomes, slot](std::exception_ptr error) { outcomes[slot] = error; };
    };
    writer.submit([](Transaction& tx) { tx.append_transition(transition("first", 1)); }, record(0));
    writer.submit(
        [](Transaction& tx) {
          tx.append_transition(transition("thrown", 2));
          throw std::runtime_error("the batch changed its mind");
        },
        record(1));
    writer.submit(
        [](Transaction& tx) {
          tx.append_transition(transition("constraint", 3));
          // live with paused_by set violates the CHECK constraint: the transaction is aborted
          // until the batch's part is undone.
          tx.save_automation({"ws-1", "a", "A", AutomationStatus::live, "tiktok", 1, {}});
        },
        record(2));
    writer.submit([](Transaction& tx) { tx.append_transition(transition("last", 4)); }, record(3));
    opened.set_value();
    writer.flush();
    EXPECT_EQ(writer.counters().transactions, 2u);
    EXPECT_EQ(writer.counters().failed_batches, 2u);
  }
  EXPECT_FALSE(outcomes[0]);
  EXPECT_TRUE(outcomes[1]);
  ASSERT_TRUE(outcomes[2]);
  EXPECT_THROW(std::rethrow_exception(outcomes[2]), Error);
  EXPECT_FALSE(outcomes[3]);
  std::vector<std::string> states;
  for (const TransitionRow& row : open(url_)->records().load_transitions("ws-1", "tiktok"))
    states.push_back(row.to_state);
  EXPECT_THAT(states, ElementsAre("first", "last"));
}

TEST_F(PostgresqlStoreTest, ConcurrentBatchesCommitInFewTransactions) {
  constexpr int kThreads = 4;
  constexpr int kBatchesPerThread = 250;
  std::atomic<int> committed{0};
  {
    Writer writer{open(url_)};
    std::vector<std::thread> submitters;
    for (int t = 0; t < kThreads; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; i < kBatchesPerThread; ++i) {
          writer.submit(
              [t, i](Transaction& tx) {
                tx.append_transition(transition("state-" + std::to_string(t), i));
              },
              [&](std::exception_ptr error) {
                if (!error) ++committed;
              });
        }
      });
    }
    for (std::thread& submitter : submitters) submitter.join();
    writer.flush();
    EXPECT_EQ(writer.counters().failed_batches, 0u);
    EXPECT_LT(writer.counters().transactions, writer.counters().batches);
  }
  EXPECT_EQ(committed.load(), kThreads * kBatchesPerThread);
  EXPECT_EQ(open(url_)->records().load_transitions("ws-1", "tiktok").size(),
            static_cast<std::size_t>(kThreads * kBatchesPerThread));
}

}  // namespace
}  // namespace sparks::store::postgresql

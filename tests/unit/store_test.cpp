// The SQLite backend: opening and migrating the database, refusing files it must not touch; and the
// group-committing writer on it. What every backend must do with the records is
// store_conformance_test.cpp.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/writer.hpp"

namespace sparks::store::sqlite {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh folder per test, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::temp_directory_path() /
              ("sparks-store-test-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path database_path() const { return folder_ / "data" / "sparks.db"; }

  fs::path folder_;
};

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::int64_t count_rows(SQLite::Database& db, const std::string& table) {
  return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
}

TransitionRow transition(std::string to_state, std::int64_t at_ms) {
  return {"ws-1",  "tiktok", "disconnected", std::move(to_state), "connect_requested",
          "owner", at_ms};
}

// Holds the writer thread inside a batch until opened, so that everything submitted meanwhile
// queues up and lands in the next group.
class WriterGate {
 public:
  // Returns once the writer is inside the gate's batch, that is, once its group has been taken.
  void close(Writer& writer) {
    writer.submit(
        [this](Transaction&) {
          entered_.set_value();
          opened_.get_future().wait();
        },
        nullptr);
    entered_.get_future().wait();
  }
  void open() { opened_.set_value(); }

 private:
  std::promise<void> entered_;
  std::promise<void> opened_;
};

// --- opening and migrating ----------------------------------------------------------------------

TEST_F(StoreTest, MigratesAFreshFileInANewFolder) {
  Database database(database_path());
  EXPECT_TRUE(fs::exists(database_path()));
  EXPECT_EQ(database.schema_version(), newest_schema_version());

  SQLite::Database& db = database.connection();
  for (const char* table :
       {"integrations", "lifecycle_transitions", "lifecycle_timers", "integration_issues",
        "automations", "automation_requirements", "credentials", "event_log"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
  EXPECT_EQ(db.execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
}

// Contacts and inboxes are in the store: its folder and files are for their owner only, even
// under a permissive umask, and a file made by an older version is narrowed when opened.
TEST_F(StoreTest, TheStoreIsReadableByItsOwnerOnly) {
  const auto mode = [](const fs::path& p) { return fs::status(p).permissions() & fs::perms::all; };
  const auto rw = fs::perms::owner_read | fs::perms::owner_write;
  const mode_t previous = ::umask(022);
  {
    Database database(database_path());
    database.connection().exec("CREATE TABLE scratch (x INTEGER)");  // something in the WAL
    EXPECT_EQ(mode(database_path().parent_path()), fs::perms::owner_all);
    EXPECT_EQ(mode(database_path()), rw);
    EXPECT_EQ(mode(database_path().string() + "-wal"), rw);
  }
  fs::permissions(database_path(),
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  { Database reopened(database_path()); }
  ::umask(previous);
  EXPECT_EQ(mode(database_path()), rw);
}

TEST_F(StoreTest, MigrationsAreNumberedInOrder) {
  int expected = 1;
  for (const Migration& migration : migrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.description.empty());
  }
  EXPECT_EQ(newest_schema_version(), expected - 1);
}

TEST_F(StoreTest, ReopeningKeepsDataAndSchema) {
  {
    Connection connection(database_path());
    connection.records().save_integration(
        {"ws-1", "tiktok", "connected", "authorizing", "disconnected", std::nullopt, 10});
  }
  Database reopened(database_path());
  EXPECT_EQ(reopened.schema_version(), newest_schema_version());
  ASSERT_EQ(Records(reopened.connection()).load_integrations(Scope::every_workspace()).size(), 1u);
}

TEST_F(StoreTest, RefusesANewerSchemaWithoutTouchingTheFile) {
  {
    Database database(database_path());
    database.connection().exec("PRAGMA user_version = 999");
  }
  const std::string bytes_before = file_bytes(database_path());
  // An hour back, so that any write (which sets it to now) shows, whatever the clock's grain.
  fs::last_write_time(database_path(),
                      fs::last_write_time(database_path()) - std::chrono::hours(1));
  const auto mtime_before = fs::last_write_time(database_path());

  try {
    Database refused(database_path());
    FAIL() << "opened a database of schema 999";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr(database_path().string()));
    EXPECT_THAT(error.what(), HasSubstr("was written by a newer Sparks (schema 999); this build "
                                        "knows schema " +
                                        std::to_string(newest_schema_version())));
    EXPECT_THAT(error.what(), HasSubstr("Refusing to open it so that it is not modified."));
  }
  EXPECT_EQ(file_bytes(database_path()), bytes_before);
  EXPECT_EQ(fs::last_write_time(database_path()), mtime_before);
  EXPECT_FALSE(fs::exists(database_path().string() + "-wal"));
  EXPECT_FALSE(fs::exists(database_path().string() + "-shm"));
}

TEST_F(StoreTest, RefusesANewerSchemaThatIsStillOnlyInTheWal) {
  { Database database(database_path()); }
  {
    // A newer build that stopped before checkpointing: the file's header still says this build's
    // schema.
    SQLite::Database newer(database_path().string(), SQLite::OPEN_READWRITE);
    sqlite3_db_config(newer.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    newer.exec("PRAGMA user_version = 99");
  }
  const std::string bytes_before = file_bytes(database_path());
  const char newest = static_cast<char>(newest_schema_version());
  ASSERT_EQ(bytes_before.substr(60, 4), std::string("\0\0\0", 3) + newest);  // user_version

  try {
    Database refused(database_path());
    FAIL() << "opened a database of schema 99";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr("was written by a newer Sparks (schema 99)"));
  }
  EXPECT_EQ(file_bytes(database_path()), bytes_before);
}

TEST_F(StoreTest, RefusesAFileThatIsNotSqlite) {
  fs::create_directories(database_path().parent_path());
  {
    std::ofstream out(database_path(), std::ios::binary);
    for (int i = 0; i < 100; ++i) out << "flows: this is a YAML file, not a database\n";
  }
  const std::string bytes_before = file_bytes(database_path());

  try {
    Database refused(database_path());
    FAIL() << "opened a text file as a database";
  } catch (const OpenError& error) {
    EXPECT_THAT(error.what(), HasSubstr(database_path().string()));
    EXPECT_THAT(error.what(), HasSubstr("is not a SQLite database"));
  }
  EXPECT_EQ(file_bytes(database_path()), bytes_before);
}

TEST_F(StoreTest, RefusesTheDatabaseOfAnotherApplication) {
  fs::create_directories(database_path().parent_path());
  {
    SQLite::Database other(database_path().string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("PRAGMA application_id = 42; CREATE TABLE notes (body TEXT)");
  }
  EXPECT_THROW(Database refused(database_path()), OpenError);
}

// --- the writer ---------------------------------------------------------------------------------

TEST_F(StoreTest, WriterGroupsConcurrentBatchesIntoFewTransactions) {
  constexpr int kThreads = 4;
  constexpr int kBatchesPerThread = 500;
  std::atomic<int> committed{0};
  std::atomic<int> failed{0};
  {
    Writer writer{std::make_unique<Connection>(database_path())};
    WriterGate gate;
    gate.close(writer);

    std::vector<std::thread> submitters;
    for (int t = 0; t < kThreads; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; i < kBatchesPerThread; ++i) {
          writer.submit(
              [t, i](Transaction& tx) {
                tx.append_transition(transition("state-" + std::to_string(t), i));
              },
              [&](std::exception_ptr error) { ++(error ? failed : committed); });
        }
      });
    }
    for (std::thread& submitter : submitters) submitter.join();
    gate.open();
    writer.flush();

    const Writer::Counters counters = writer.counters();
    EXPECT_EQ(counters.batches, 1u + kThreads * kBatchesPerThread);
    EXPECT_EQ(counters.failed_batches, 0u);
    // The gate's group, then 2000 batches in groups of at most 1024.
    EXPECT_EQ(counters.transactions, 3u);
    EXPECT_LT(counters.transactions, counters.batches);
  }
  EXPECT_EQ(committed.load(), kThreads * kBatchesPerThread);
  EXPECT_EQ(failed.load(), 0);
  Connection reader(database_path());
  EXPECT_EQ(count_rows(reader.database(), "lifecycle_transitions"), kThreads * kBatchesPerThread);
}

TEST_F(StoreTest, AThrowingBatchIsRolledBackAloneWhileItsGroupCommits) {
  Writer writer{std::make_unique<Connection>(database_path())};
  WriterGate gate;
  gate.close(writer);

  std::vector<std::exception_ptr> outcomes(4);
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
        tx.save_automation({"ws-1", "a", "A", AutomationStatus::live, "tiktok", 1, {}});
      },
      record(2));  // live with paused_by set violates the CHECK constraint
  writer.submit([](Transaction& tx) { tx.append_transition(transition("last", 4)); }, record(3));
  gate.open();
  writer.flush();

  EXPECT_EQ(writer.counters().transactions, 2u);  // the gate's group, then these four together
  EXPECT_EQ(writer.counters().failed_batches, 2u);
  EXPECT_FALSE(outcomes[0]);
  ASSERT_TRUE(outcomes[1]);
  EXPECT_THROW(
      {
        try {
          std::rethrow_exception(outcomes[1]);
        } catch (const std::runtime_error& error) {
          EXPECT_STREQ(error.what(), "the batch changed its mind");
          throw;
        }
      },
      std::runtime_error);
  ASSERT_TRUE(outcomes[2]);
  EXPECT_THROW(std::rethrow_exception(outcomes[2]), SQLite::Exception);
  EXPECT_FALSE(outcomes[3]);

  Connection reader(database_path());
  std::vector<std::string> states;
  for (const TransitionRow& row : reader.records().load_transitions("ws-1", "tiktok")) {
    states.push_back(row.to_state);
  }
  EXPECT_THAT(states, ElementsAre("first", "last"));
  EXPECT_EQ(count_rows(reader.database(), "automations"), 0);
}

TEST_F(StoreTest, AFailedCommitFailsTheWholeGroupAndTheWriterCarriesOn) {
  // A deferred foreign key is checked only at COMMIT, which makes COMMIT itself fail.
  {
    Database setup(database_path());
    setup.connection().exec(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id)"
        " DEFERRABLE INITIALLY DEFERRED)");
  }
  auto connection = std::make_unique<Connection>(database_path());
  SQLite::Database& raw = connection->database();  // the writer's own connection, for raw SQL
  Writer writer{std::move(connection)};
  WriterGate gate;
  gate.close(writer);
  std::exception_ptr innocent_outcome;
  std::exception_ptr guilty_outcome;
  bool innocent_called = false;
  writer.submit([](Transaction& tx) { tx.append_transition(transition("innocent", 1)); },
                [&](std::exception_ptr error) {
                  innocent_called = true;
                  innocent_outcome = error;
                });
  writer.submit([&raw](Transaction&) { raw.exec("INSERT INTO child VALUES (7)"); },
                [&](std::exception_ptr error) { guilty_outcome = error; });
  gate.open();
  writer.flush();

  ASSERT_TRUE(innocent_called);
  EXPECT_TRUE(innocent_outcome);
  EXPECT_TRUE(guilty_outcome);

  std::exception_ptr later_outcome = std::make_exception_ptr(std::logic_error("not called"));
  writer.submit([](Transaction& tx) { tx.append_transition(transition("later", 2)); },
                [&](std::exception_ptr error) { later_outcome = error; });
  writer.flush();
  EXPECT_FALSE(later_outcome);

  Connection reader(database_path());
  const std::vector<TransitionRow> rows = reader.records().load_transitions("ws-1", "tiktok");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].to_state, "later");
  EXPECT_EQ(count_rows(reader.database(), "child"), 0);
}

TEST_F(StoreTest, CompletionRunsOnlyOnceAnotherConnectionCanSeeTheCommit) {
  Connection reader(database_path());
  Writer writer{std::make_unique<Connection>(database_path())};
  std::promise<std::int64_t> rows_seen;
  writer.submit([](Transaction& tx) { tx.append_transition(transition("connected", 1)); },
                [&](std::exception_ptr error) {
                  if (error) {
                    rows_seen.set_exception(error);
                    return;
                  }
                  rows_seen.set_value(count_rows(reader.database(), "lifecycle_transitions"));
                });
  EXPECT_EQ(rows_seen.get_future().get(), 1);
}

TEST_F(StoreTest, CompletionCanBePostedToAnExecutor) {
  boost::asio::io_context io;
  Writer writer{std::make_unique<Connection>(database_path())};
  std::thread::id completed_on;
  bool committed = false;
  writer.submit([](Transaction& tx) { tx.append_transition(transition("connected", 1)); },
                io.get_executor(),
                [&](std::exception_ptr error) {
                  completed_on = std::this_thread::get_id();
                  committed = !error;
                });
  writer.flush();
  EXPECT_FALSE(committed);  // posted, not yet run: nothing runs the io_context
  io.run();
  EXPECT_TRUE(committed);
  EXPECT_EQ(completed_on, std::this_thread::get_id());
}

TEST_F(StoreTest, DestroyingTheWriterCommitsWhatIsQueued) {
  std::atomic<int> completed{0};
  {
    Writer writer{std::make_unique<Connection>(database_path())};
    for (int i = 0; i < 100; ++i) {
      writer.submit([i](Transaction& tx) { tx.append_transition(transition("s", i)); },
                    [&](std::exception_ptr error) {
                      if (!error) ++completed;
                    });
    }
  }
  EXPECT_EQ(completed.load(), 100);
  Connection reader(database_path());
  EXPECT_EQ(count_rows(reader.database(), "lifecycle_transitions"), 100);
}

TEST_F(StoreTest, FlushFromTheWriterThreadIsRefused) {
  Writer writer{std::make_unique<Connection>(database_path())};
  std::promise<bool> refused;
  writer.submit([](Transaction&) {},
                [&](std::exception_ptr) {
                  try {
                    writer.flush();
                    refused.set_value(false);
                  } catch (const std::logic_error&) {
                    refused.set_value(true);
                  }
                });
  EXPECT_TRUE(refused.get_future().get());
}

}  // namespace
}  // namespace sparks::store::sqlite

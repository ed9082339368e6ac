// Statements kept prepared on one connection: reused with fresh bindings, a nested use of the same
// text gets its own, and another connection (or thread) never sees the cache. Text is bound from
// the statement's own buffers, so it is what was bound whatever became of the caller's strings.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace {

using sparks::store::sqlite::Prepared;
using sparks::store::sqlite::StatementCache;
using sparks::store::sqlite::UseStatementCache;

constexpr const char* kInsert = "INSERT INTO t (a, b) VALUES (?, ?)";
constexpr const char* kCount = "SELECT count(*), count(b) FROM t WHERE a >= ?";

std::pair<int, int> counts(SQLite::Database& db, std::int64_t from) {
  Prepared count(db, kCount);
  sparks::store::sqlite::bind_all(count, from);
  count.executeStep();
  return {count.getColumn(0).getInt(), count.getColumn(1).getInt()};
}

TEST(Prepared, ReusedStatementsStartWithoutBindingsOrResults) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
  StatementCache cache(db);
  UseStatementCache use(cache);
  {
    Prepared insert(db, kInsert);
    sparks::store::sqlite::bind_all(insert, std::int64_t{1}, std::string("x"));
    insert.exec();
  }
  {
    Prepared insert(db, kInsert);
    insert.bind(1, std::int64_t{2});  // b left unbound: NULL, not the previous "x"
    insert.exec();
  }
  EXPECT_EQ(counts(db, 0), std::make_pair(2, 1));
  EXPECT_EQ(counts(db, 2), std::make_pair(1, 0)) << "the same statement, run again from the start";
}

TEST(Prepared, BoundTextIsCopiedAndKeptUntilTheStatementIsDone) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT)");
  StatementCache cache(db);
  UseStatementCache use(cache);
  const std::string long_text(300, 'L');
  // Round after round on the one cached statement: short texts (kept inside a std::string) bound
  // before long ones, views into text that is gone before the statement runs, and NULL.
  for (int round = 0; round < 3; ++round) {
    Prepared insert(db, "INSERT INTO t VALUES (?, ?, ?, ?)");
    {
      std::string caller = "short-" + std::to_string(round);
      std::string view_source = long_text + std::to_string(round);
      sparks::store::sqlite::bind_all(
          insert, caller, std::string_view(view_source),
          std::optional<std::string>(round == 1 ? std::nullopt : std::optional(caller)),
          std::string());
      caller.assign(40, 'x');  // the caller's strings change, then go, before the insert runs
      view_source.assign(5, 'y');
    }
    insert.exec();
  }
  Prepared select(db, "SELECT a, b, c, d FROM t ORDER BY rowid");
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(select.executeStep());
    const std::string expected_short = "short-" + std::to_string(round);
    EXPECT_EQ(select.getColumn(0).getString(), expected_short);
    EXPECT_EQ(select.getColumn(1).getString(), long_text + std::to_string(round));
    if (round == 1)
      EXPECT_TRUE(select.getColumn(2).isNull());
    else
      EXPECT_EQ(select.getColumn(2).getString(), expected_short);
    EXPECT_FALSE(select.getColumn(3).isNull()) << "an empty string is text, not NULL";
    EXPECT_EQ(select.getColumn(3).getString(), "");
  }
  EXPECT_FALSE(select.executeStep());
}

TEST(Prepared, ANestedUseOfTheSameTextGetsItsOwnStatement) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
  StatementCache cache(db);
  UseStatementCache use(cache);
  Prepared outer(db, kCount);
  sparks::store::sqlite::bind_all(outer, std::int64_t{2});
  EXPECT_EQ(counts(db, 0), std::make_pair(2, 2));  // the same text while `outer` is bound
  ASSERT_TRUE(outer.executeStep());
  EXPECT_EQ(outer.getColumn(0).getInt(), 1);
}

TEST(Prepared, OtherThreadsAndConnectionsPrepareTheirOwn) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  SQLite::Database other(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
  other.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (5, 'z')");
  StatementCache cache(db);
  UseStatementCache use(cache);
  EXPECT_EQ(counts(other, 0), std::make_pair(1, 1));
  std::pair<int, int> seen;
  std::thread([&] { seen = counts(db, 0); }).join();  // no cache on that thread: a fresh statement
  EXPECT_EQ(seen, std::make_pair(0, 0));
}

}  // namespace

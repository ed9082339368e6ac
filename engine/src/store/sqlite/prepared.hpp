#pragma once
// Prepared statements that stay prepared on the writer's connection. Parsing and planning SQL cost
// more than running the small statements the engine issues per event, and the writer thread alone
// uses its connection: while it runs, each statement text is prepared once and reset after use.
// Anywhere else (start-up reads, tests) a Prepared is simply a fresh statement.
//
//   Prepared insert(db, "INSERT INTO t VALUES (?, ?)");
//   bind_all(insert, name, at_ms);
//   insert.exec();
//
// Text bound through a Prepared is copied into buffers the statement keeps for its next uses, and
// SQLite reads it from there: bound as SQLite would (SQLITE_TRANSIENT), each text would cost an
// allocation for SQLite's copy, and a string_view another for its terminated std::string.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

// The statements of one connection, for the one thread that uses it.
class StatementCache {
 public:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
    std::vector<std::string> texts;  // what its text parameters are bound to, by index - 1
  };

  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  SQLite::Database& db() const { return db_; }
  // The entry for `sql`, its statement marked in use; nullptr if it is in use already (a nested
  // use of the same text), for which the caller prepares a fresh one. Looked up by the text as
  // given: no copy of it is made once it is cached.
  Entry* take(std::string_view sql);
  static void give_back(Entry& entry);

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  SQLite::Database& db_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> statements_;
};

// While alive, Prepared on the cache's connection, on this thread, comes from the cache.
class UseStatementCache {
 public:
  explicit UseStatementCache(StatementCache& cache);
  ~UseStatementCache();
  UseStatementCache(const UseStatementCache&) = delete;
  UseStatementCache& operator=(const UseStatementCache&) = delete;

 private:
  StatementCache* previous_;
};

class Prepared {
 public:
  Prepared(SQLite::Database& db, std::string_view sql);
  ~Prepared();  // a cached statement is reset and its bindings cleared for the next use
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  operator SQLite::Statement&() { return *statement_; }
  template <typename... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  // Parameter `index` (from 1): text in the statement's buffers, the rest as sql_binding.hpp binds
  // it.
  void bind_value(int index, std::string_view text);
  void bind_value(int index, const std::string& text) { bind_value(index, std::string_view(text)); }
  void bind_value(int index, const std::optional<std::string>& text);
  template <typename Value>
  void bind_value(int index, const Value& value) {
    sqlite::bind_value(*statement_, index, value);
  }
  int exec() { return statement_->exec(); }
  bool executeStep() { return statement_->executeStep(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }
  void reset() { statement_->reset(); }

 private:
  std::vector<std::string> owned_texts_;  // declared first: SQLite may read them until owned_ ends
  std::unique_ptr<SQLite::Statement> owned_;
  SQLite::Statement* statement_ = nullptr;
  StatementCache::Entry* cached_ = nullptr;  // set when statement_ is the cache's
  std::vector<std::string>* texts_ = &owned_texts_;
};

// Binds `values` to the `?` parameters in order, as bind_all on a SQLite::Statement does, with
// text in the statement's buffers.
template <typename... Values>
void bind_all(Prepared& statement, const Values&... values) {
  int index = 0;
  (statement.bind_value(++index, values), ...);
}

}  // namespace sparks::store::sqlite

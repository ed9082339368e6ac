#pragma once
// store::Connection on a SQLite file. While a transaction is open, the statements it runs stay
// prepared on this connection (prepared.hpp): the thread that opened the transaction is the only
// one using it until it ends.
#include <filesystem>
#include <optional>

#include "store/connection.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"

namespace sparks::store::sqlite {

class Connection final : public store::Connection {
 public:
  explicit Connection(std::filesystem::path path, const OpenOptions& options = {});

  Transaction& records() override { return records_; }
  void begin(bool write) override;
  void commit() override;
  void rollback() noexcept override;
  void begin_part() override;
  void end_part() override;
  void undo_part() override;

  // For tests and tools that inspect the file.
  SQLite::Database& database() { return database_.connection(); }

 private:
  Database database_;
  Records records_;
  StatementCache statements_;
  std::optional<UseStatementCache> using_statements_;  // set while a transaction is open
};

}  // namespace sparks::store::sqlite

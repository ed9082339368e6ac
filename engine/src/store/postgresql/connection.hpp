#pragma once
// store::Connection on a PostgreSQL database. A write transaction is READ COMMITTED, with row
// locks where the store needs them (check_lease); a read transaction is one REPEATABLE READ
// snapshot; a part is a SAVEPOINT. Commits are synchronous: a returned COMMIT is durable.
#include <string>

#include "store/connection.hpp"
#include "store/postgresql/records.hpp"
#include "store/postgresql/session.hpp"

namespace sparks::store::postgresql {

class Connection final : public store::Connection {
 public:
  // Connects to `url` and migrates the database. Throws OpenError.
  explicit Connection(std::string url, const OpenOptions& options = {});

  Transaction& records() override { return records_; }
  void begin(bool write) override;
  void commit() override;
  void rollback() noexcept override;
  void begin_part() override;
  void end_part() override;
  void undo_part() override;

  // For tests and tools that inspect the database.
  Session& session() { return session_; }

 private:
  Session session_;
  Records records_;
};

}  // namespace sparks::store::postgresql

#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

namespace sparks::store::sqlite {
namespace {

// Distinctive, so that a batch's own savepoints cannot be mistaken for it.
constexpr const char* kBeginPart = "SAVEPOINT sparks_part";
constexpr const char* kEndPart = "RELEASE sparks_part";
constexpr const char* kUndoPart = "ROLLBACK TO sparks_part";

}  // namespace

Connection::Connection(std::filesystem::path path, const OpenOptions& options)
    : database_(std::move(path), options),
      records_(database_.connection()),
      statements_(database_.connection()) {}

void Connection::begin(bool write) {
  using_statements_.emplace(statements_);
  try {
    // IMMEDIATE takes the write lock now; DEFERRED reads one snapshot from the first read on.
    Prepared(database_.connection(), write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED").exec();
    records_.start_snapshot(!write);
  } catch (...) {
    using_statements_.reset();
    throw;
  }
}

void Connection::commit() {
  Prepared(database_.connection(), "COMMIT").exec();
  records_.start_snapshot(false);
  using_statements_.reset();
}

void Connection::rollback() noexcept {
  // SQLite may already have rolled back the whole transaction (it does on some I/O errors).
  if (sqlite3_get_autocommit(database_.connection().getHandle()) == 0)
    database_.connection().tryExec("ROLLBACK");
  records_.start_snapshot(false);
  using_statements_.reset();
}

void Connection::begin_part() {
  Prepared(database_.connection(), kBeginPart).exec();
}

void Connection::end_part() {
  Prepared(database_.connection(), kEndPart).exec();
}

void Connection::undo_part() {
  // Undo this part only, then drop its savepoint. If SQLite has already rolled back the whole
  // transaction, these throw and the caller fails the transaction.
  database_.connection().exec(kUndoPart);
  database_.connection().exec(kEndPart);
}

}  // namespace sparks::store::sqlite

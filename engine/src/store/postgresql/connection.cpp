#include "store/postgresql/connection.hpp"

#include "store/postgresql/database.hpp"

namespace sparks::store::postgresql {
namespace {

// Distinctive, so that a batch's own savepoints cannot be mistaken for it.
constexpr const char* kBeginPart = "SAVEPOINT sparks_part";
constexpr const char* kEndPart = "RELEASE SAVEPOINT sparks_part";
constexpr const char* kUndoPart = "ROLLBACK TO SAVEPOINT sparks_part";

}  // namespace

Connection::Connection(std::string url, const OpenOptions& options)
    : session_(std::move(url), options), records_(session_) {
  migrate(session_);
}

void Connection::begin(bool write) {
  // A connection lost since the last transaction (a server restart, a failover) is opened again
  // here, between transactions, where nothing of a transaction can be lost with it.
  if (!session_.connected()) session_.reconnect();
  // Sent with the first statement: one round trip fewer per transaction.
  session_.defer(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

void Connection::commit() {
  // PostgreSQL answers COMMIT of a transaction that a failed statement aborted with ROLLBACK, and
  // no error: nothing was committed then.
  if (session_.exec("COMMIT").command_status() != "COMMIT")
    throw Error("PostgreSQL: the transaction failed and was rolled back, not committed", "");
}

void Connection::rollback() noexcept {
  session_.exec_quietly("ROLLBACK");
}

// A part's savepoint and its release travel with the statements around them: a batch of three
// statements costs three round trips, not five.
void Connection::begin_part() {
  session_.defer(kBeginPart);
}

void Connection::end_part() {
  session_.defer(kEndPart);
}

void Connection::undo_part() {
  // Undo this part only, then drop its savepoint; this also ends the "transaction is aborted"
  // state a failed statement leaves in PostgreSQL.
  session_.exec(kUndoPart);
  session_.exec(kEndPart);
}

}  // namespace sparks::store::postgresql

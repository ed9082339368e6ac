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
  session_.set_in_transaction(true);
}

void Connection::commit() {
  // PostgreSQL answers COMMIT of a transaction that a failed statement aborted with ROLLBACK, and
  // no error: nothing was committed then.
  const bool committed = session_.exec("COMMIT").command_status() == "COMMIT";
  session_.set_in_transaction(false);
  if (!committed)
    throw Error("PostgreSQL: the transaction failed and was rolled back, not committed", "");
}

void Connection::rollback() noexcept {
  session_.exec_quietly("ROLLBACK");
  session_.set_in_transaction(false);
}

// A part's savepoint and its release travel with the statements around them, and so do the writes
// whose result nobody reads (Session::run_later): a batch costs a round trip per statement it
// reads an answer from, plus one at its end when it wrote. The writes are sent before the part
// ends, so that a failing one fails its own part.
void Connection::begin_part() {
  session_.defer(kBeginPart);
}

void Connection::end_part() {
  session_.defer(kEndPart);
  if (session_.has_deferred_writes()) session_.flush();
}

void Connection::undo_part() {
  session_.drop_deferred_writes();  // never sent: nothing of them to undo
  // Undo this part only, then drop its savepoint; this also ends the "transaction is aborted"
  // state a failed statement leaves in PostgreSQL.
  session_.exec(kUndoPart);
  session_.exec(kEndPart);
}

}  // namespace sparks::store::postgresql

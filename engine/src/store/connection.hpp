#pragma once
// One connection to the store, used by one thread at a time, and how to open one. The Writer and
// the Reader each own one on a thread of their own; start-up reads use another.
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/transaction.hpp"

namespace sparks::store {

// Thrown when a store cannot be opened or migrated; what() names it and the reason.
class OpenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How far a commit is durable once it has returned.
enum class Durability {
  // A commit survives the process crashing. After an operating-system crash or power loss the last
  // commits may be lost, never corrupted. The engine's default.
  survives_process_crash,
  // Every commit waits for the disk, and survives power loss too.
  survives_power_loss,
};

struct OpenOptions {
  // How long a statement waits for another connection's lock before failing.
  std::chrono::milliseconds busy_timeout{5000};
  Durability durability = Durability::survives_process_crash;
};

class Connection {
 public:
  virtual ~Connection() = default;

  // The store's operations on this connection.
  virtual Transaction& records() = 0;

  // Transactions. A write transaction takes the write lock at once, so that no batch fails half-way
  // for want of it; a read transaction sees one consistent snapshot.
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  // Undoes the open transaction, if any; never throws.
  virtual void rollback() noexcept = 0;

  // A nested part of the open transaction that can be undone alone (a savepoint).
  virtual void begin_part() = 0;
  virtual void end_part() = 0;
  virtual void undo_part() = 0;
};

// Opens `location` and migrates it to the newest schema this build knows. A path opens SQLite
// (":memory:" a private in-memory database, for tests). Throws OpenError.
std::unique_ptr<Connection> open(const std::string& location, const OpenOptions& options = {});

// True when several instances may share the store `location` names (PostgreSQL): each workspace
// is then leased to one of them (lease_store.hpp). A SQLite file has one instance.
bool is_shared(const std::string& location);

// Hears, on a thread of its own, the workspaces another instance stored something for
// (LeaseRecords::notify_workspace). Destroying it stops it.
class Listener {
 public:
  virtual ~Listener() = default;
};

// Calls `woken` with the workspace's id for every notification, and with an empty id when
// notifications may have been missed (the connection was lost and is back): every workspace
// should be looked at then. Null for a store that is not shared. Throws OpenError.
std::unique_ptr<Listener> listen(const std::string& location,
                                 std::function<void(std::string workspace_id)> woken);

}  // namespace sparks::store

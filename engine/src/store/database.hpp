#pragma once
// One connection to the engine's SQLite file, opened the way the engine needs it: WAL journal,
// foreign keys on, the schema migrated to the newest version this build knows. Opening refuses,
// without modifying it, a file that is not a SQLite database or that a newer Sparks has written.
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

// Thrown when a database cannot be opened or migrated; what() names the file and the reason.
class OpenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How far a commit is durable once it has returned.
enum class Durability {
  // WAL with synchronous=NORMAL: a commit survives the process crashing. After an operating-system
  // crash or power loss the last commits may be lost, never corrupted. The engine's default.
  survives_process_crash,
  // synchronous=FULL: every commit waits for the disk, and survives power loss too.
  survives_power_loss,
};

struct OpenOptions {
  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  Durability durability = Durability::survives_process_crash;
};

class Database {
 public:
  // Opens `path`, creating the file and its parent directories if needed, and applies every
  // migration the file lacks, each in its own transaction. ":memory:" opens a private in-memory
  // database (for tests). Throws OpenError.
  explicit Database(std::filesystem::path path, const OpenOptions& options = {});

  Database(Database&&) = default;
  Database& operator=(Database&&) = default;

  SQLite::Database& connection() { return connection_; }
  const std::filesystem::path& path() const { return path_; }

  // The value of PRAGMA user_version: after a successful open, newest_schema_version().
  int schema_version();

 private:
  std::filesystem::path path_;
  SQLite::Database connection_;
};

}  // namespace sparks::store

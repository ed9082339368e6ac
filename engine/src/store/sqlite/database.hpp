#pragma once
// One SQLite connection to the engine's file, opened the way the engine needs it: WAL journal,
// foreign keys on, the schema migrated to the newest version this build knows. Opening refuses,
// without modifying it, a file that is not a SQLite database or that a newer Sparks has written.
#include <filesystem>

#include <SQLiteCpp/Database.h>

#include "store/connection.hpp"

namespace sparks::store::sqlite {

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

}  // namespace sparks::store::sqlite

#include "store/sqlite/database.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <SQLiteCpp/Transaction.h>

#include "store/sqlite/migrations.hpp"

namespace sparks::store::sqlite {
namespace {

namespace fs = std::filesystem;

// Stamped into the file header by the first migration ("SPRK"), so that a SQLite file of another
// application is recognised as such rather than migrated.
constexpr int kSparksApplicationId = 0x5350524B;

constexpr const char* kInMemory = ":memory:";

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

struct HeaderFields {
  int schema_version;  // PRAGMA user_version
  int application_id;  // PRAGMA application_id
};

HeaderFields read_header_fields(SQLite::Database& connection) {
  return {connection.execAndGet("PRAGMA user_version").getInt(),
          connection.execAndGet("PRAGMA application_id").getInt()};
}

void refuse_if_not_ours(const fs::path& path, const HeaderFields& fields) {
  if (fields.application_id != 0 && fields.application_id != kSparksApplicationId) {
    throw OpenError(quoted(path) + " is a SQLite database of another application (application_id " +
                    std::to_string(fields.application_id) +
                    "). Refusing to open it so that it is not modified.");
  }
  if (fields.schema_version > newest_schema_version()) {
    throw OpenError(quoted(path) + " was written by a newer Sparks (schema " +
                    std::to_string(fields.schema_version) + "); this build knows schema " +
                    std::to_string(newest_schema_version()) +
                    ". Refusing to open it so that it is not modified.");
  }
}

// Reads the schema version and application id straight from the file's 100-byte header, without
// SQLite: even a read-only connection leaves -wal and -shm files behind, and a file about to be
// refused must not be touched at all. The header can lag behind a WAL that was not checkpointed;
// open_connection() reads the fields again through SQLite before its first write.
HeaderFields read_file_header(const fs::path& path) {
  // https://www.sqlite.org/fileformat.html#the_database_header
  constexpr std::string_view kMagic("SQLite format 3\0", 16);
  constexpr std::size_t kHeaderSize = 100;
  constexpr std::size_t kSchemaVersionOffset = 60;  // PRAGMA user_version
  constexpr std::size_t kApplicationIdOffset = 68;

  std::ifstream file(path, std::ios::binary);
  if (!file) throw OpenError("cannot read " + quoted(path));
  std::array<char, kHeaderSize> header{};
  file.read(header.data(), header.size());
  const auto length = static_cast<std::size_t>(file.gcount());
  if (length == 0) return {0, 0};  // SQLite treats an empty file as an empty database
  if (length < kHeaderSize || std::string_view(header.data(), kMagic.size()) != kMagic) {
    throw OpenError(quoted(path) +
                    " is not a SQLite database. Refusing to open it so that it is not modified.");
  }
  auto big_endian_int32 = [&](std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      value = (value << 8) | static_cast<unsigned char>(header[offset + i]);
    }
    return static_cast<int>(value);
  };
  return {big_endian_int32(kSchemaVersionOffset), big_endian_int32(kApplicationIdOffset)};
}

void apply_migrations(SQLite::Database& connection, const fs::path& path) {
  for (const Migration& migration : migrations()) {
    if (read_header_fields(connection).schema_version >= migration.version) continue;
    try {
      SQLite::Transaction transaction(connection, SQLite::TransactionBehavior::IMMEDIATE);
      // Read again under the write lock: another process may have migrated the file meanwhile,
      // possibly a newer build.
      const HeaderFields fields = read_header_fields(connection);
      refuse_if_not_ours(path, fields);
      if (fields.schema_version >= migration.version) continue;  // rolls back an empty transaction
      connection.exec(std::string(migration.sql));
      if (migration.version == 1) {
        connection.exec("PRAGMA application_id = " + std::to_string(kSparksApplicationId));
      }
      // PRAGMA takes no bound parameters; the version is our own integer.
      connection.exec("PRAGMA user_version = " + std::to_string(migration.version));
      transaction.commit();
    } catch (const SQLite::Exception& error) {
      throw OpenError("cannot migrate " + quoted(path) + " to schema " +
                      std::to_string(migration.version) + " (" +
                      std::string(migration.description) + "): " + error.what());
    }
  }
}

// The store's files are readable by their owner only (0600): a new database file is created so
// before SQLite opens it — SQLite gives its WAL and shared-memory files the database file's mode —
// and an existing one, and its companions, are narrowed to it.
void keep_private(const fs::path& path) {
  if (!fs::exists(path)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ignored;  // a companion that does not exist yet gets the mode when made
    fs::permissions(path.string() + suffix, fs::perms::owner_read | fs::perms::owner_write,
                    ignored);
  }
}

SQLite::Database open_connection(const fs::path& path, const OpenOptions& options) {
  const bool in_memory = path == kInMemory;
  if (!in_memory) {
    if (path.has_parent_path()) {
      std::error_code error;
      // A folder made for the store is its owner's alone (contacts and inboxes are in it).
      if (fs::create_directories(path.parent_path(), error))
        fs::permissions(path.parent_path(), fs::perms::owner_all, error);
      if (error) {
        throw OpenError("cannot create the folder of " + quoted(path) + ": " + error.message());
      }
    }
    if (fs::exists(path)) refuse_if_not_ours(path, read_file_header(path));
    keep_private(path);
  }

  try {
    // No mutex of its own: no connection is used by two threads at once (the writer's and the
    // reader's each by its own thread, store/writer.hpp; the plugins' key-value reads under their
    // bridge's lock, runtime/plugin_bridge.cpp; the rest by the thread that opened them), and
    // SQLite's serialized mode would lock and unlock one around every call, several per statement.
    SQLite::Database connection(path.string(),
                                SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
                                static_cast<int>(options.busy_timeout.count()));
    // Check again through SQLite, which also sees commits still in a WAL, before the first write.
    // Refusing must not write either: closing the last connection would checkpoint the WAL.
    try {
      refuse_if_not_ours(path, read_header_fields(connection));
    } catch (const OpenError&) {
      sqlite3_db_config(connection.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      throw;
    }
    // WAL lets readers run while the writer commits.
    const std::string journal_mode = connection.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (journal_mode != "wal" && !in_memory) {
      throw OpenError("cannot switch " + quoted(path) + " to the WAL journal (it stays in '" +
                      journal_mode + "' mode)");
    }
    connection.exec(options.durability == Durability::survives_power_loss
                        ? "PRAGMA synchronous = FULL"
                        : "PRAGMA synchronous = NORMAL");
    // Off by default in SQLite, and per connection.
    connection.exec("PRAGMA foreign_keys = ON");
    apply_migrations(connection, path);
    return connection;
  } catch (const SQLite::Exception& error) {
    if (error.getErrorCode() == SQLITE_NOTADB) {
      throw OpenError(quoted(path) + " is not a SQLite database (" + error.what() + ")");
    }
    throw OpenError("cannot open " + quoted(path) + ": " + error.what());
  }
}

}  // namespace

Database::Database(std::filesystem::path path, const OpenOptions& options)
    : path_(std::move(path)), connection_(open_connection(path_, options)) {}

int Database::schema_version() {
  return connection_.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace sparks::store::sqlite

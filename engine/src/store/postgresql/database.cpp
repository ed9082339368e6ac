#include "store/postgresql/database.hpp"

#include <string>

#include "store/postgresql/migrations.hpp"
#include "store/postgresql/url.hpp"

namespace sparks::store::postgresql {
namespace {

// The advisory lock every migrating instance takes ("SPRK"), held until its transaction ends.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(1397772875)";

constexpr const char* kCreateSchemaTable =
    "CREATE TABLE IF NOT EXISTS sparks_schema (version INTEGER NOT NULL)";

std::string quoted(const Session& session) {
  return "'" + without_password(session.url()) + "'";
}

void refuse_if_newer(const Session& session, int version) {
  if (version > newest_schema_version()) {
    throw OpenError(quoted(session) + " was written by a newer Sparks (schema " +
                    std::to_string(version) + "); this build knows schema " +
                    std::to_string(newest_schema_version()) +
                    ". Refusing to open it so that it is not modified.");
  }
}

// Runs one migration unless another instance has applied it meanwhile.
void apply(Session& session, const Migration& migration) {
  session.exec("BEGIN");
  try {
    session.exec(kLockMigrations);
    session.exec(kCreateSchemaTable);
    // Read again under the lock: another instance may have migrated meanwhile, possibly a newer
    // build.
    const int version = schema_version(session);
    refuse_if_newer(session, version);
    if (version >= migration.version) {
      session.exec("ROLLBACK");
      return;
    }
    session.exec(migration.sql);
    if (version == 0) {
      session.run("INSERT INTO sparks_schema (version) VALUES ($1)", params(migration.version));
    } else {
      session.run("UPDATE sparks_schema SET version = $1", params(migration.version));
    }
    session.exec("COMMIT");
  } catch (...) {
    session.exec_quietly("ROLLBACK");
    throw;
  }
}

}  // namespace

int schema_version(Session& session) {
  const Result table = session.run("SELECT to_regclass('sparks_schema') IS NOT NULL");
  if (!table.boolean(0, 0)) return 0;
  const Result version = session.run("SELECT max(version) FROM sparks_schema");
  return static_cast<int>(version.optional_int(0, 0).value_or(0));
}

void migrate(Session& session) {
  // Read first without writing anything: a database of a newer schema is refused untouched, and
  // one already up to date needs no lock.
  try {
    const int version = schema_version(session);
    refuse_if_newer(session, version);
    if (version == newest_schema_version()) return;
  } catch (const Error& error) {
    throw OpenError("cannot read the schema version of " + quoted(session) + ": " + error.what());
  }
  for (const Migration& migration : migrations()) {
    try {
      apply(session, migration);
    } catch (const Error& error) {
      throw OpenError("cannot migrate " + quoted(session) + " to schema " +
                      std::to_string(migration.version) + " (" +
                      std::string(migration.description) + "): " + error.what());
    }
  }
}

}  // namespace sparks::store::postgresql

#pragma once
// Brings a PostgreSQL database to the newest schema this build knows, or refuses it untouched.
#include "store/postgresql/session.hpp"

namespace sparks::store::postgresql {

// Applies every migration the database lacks, each in its own transaction under an advisory lock,
// so that instances starting together migrate once. Throws OpenError for a database that a newer
// Sparks has written (leaving it unmodified) or a migration that fails.
void migrate(Session& session);

// The version recorded in sparks_schema; 0 for a database Sparks has never migrated.
int schema_version(Session& session);

}  // namespace sparks::store::postgresql

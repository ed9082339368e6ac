#pragma once
// The schema's history in PostgreSQL: the same steps, numbered and meaning the same, as SQLite's
// (store/sqlite/migrations.hpp), in PostgreSQL's DDL. A step is never edited once released; a
// change is a new step at the end, for both backends. The applied version lives in the table
// sparks_schema (see database.cpp for how the steps are run).
#include <span>

#include <string_view>
#include "store/migration.hpp"

namespace sparks::store::postgresql {

using store::Migration;

// Every migration this build knows, oldest first.
std::span<const Migration> migrations();

// The schema version a database has once every migration is applied.
int newest_schema_version();

}  // namespace sparks::store::postgresql

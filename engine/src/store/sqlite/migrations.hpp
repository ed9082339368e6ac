#pragma once
// The schema's history: an ordered list of steps, each taking the database from `version - 1` to
// `version`. A step is never edited once released; a change is a new step at the end. The applied
// version lives in `PRAGMA user_version` (see database.cpp for how the steps are run).
#include <span>

#include <string_view>
#include "store/migration.hpp"

namespace sparks::store::sqlite {

using store::Migration;

// Every migration this build knows, oldest first.
std::span<const Migration> migrations();

// The schema version a database has once every migration is applied.
int newest_schema_version();

}  // namespace sparks::store::sqlite

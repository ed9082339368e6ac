#pragma once
// The schema's history: an ordered list of steps, each taking the database from `version - 1` to
// `version`. A step is never edited once released; a change is a new step at the end. The applied
// version lives in `PRAGMA user_version` (see database.cpp for how the steps are run).
#include <span>
#include <string_view>

namespace sparks::store::sqlite {

struct Migration {
  int version;                   // 1, 2, 3, … without gaps
  std::string_view description;  // shown in errors and logs
  std::string_view sql;          // one or more statements, run inside one transaction
};

// Every migration this build knows, oldest first.
std::span<const Migration> migrations();

// The schema version a database has once every migration is applied.
int newest_schema_version();

}  // namespace sparks::store::sqlite

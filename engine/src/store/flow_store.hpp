#pragma once
// The SQL for flow definitions: every version of a flow as written (YAML) and as loaded (JSON),
// with the warnings its last publish found. The automation record (status, who paused it, what it
// needs) is automation_store.hpp's; a flow is both.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

struct FlowVersionRow {
  std::string workspace_id;
  std::string flow_id;
  std::int64_t version = 1;
  std::string yaml;
  std::string definition;       // JSON
  std::string warnings = "[]";  // JSON array of strings
  std::int64_t created_at_ms = 0;
};

void save_flow_version(SQLite::Database& db, const FlowVersionRow& row);
std::optional<FlowVersionRow> latest_flow_version(SQLite::Database& db,
                                                  std::string_view workspace_id,
                                                  std::string_view flow_id);
void set_flow_warnings(SQLite::Database& db, std::string_view workspace_id,
                       std::string_view flow_id, std::int64_t version,
                       std::string_view warnings_json);
// Deletes the automation record, its requirements and every version. False if there was none.
bool delete_flow(SQLite::Database& db, std::string_view workspace_id, std::string_view flow_id);

}  // namespace sparks::store


#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

void Records::save_flow_version(const FlowVersionRow& row) {
  Prepared insert(db_,
                  "INSERT OR REPLACE INTO flow_versions (workspace_id, flow_id, version, yaml,"
                  " definition, warnings, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, row.workspace_id, row.flow_id, row.version, row.yaml, row.definition,
           row.warnings, row.created_at_ms);
  insert.exec();
}

std::optional<FlowVersionRow> Records::latest_flow_version(std::string_view workspace_id,
                                                           std::string_view flow_id) {
  Prepared select(db_,
                  "SELECT version, yaml, definition, warnings, created_at_ms FROM flow_versions"
                  " WHERE workspace_id = ? AND flow_id = ? ORDER BY version DESC LIMIT 1");
  bind_all(select, workspace_id, flow_id);
  if (!select.executeStep()) return std::nullopt;
  return FlowVersionRow{std::string(workspace_id),       std::string(flow_id),
                        select.getColumn(0).getInt64(),  select.getColumn(1).getString(),
                        select.getColumn(2).getString(), select.getColumn(3).getString(),
                        select.getColumn(4).getInt64()};
}

void Records::set_flow_warnings(std::string_view workspace_id, std::string_view flow_id,
                                std::int64_t version, std::string_view warnings_json) {
  Prepared update(db_,
                  "UPDATE flow_versions SET warnings = ? WHERE workspace_id = ? AND flow_id = ?"
                  " AND version = ?");
  bind_all(update, warnings_json, workspace_id, flow_id, version);
  update.exec();
}

bool Records::delete_flow(std::string_view workspace_id, std::string_view flow_id) {
  for (const char* sql :
       {"DELETE FROM automation_requirements WHERE workspace_id = ? AND automation_id = ?",
        "DELETE FROM flow_versions WHERE workspace_id = ? AND flow_id = ?"}) {
    Prepared remove(db_, sql);
    bind_all(remove, workspace_id, flow_id);
    remove.exec();
  }
  Prepared remove(db_, "DELETE FROM automations WHERE workspace_id = ? AND id = ?");
  bind_all(remove, workspace_id, flow_id);
  return remove.exec() > 0;
}

}  // namespace sparks::store::sqlite

#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {

void Records::save_flow_version(const FlowVersionRow& row) {
  db_.run_later(
      "INSERT INTO flow_versions (workspace_id, flow_id, version, yaml, definition, warnings,"
      " created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)"
      " ON CONFLICT (workspace_id, flow_id, version) DO UPDATE SET yaml = excluded.yaml,"
      " definition = excluded.definition, warnings = excluded.warnings,"
      " created_at_ms = excluded.created_at_ms",
      params(row.workspace_id, row.flow_id, row.version, row.yaml, row.definition, row.warnings,
             row.created_at_ms));
}

std::optional<FlowVersionRow> Records::latest_flow_version(std::string_view workspace_id,
                                                           std::string_view flow_id) {
  const Result found = db_.run(
      "SELECT version, yaml, definition, warnings, created_at_ms FROM flow_versions"
      " WHERE workspace_id = $1 AND flow_id = $2 ORDER BY version DESC LIMIT 1",
      params(workspace_id, flow_id));
  if (found.rows() == 0) return std::nullopt;
  return FlowVersionRow{std::string(workspace_id), std::string(flow_id), found.int64(0, 0),
                        found.text(0, 1),          found.text(0, 2),     found.text(0, 3),
                        found.int64(0, 4)};
}

void Records::set_flow_warnings(std::string_view workspace_id, std::string_view flow_id,
                                std::int64_t version, std::string_view warnings_json) {
  db_.run_later(
      "UPDATE flow_versions SET warnings = $1 WHERE workspace_id = $2 AND flow_id = $3"
      " AND version = $4",
      params(warnings_json, workspace_id, flow_id, version));
}

bool Records::delete_flow(std::string_view workspace_id, std::string_view flow_id) {
  for (const char* sql :
       {"DELETE FROM automation_requirements WHERE workspace_id = $1 AND automation_id = $2",
        "DELETE FROM flow_versions WHERE workspace_id = $1 AND flow_id = $2"}) {
    db_.run_later(sql, params(workspace_id, flow_id));
  }
  return db_.run("DELETE FROM automations WHERE workspace_id = $1 AND id = $2",
                 params(workspace_id, flow_id))
             .affected() > 0;
}

}  // namespace sparks::store::postgresql

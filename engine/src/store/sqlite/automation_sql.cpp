#include <stdexcept>

#include <SQLiteCpp/Statement.h>

#include "store/backend_common.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {
namespace {

AutomationStatus status_column(const SQLite::Column& column) {
  const std::string text = column.getString();
  if (auto status = automation_status_from_string(text)) return *status;
  // The CHECK constraint makes this unreachable unless the file was edited by hand.
  throw std::runtime_error("automations.status holds an unknown value '" + text + "'");
}

std::vector<std::string> load_required_platforms(SQLite::Database& db,
                                                 std::string_view workspace_id,
                                                 std::string_view automation_id) {
  Prepared select(db,
                  "SELECT platform FROM automation_requirements"
                  " WHERE workspace_id = ? AND automation_id = ? ORDER BY platform");
  bind_all(select, workspace_id, automation_id);
  std::vector<std::string> platforms;
  while (select.executeStep()) platforms.push_back(select.getColumn(0).getString());
  return platforms;
}

constexpr const char* kSelectAutomation =
    "SELECT workspace_id, id, name, status, paused_by, version FROM automations";

AutomationRow read_automation(SQLite::Statement& select) {
  AutomationRow row;
  row.workspace_id = select.getColumn(0).getString();
  row.id = select.getColumn(1).getString();
  row.name = select.getColumn(2).getString();
  row.status = status_column(select.getColumn(3));
  if (!select.getColumn(4).isNull()) row.paused_by = select.getColumn(4).getString();
  row.version = select.getColumn(5).getInt64();
  return row;
}

}  // namespace

void Records::save_automation(const AutomationRow& automation) {
  Prepared upsert(db_,
                  "INSERT INTO automations"
                  " (workspace_id, id, name, status, paused_by, version)"
                  " VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (workspace_id, id) DO UPDATE SET"
                  " name = excluded.name, status = excluded.status,"
                  " paused_by = excluded.paused_by, version = excluded.version");
  bind_all(upsert, automation.workspace_id, automation.id, automation.name,
           to_string(automation.status), automation.paused_by, automation.version);
  upsert.exec();

  Prepared forget(
      db_, "DELETE FROM automation_requirements WHERE workspace_id = ? AND automation_id = ?");
  bind_all(forget, automation.workspace_id, automation.id);
  forget.exec();

  Prepared require(db_,
                   "INSERT OR IGNORE INTO automation_requirements"
                   " (workspace_id, automation_id, platform) VALUES (?, ?, ?)");
  for (const std::string& platform : automation.required_platforms) {
    bind_all(require, automation.workspace_id, automation.id, platform);
    require.exec();
    require.reset();
  }
}

std::optional<AutomationRow> Records::load_automation(std::string_view workspace_id,
                                                      std::string_view automation_id) {
  Prepared select(db_, std::string(kSelectAutomation) + " WHERE workspace_id = ? AND id = ?");
  bind_all(select, workspace_id, automation_id);
  if (!select.executeStep()) return std::nullopt;
  AutomationRow row = read_automation(select);
  row.required_platforms = load_required_platforms(db_, workspace_id, automation_id);
  return row;
}

std::vector<AutomationRow> Records::list_automations(std::string_view workspace_id,
                                                     const PageRequest& page) {
  Prepared select(db_, std::string(kSelectAutomation) +
                           " WHERE workspace_id = ?1 AND (?2 = 0 OR id > ?3) ORDER BY id LIMIT ?4");
  bind_all(select, workspace_id, has_after(page), after_key(page).text, page.limit);
  std::vector<AutomationRow> rows;
  while (select.executeStep()) rows.push_back(read_automation(select));

  // One pass over the workspace's requirements, in the same order as the rows, rather than one
  // query per automation: a restart lists many automations.
  Prepared requirements(db_,
                        "SELECT automation_id, platform FROM automation_requirements"
                        " WHERE workspace_id = ? ORDER BY automation_id, platform");
  bind_all(requirements, workspace_id);
  auto row = rows.begin();
  while (requirements.executeStep()) {
    const std::string automation_id = requirements.getColumn(0).getString();
    while (row != rows.end() && row->id < automation_id) ++row;
    if (row == rows.end()) break;
    if (row->id == automation_id)
      row->required_platforms.push_back(requirements.getColumn(1).getString());
  }
  return rows;
}

bool Records::set_automation_status_by_person(std::string_view workspace_id,
                                              std::string_view automation_id,
                                              AutomationStatus status) {
  Prepared update(db_,
                  "UPDATE automations SET status = ?, paused_by = ?"
                  " WHERE workspace_id = ? AND id = ?");
  const std::optional<std::string> paused_by = status == AutomationStatus::paused
                                                   ? std::optional<std::string>(kPausedByPerson)
                                                   : std::nullopt;
  bind_all(update, to_string(status), paused_by, workspace_id, automation_id);
  return update.exec() > 0;
}

std::int64_t Records::count_automations(std::string_view workspace_id, AutomationStatus status) {
  Prepared count(db_, "SELECT count(*) FROM automations WHERE workspace_id = ? AND status = ?");
  bind_all(count, workspace_id, to_string(status));
  count.executeStep();
  return count.getColumn(0).getInt64();
}

}  // namespace sparks::store::sqlite

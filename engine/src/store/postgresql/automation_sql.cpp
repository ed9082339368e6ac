#include <stdexcept>

#include "store/backend_common.hpp"
#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {
namespace {

AutomationStatus status_column(const Result& result, int row, int column) {
  const std::string text = result.text(row, column);
  if (auto status = automation_status_from_string(text)) return *status;
  // The CHECK constraint makes this unreachable unless the table was edited by hand.
  throw std::runtime_error("automations.status holds an unknown value '" + text + "'");
}

constexpr const char* kSelectAutomation =
    "SELECT workspace_id, id, name, status, paused_by, version FROM automations";

AutomationRow read_automation(const Result& result, int row) {
  AutomationRow automation;
  automation.workspace_id = result.text(row, 0);
  automation.id = result.text(row, 1);
  automation.name = result.text(row, 2);
  automation.status = status_column(result, row, 3);
  automation.paused_by = result.optional_text(row, 4);
  automation.version = result.int64(row, 5);
  return automation;
}

}  // namespace

void Records::save_automation(const AutomationRow& automation) {
  db_.run_later(
      "INSERT INTO automations (workspace_id, id, name, status, paused_by, version)"
      " VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (workspace_id, id) DO UPDATE SET"
      " name = excluded.name, status = excluded.status,"
      " paused_by = excluded.paused_by, version = excluded.version",
      params(automation.workspace_id, automation.id, automation.name,
             std::string(to_string(automation.status)), automation.paused_by, automation.version));
  db_.run_later(
      "DELETE FROM automation_requirements WHERE workspace_id = $1 AND automation_id = $2",
      params(automation.workspace_id, automation.id));
  for (const std::string& platform : automation.required_platforms) {
    db_.run_later(
        "INSERT INTO automation_requirements (workspace_id, automation_id, platform)"
        " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        params(automation.workspace_id, automation.id, platform));
  }
}

std::optional<AutomationRow> Records::load_automation(std::string_view workspace_id,
                                                      std::string_view automation_id) {
  const Result found =
      db_.run(std::string(kSelectAutomation) + " WHERE workspace_id = $1 AND id = $2",
              params(workspace_id, automation_id));
  if (found.rows() == 0) return std::nullopt;
  AutomationRow automation = read_automation(found, 0);
  const Result platforms = db_.run(
      "SELECT platform FROM automation_requirements"
      " WHERE workspace_id = $1 AND automation_id = $2 ORDER BY platform",
      params(workspace_id, automation_id));
  for (int i = 0; i < platforms.rows(); ++i)
    automation.required_platforms.push_back(platforms.text(i, 0));
  return automation;
}

std::vector<AutomationRow> Records::list_automations(std::string_view workspace_id,
                                                     const PageRequest& page) {
  const Result found =
      db_.run(std::string(kSelectAutomation) +
                  " WHERE workspace_id = $1 AND ($2 = 0 OR id > $3) ORDER BY id LIMIT $4",
              params(workspace_id, has_after(page), after_key(page).text, page.limit));
  std::vector<AutomationRow> rows;
  for (int i = 0; i < found.rows(); ++i) rows.push_back(read_automation(found, i));

  // One pass over the workspace's requirements, in the same order as the rows, rather than one
  // query per automation: a restart lists many automations. (Ids sort byte by byte, COLLATE "C",
  // as std::string compares them.)
  const Result requirements = db_.run(
      "SELECT automation_id, platform FROM automation_requirements"
      " WHERE workspace_id = $1 ORDER BY automation_id, platform",
      params(workspace_id));
  auto row = rows.begin();
  for (int i = 0; i < requirements.rows(); ++i) {
    const std::string automation_id = requirements.text(i, 0);
    while (row != rows.end() && row->id < automation_id) ++row;
    if (row == rows.end()) break;
    if (row->id == automation_id) row->required_platforms.push_back(requirements.text(i, 1));
  }
  return rows;
}

bool Records::set_automation_status_by_person(std::string_view workspace_id,
                                              std::string_view automation_id,
                                              AutomationStatus status) {
  const std::optional<std::string> paused_by = status == AutomationStatus::paused
                                                   ? std::optional<std::string>(kPausedByPerson)
                                                   : std::nullopt;
  return db_.run(
                "UPDATE automations SET status = $1, paused_by = $2"
                " WHERE workspace_id = $3 AND id = $4",
                params(std::string(to_string(status)), paused_by, workspace_id, automation_id))
             .affected() > 0;
}

std::int64_t Records::count_automations(std::string_view workspace_id, AutomationStatus status) {
  return db_
      .run("SELECT count(*) FROM automations WHERE workspace_id = $1 AND status = $2",
           params(workspace_id, std::string(to_string(status))))
      .int64(0, 0);
}

}  // namespace sparks::store::postgresql

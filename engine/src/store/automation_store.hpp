#pragma once
// The SQL for automation records: what an automation is called, whether it runs, who paused it and
// which integrations it needs. Every function takes the connection to run on, so that it can run
// inside a Writer batch or on a read connection at start.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

enum class AutomationStatus { draft, live, paused };

std::string_view to_string(AutomationStatus status);  // "draft", "live", "paused"
std::optional<AutomationStatus> automation_status_from_string(std::string_view text);

// `paused_by` of an automation paused by hand. Any other value is the platform id of the
// integration that paused it (see pause_dependent_automations in lifecycle_store.hpp).
inline constexpr std::string_view kPausedByPerson = "person";

struct AutomationRow {
  std::string workspace_id;
  std::string id;
  std::string name;
  AutomationStatus status = AutomationStatus::draft;
  std::optional<std::string> paused_by;  // set exactly when status is paused
  std::int64_t version = 1;              // version of the automation's flow definition
  std::vector<std::string> required_platforms;
};

// Inserts or replaces the automation and its whole list of required platforms.
void save_automation(SQLite::Database& db, const AutomationRow& automation);

std::optional<AutomationRow> load_automation(SQLite::Database& db, std::string_view workspace_id,
                                             std::string_view automation_id);

// A workspace's automations ordered by id, with their required platforms.
std::vector<AutomationRow> list_automations(SQLite::Database& db, std::string_view workspace_id);

// A person starts, pauses or returns an automation to draft. Pausing records kPausedByPerson, so no
// integration will resume it; any other status clears paused_by. Returns false if there is no such
// automation.
bool set_automation_status_by_person(SQLite::Database& db, std::string_view workspace_id,
                                     std::string_view automation_id, AutomationStatus status);

std::int64_t count_automations(SQLite::Database& db, std::string_view workspace_id,
                               AutomationStatus status);

}  // namespace sparks::store

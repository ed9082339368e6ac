#pragma once
// Automation records: what an automation is called, whether it runs, who paused it and which
// integrations it needs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/page.hpp"

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

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class AutomationRecords {
 public:
  // Inserts or replaces the automation and its whole list of required platforms.
  virtual void save_automation(const AutomationRow& automation) = 0;

  virtual std::optional<AutomationRow> load_automation(std::string_view workspace_id,
                                                       std::string_view automation_id) = 0;

  // A workspace's automations ordered by id (the page key, PageKey::text), with their required
  // platforms.
  virtual std::vector<AutomationRow> list_automations(std::string_view workspace_id,
                                                      const PageRequest& page = {}) = 0;

  // A person starts, pauses or returns an automation to draft. Pausing records kPausedByPerson, so
  // no integration will resume it; any other status clears paused_by. Returns false if there is no
  // such automation.
  virtual bool set_automation_status_by_person(std::string_view workspace_id,
                                               std::string_view automation_id,
                                               AutomationStatus status) = 0;

  virtual std::int64_t count_automations(std::string_view workspace_id,
                                         AutomationStatus status) = 0;

 protected:
  ~AutomationRecords() = default;
};

}  // namespace sparks::store

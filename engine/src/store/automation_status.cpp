#include "store/automation_store.hpp"

namespace sparks::store {

std::string_view to_string(AutomationStatus status) {
  switch (status) {
    case AutomationStatus::draft:
      return "draft";
    case AutomationStatus::live:
      return "live";
    case AutomationStatus::paused:
      return "paused";
  }
  return "draft";  // unreachable; keeps -Wreturn-type quiet
}

std::optional<AutomationStatus> automation_status_from_string(std::string_view text) {
  for (AutomationStatus status :
       {AutomationStatus::draft, AutomationStatus::live, AutomationStatus::paused}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

}  // namespace sparks::store

#pragma once
// Flow definitions: every version of a flow as written (YAML) and as loaded (JSON),
// with the warnings its last publish found. The automation record (status, who paused it, what it
// needs) is automation_store.hpp's; a flow is both.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class FlowVersionRecords {
 public:
  virtual void save_flow_version(const FlowVersionRow& row) = 0;

  virtual std::optional<FlowVersionRow> latest_flow_version(std::string_view workspace_id,
                                                            std::string_view flow_id) = 0;

  virtual void set_flow_warnings(std::string_view workspace_id, std::string_view flow_id,
                                 std::int64_t version, std::string_view warnings_json) = 0;

  // Deletes the automation record, its requirements and every version. False if there was none.
  virtual bool delete_flow(std::string_view workspace_id, std::string_view flow_id) = 0;

 protected:
  ~FlowVersionRecords() = default;
};

}  // namespace sparks::store

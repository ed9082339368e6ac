#pragma once
// The host's own copy of a plugin's descriptor. The plugin's C structs are read once, right after
// init, with every pointer, count and string checked (abi_text.hpp); from then on the host uses
// only this copy.
#include <sparks/plugin.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::plugins {

struct ParamInfo {
  std::string name;
  std::string type;  // "string", "integer", "number", "boolean", "object", "array"
  bool required = false;
  std::string description;
  std::string default_value;  // actions: the template the engine fills it from; empty: none
};

struct VariableInfo {  // a template variable a flow trigger offers
  std::string name;    // "comment.text"
  std::string field;   // the payload field it is read from: "text"
  std::string description;
};

// A flow trigger or an action. What ABI 1.1 added (kind, variables, answers, defaults) is "other"
// and empty for a plugin built against 1.0.
// An action's messaging window (ABI 1.2, sparks/plugin.h): hours == 0 means no window rule.
struct WindowInfo {
  std::uint32_t hours = 0;
  std::uint32_t messages = 0;  // per window; 0: no limit
  std::string conversation_param;
  std::string reply_param;
};

// A flow trigger or an action. What ABI 1.1 added (kind, variables, answers, defaults) is "other"
// and empty for a plugin built against 1.0; what 1.2 added is empty for one built against 1.1.
struct OperationInfo {
  std::string name;
  std::string description;
  std::vector<ParamInfo> params;
  std::string kind = "other";  // triggers: comment|message|order|other; actions: message|other
  std::vector<VariableInfo> variables;  // triggers only
  std::string reply_field;              // triggers only: grants one reply, naming this field
  std::string answers = "any";          // actions only: the trigger kind it answers, or "any"
  WindowInfo window;                    // actions only
};

// A request rate the platform allows (ABI 1.2).
struct RateLimitInfo {
  bool per_account = false;  // else the whole app
  bool per_endpoint = false;
  std::uint32_t requests = 0;
  std::uint32_t window_seconds = 0;
  std::string path_prefix;
};

struct ScopeInfo {
  std::string name;
  std::string description;
  bool required = false;
  std::vector<std::string> enables;
};

struct SyncInfo {
  std::string what;   // the sync request's `what`
  std::string kind;   // "products", "posts", "comments", "orders"
  std::string scope;  // empty: none needed
};

struct PluginDescriptor {
  std::uint32_t abi_major = 0;  // from the plugin's version block
  std::uint32_t abi_minor = 0;
  std::string platform_id;
  std::string display_name;
  std::string version;
  std::vector<ScopeInfo> scopes;
  std::vector<std::string> lifecycle_triggers;
  std::vector<OperationInfo> triggers;
  std::vector<OperationInfo> actions;
  std::vector<SyncInfo> syncs;
  std::vector<RateLimitInfo> rate_limits;

  // A lifecycle trigger or flow trigger this plugin declares (what it may emit).
  bool declares_trigger(std::string_view name) const;
  bool declares_action(std::string_view name) const;
  // The sync of that kind, if the plugin declares one.
  const SyncInfo* sync_of_kind(std::string_view kind) const;
};

struct DescriptorCopy {
  std::optional<PluginDescriptor> descriptor;
  std::string error;  // when the copy failed, e.g. "scopes[2].name is not valid UTF-8"
};

// Copies `descriptor` (plugin-owned; may be NULL) into host memory.
DescriptorCopy copy_descriptor(const sparks_plugin_descriptor_t* descriptor);

// The manifest document, `{"plugin": {...}}`, as validated by schemas/plugin-manifest.schema.json
// and printed by `sparks plugin inspect --json`.
boost::json::value to_manifest_json(const PluginDescriptor& descriptor);

// Every problem with the descriptor, one line each: the manifest schema, then what a schema cannot
// say (names carry the platform prefix and are unique; each scope enables declared names only; a
// trigger's payload has the fields of its kind; variables, defaults and syncs refer to what the
// plugin declares).
std::vector<std::string> validate_descriptor(const PluginDescriptor& descriptor);

}  // namespace sparks::plugins

#pragma once
// Loading a flow file: the schema (schemas/flow.schema.json), then its meaning against the
// capabilities of the loaded plugins — every trigger and action known and installed, every trigger
// option one of its kind's, every template variable offered by the trigger, every action parameter
// declared and well-formed, every duration readable. Each problem is a FILE:LINE:COL diagnostic; a
// flow with any problem is refused whole.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flows/capabilities.hpp"
#include "flows/flow_definition.hpp"
#include "util/diagnostic.hpp"

namespace sparks::flows {

struct FlowLoadResult {
  std::optional<FlowDefinition> flow;  // set only when diagnostics is empty
  Diagnostics diagnostics;
  Diagnostics warnings;  // what will run but maybe not as meant (a message the platform may refuse)
};

// Why a message step after `trigger` may not reach the person: the platform's messaging window
// (the action's descriptor) lets it through only to people who wrote to the account lately, and
// the trigger grants no reply of its own. nullopt when the step is always allowed, or when it
// names an `otherwise:` step.
std::optional<std::string> messaging_window_warning(const TriggerInfo* trigger,
                                                    const ActionInfo& action, bool has_otherwise);

FlowLoadResult load_flow(const std::string& file_name, std::string_view text,
                         const Capabilities& capabilities);

// What will not run, found when the flow is published, one sentence each: a seller_sku missing
// from the synced catalog (or no catalog at all for `sku_mention`); a trigger or action whose scope
// its platform did not grant. `granted_scopes` maps each connected platform to its granted scopes;
// a platform missing from it is not connected, which the caller reports on its own terms.
std::vector<std::string> publish_warnings(
    const FlowDefinition& flow, const std::vector<std::string>& catalog_skus,
    const std::map<std::string, std::vector<std::string>>& granted_scopes,
    const Capabilities& capabilities);

// "Hi {{contact.username}}" with variables {"contact": {"username": "ana"}} → "Hi ana". A variable
// that is missing renders as nothing; a list as its items joined with ", "; a number as written.
std::string render_template(std::string_view text, const boost::json::object& variables);
// The `{{name}}` variables a text uses, in order.
std::vector<std::string> template_variables(std::string_view text);

// "30s", "10m", "24h", "7d" → seconds; nullopt if malformed.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace sparks::flows

#pragma once
// A workspace's live flows as the planner reads them, parsed once per published version rather
// than once per event: a version's definition never changes (flow_versions keeps it as it was
// published), so (flow id, version) names the parsed definition for good. Used on the workspace's
// strand only, like the rest of its state.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flows/capabilities.hpp"
#include "flows/planner.hpp"
#include "store/flow_run_store.hpp"

namespace sparks::flows {

class DefinitionCache {
 public:
  // The live flows of `rows` (as the store read them), parsed; a row whose definition is not a
  // JSON object is left out, as the planner would not run it. Each trigger's kind is the one its
  // loaded descriptor in `capabilities` gives (the stored definition may not say it), so that the
  // planner need not adjust a copy of the definition per event.
  std::vector<LiveFlow> live_flows(const std::vector<store::LiveFlowRow>& rows,
                                   const Capabilities& capabilities);

 private:
  struct Parsed {
    std::int64_t version = 0;
    std::shared_ptr<const FlowDefinition> definition;  // null: the definition does not parse
  };
  std::map<std::string, Parsed, std::less<>> by_flow_;
};

}  // namespace sparks::flows

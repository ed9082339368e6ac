#include "flows/definition_cache.hpp"

#include <sparks/json_fields.hpp>

namespace sparks::flows {

std::vector<LiveFlow> DefinitionCache::live_flows(const std::vector<store::LiveFlowRow>& rows,
                                                  const Capabilities& capabilities) {
  // Flows that stopped being live are forgotten once they outnumber the live ones.
  if (by_flow_.size() > 2 * rows.size() + 8) by_flow_.clear();
  std::vector<LiveFlow> live;
  live.reserve(rows.size());
  for (const auto& row : rows) {
    auto [it, fresh] = by_flow_.try_emplace(row.id);
    Parsed& parsed = it->second;
    if (fresh || parsed.version != row.version) {
      const auto definition = json_fields::parse_or_null(row.definition);
      parsed.version = row.version;
      parsed.definition = nullptr;
      if (definition.is_object()) {
        auto flow = FlowDefinition::from_json(definition.get_object());
        if (const auto* trigger = capabilities.trigger(flow.trigger.on))
          flow.trigger.kind = trigger->kind;
        parsed.definition = std::make_shared<const FlowDefinition>(std::move(flow));
      }
    }
    if (parsed.definition) live.push_back({parsed.definition, row.version});
  }
  return live;
}

}  // namespace sparks::flows

#include "flows/definition_cache.hpp"

#include <sparks/json_fields.hpp>

namespace sparks::flows {

std::vector<LiveFlow> DefinitionCache::live_flows(const std::vector<store::LiveFlowRow>& rows) {
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
      parsed.definition = definition.is_object()
                              ? std::make_shared<const FlowDefinition>(
                                    FlowDefinition::from_json(definition.get_object()))
                              : nullptr;
    }
    if (parsed.definition) live.push_back({parsed.definition, row.version});
  }
  return live;
}

}  // namespace sparks::flows

#include "flows/flow_definition.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace sparks::flows {

std::vector<std::string> FlowDefinition::skus() const {
  std::vector<std::string> out;
  for (const auto& action : actions)
    if (const auto* product = action.params.if_contains("product"); product && product->is_object())
      if (const auto* sku = product->get_object().if_contains("seller_sku");
          sku && sku->is_string())
        if (std::find(out.begin(), out.end(), sku->get_string()) == out.end())
          out.emplace_back(sku->get_string());
  return out;
}

boost::json::object FlowDefinition::to_json() const {
  boost::json::object trigger_json = trigger.options;
  trigger_json["on"] = trigger.on;
  boost::json::array actions_json;
  for (const auto& a : actions) actions_json.push_back(boost::json::object{{a.name, a.params}});
  boost::json::array requires_json;
  for (const auto& p : required_platforms) requires_json.emplace_back(p);
  return {{"id", id},
          {"name", name},
          {"priority", priority},
          {"trigger", std::move(trigger_json)},
          {"conditions", conditions},
          {"actions", std::move(actions_json)},
          {"draft_only", draft_only},
          {"requires", std::move(requires_json)}};
}

FlowDefinition FlowDefinition::from_json(const boost::json::object& json) {
  FlowDefinition f;
  f.id = json.at("id").as_string();
  f.name = json.at("name").as_string();
  f.priority = static_cast<int>(json.at("priority").as_int64());
  f.trigger.options = json.at("trigger").as_object();
  f.trigger.on = f.trigger.options.at("on").as_string();
  f.trigger.options.erase("on");
  f.conditions = json.at("conditions").as_array();
  for (const auto& a : json.at("actions").as_array())
    for (const auto& [name, params] : a.as_object())
      f.actions.push_back({name, params.as_object()});
  f.draft_only = json.at("draft_only").as_bool();
  for (const auto& p : json.at("requires").as_array())
    f.required_platforms.emplace_back(p.as_string());
  return f;
}

}  // namespace sparks::flows

#include "flows/steps.hpp"

#include <boost/json/array.hpp>

#include "flows/flow_loader.hpp"

namespace sparks::runtime {

namespace json = boost::json;

json::object event_variables(const flows::TriggerInfo* trigger, const json::object& payload,
                             json::object contact) {
  json::object vars{{"contact", std::move(contact)}};
  if (!trigger) return vars;
  for (const auto& source : trigger->sources) {
    const auto dot = source.name.find('.');
    if (dot == std::string::npos) continue;  // the descriptor's schema makes it "group.name"
    auto& group = vars[source.name.substr(0, dot)];
    if (!group.is_object()) group = json::object();
    const auto* value = payload.if_contains(source.field);
    group.get_object()[source.name.substr(dot + 1)] = value ? *value : json::value("");
  }
  return vars;
}

json::object product_variables(const CatalogItem& item) {
  return {{"title", item.title},
          {"price", item.price + (item.currency.empty() ? "" : " " + item.currency)},
          {"link", item.url},
          {"sku", item.seller_sku}};
}

json::object action_params(const flows::ActionInfo& action, const json::object& flow_params,
                           const json::object& variables,
                           const std::optional<CatalogItem>& product) {
  json::object params;
  for (const auto& [key, value] : flow_params) {
    if (key == "product" || key == "otherwise") continue;  // the engine's, not the action's
    params[key] = value.is_string()
                      ? json::value(flows::render_template(value.get_string(), variables))
                      : value;
  }
  for (const auto& param : action.params)
    if (param.default_value && !params.contains(param.name))
      params[param.name] = flows::render_template(*param.default_value, variables);
  if (action.kind == flows::ActionKind::message)
    params["skus"] = product ? json::array{json::value(product->seller_sku)} : json::array();
  return params;
}

}  // namespace sparks::runtime

#include "flows/flow_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "util/read_file.hpp"
#include "yaml/parse.hpp"
#include "yaml/schema.hpp"
#include "yaml/to_json.hpp"

namespace sparks::flows {

namespace {

constexpr std::string_view kSchema = "schemas/flow.schema.json";

// Semantic checks with the YAML nodes at hand, so each problem points at its line and column.
class Checker {
 public:
  Checker(const std::string& file, const Capabilities& capabilities, Diagnostics& out)
      : file_(file), capabilities_(capabilities), out_(out) {}

  void error(const YAML::Node& at, std::string message) {
    out_.push_back(yaml::diagnostic_at(file_, at.Mark(), std::move(message)));
  }

  // `node` is the value of `name`; returns the platform the name needs ("" for engine actions).
  const TriggerInfo* trigger(const YAML::Node& node, const std::string& name) {
    const auto* info = capabilities_.trigger(name);
    if (!info) {
      std::string known;
      for (const auto& t : capabilities_.triggers) known += (known.empty() ? "" : ", ") + t.name;
      error(node, "unknown trigger '" + name + "' (known: " + known + ")");
      return nullptr;
    }
    if (!capabilities_.installed(info->platform))
      error(node, "trigger '" + name + "' needs the " + info->platform +
                      " connector, which is not installed");
    return info;
  }

  const ActionInfo* action(const YAML::Node& key, const std::string& name) {
    const auto* info = capabilities_.action(name);
    if (!info) {
      std::string known;
      for (const auto& a : capabilities_.actions) known += (known.empty() ? "" : ", ") + a.name;
      error(key, "unknown action '" + name + "' (known: " + known + ")");
      return nullptr;
    }
    if (!capabilities_.installed(info->platform))
      error(key, "action '" + name + "' needs the " + info->platform +
                     " connector, which is not installed");
    return info;
  }

  void text_param(const YAML::Node& params, const YAML::Node& at, const std::string& action,
                  const char* name, const std::vector<std::string>& variables) {
    const auto node = params[name];
    if (!node || !node.IsScalar()) return error(at, action + " needs `" + name + "` (a text)");
    if (variables.empty()) return;  // the trigger is unknown: already reported
    const auto text = node.Scalar();
    for (const auto& variable : template_variables(text))
      if (std::find(variables.begin(), variables.end(), variable) == variables.end())
        error(node, "{{" + variable +
                        "}} is not a variable of this trigger (it has: " + joined(variables) + ")");
  }

  void duration(const YAML::Node& node, const std::string& what) {
    if (!node || !node.IsScalar() || !parse_duration(node.Scalar()))
      error(node ? node : YAML::Node(), what + " wants a duration such as 30s, 10m, 24h or 7d");
  }

  static std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

 private:
  const std::string& file_;
  const Capabilities& capabilities_;
  Diagnostics& out_;
};

}  // namespace

std::vector<std::string> template_variables(std::string_view text) {
  std::vector<std::string> out;
  for (auto open = text.find("{{"); open != std::string_view::npos;
       open = text.find("{{", open + 2)) {
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    auto name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.emplace_back(name);
  }
  return out;
}

std::string render_template(std::string_view text, const boost::json::object& variables) {
  std::string out;
  std::size_t at = 0;
  for (auto open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", at)) {
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out += text.substr(at, open - at);
    auto name = std::string(text.substr(open + 2, close - open - 2));
    std::erase(name, ' ');
    const boost::json::value* value = nullptr;
    const boost::json::object* scope = &variables;
    for (std::size_t start = 0; scope;) {
      const auto dot = name.find('.', start);
      value = scope->if_contains(name.substr(start, dot - start));
      if (dot == std::string::npos || !value) break;
      scope = value->is_object() ? &value->get_object() : nullptr;
      start = dot + 1;
    }
    if (value && value->is_string())
      out += value->get_string();
    else if (value && value->is_array()) {
      std::string list;
      for (const auto& item : value->get_array())
        if (item.is_string()) list += (list.empty() ? "" : ", ") + std::string(item.get_string());
      out += list;
    } else if (value && !value->is_null() && !value->is_object())
      out += boost::json::serialize(*value);
    at = close + 2;
  }
  out += text.substr(at);
  return out;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9' || n > 100'000'000) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  switch (text.back()) {
    case 's':
      return std::chrono::seconds(n);
    case 'm':
      return std::chrono::minutes(n);
    case 'h':
      return std::chrono::hours(n);
    case 'd':
      return std::chrono::hours(24 * n);
  }
  return std::nullopt;
}

FlowLoadResult load_flow(const std::string& file_name, std::string_view text,
                         const Capabilities& capabilities) {
  FlowLoadResult result;
  auto parsed = yaml::parse(file_name, text);
  result.diagnostics = std::move(parsed.diagnostics);
  if (!result.diagnostics.empty()) return result;
  result.diagnostics = yaml::validate_yaml(file_name, parsed.root, kSchema);
  if (!result.diagnostics.empty()) return result;

  const YAML::Node node = parsed.root["flow"];
  const auto json = yaml::to_json(node).as_object();
  Checker check(file_name, capabilities, result.diagnostics);

  FlowDefinition flow;
  flow.id = json.at("id").as_string();
  flow.name = json.at("name").as_string();
  if (const auto* p = json.if_contains("priority"))
    flow.priority = static_cast<int>(p->to_number<std::int64_t>());
  flow.draft_only = json.contains("status");
  if (const auto* c = json.if_contains("conditions")) flow.conditions = c->as_array();

  std::set<std::string> platforms;
  flow.trigger.options = json.at("trigger").as_object();
  flow.trigger.on = flow.trigger.options.at("on").as_string();
  flow.trigger.options.erase("on");
  const auto* trigger = check.trigger(node["trigger"]["on"], flow.trigger.on);
  std::vector<std::string> variables;
  if (trigger) {
    platforms.insert(trigger->platform);
    variables = trigger->variables;
    // Options that only make sense for another trigger.
    static const std::map<std::string, std::vector<std::string>> kOptionsOf = {
        {"tiktok.comment",
         {"keywords", "question", "first_comment", "videos", "sku_mention", "lives"}},
        {"tiktok.dm", {"keywords"}},
        {"tiktok_shop.order", {"status"}}};
    const auto allowed =
        kOptionsOf.count(trigger->name) ? kOptionsOf.at(trigger->name) : std::vector<std::string>{};
    for (const auto& option : node["trigger"]) {
      const auto key = option.first.Scalar();
      if (key != "on" && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        check.error(option.first, "`" + key + "` is not an option of trigger " + trigger->name);
    }
  }
  const bool trigger_names_sku = flow.trigger.options.contains("sku_mention");

  for (const auto& condition : node["conditions"])
    if (auto since = condition["since_last_dm"])
      check.duration(since["at_least"], "since_last_dm.at_least");

  for (std::size_t i = 0; i < node["actions"].size(); ++i) {
    const YAML::Node item = node["actions"][i];
    const auto entry = item.begin();
    const auto name = entry->first.Scalar();
    const YAML::Node params = entry->second;
    flow.actions.push_back({name, yaml::to_json(params).as_object()});
    const auto* action = check.action(entry->first, name);
    if (!action) continue;
    if (!action->platform.empty()) platforms.insert(action->platform);
    auto action_variables = variables;
    if (params["product"] || trigger_names_sku)
      action_variables.insert(action_variables.end(), kProductVariables.begin(),
                              kProductVariables.end());
    if (name == "tiktok.send_dm" || name == "tiktok.reply_comment") {
      check.text_param(params, entry->first, name, "text", action_variables);
      if (auto product = params["product"]; product && (!product.IsMap() || !product["seller_sku"]))
        check.error(product, "`product` names its item as { seller_sku: … }");
    } else if (name == "contact.tag") {
      if (!params["add"] && !params["remove"])
        check.error(entry->first, "contact.tag needs `add` or `remove`");
    } else if (name == "wait") {
      check.duration(params["for"], "wait.for");
    }
    if (name == "tiktok.reply_comment" && trigger && trigger->name != "tiktok.comment")
      check.error(entry->first,
                  "tiktok.reply_comment replies to a comment: its trigger must be tiktok.comment");
  }
  platforms.erase("");
  flow.required_platforms.assign(platforms.begin(), platforms.end());
  if (result.diagnostics.empty()) result.flow = std::move(flow);
  return result;
}

std::vector<std::string> publish_warnings(
    const FlowDefinition& flow, const std::vector<std::string>& catalog_skus,
    const std::map<std::string, std::vector<std::string>>& granted_scopes,
    const Capabilities& capabilities) {
  std::vector<std::string> warnings;
  for (const auto& sku : flow.skus())
    if (std::find(catalog_skus.begin(), catalog_skus.end(), sku) == catalog_skus.end())
      warnings.push_back("SKU " + sku +
                         " is not in the synced catalog: the DM naming it will not be sent");
  auto missing = [&](const std::string& platform, const std::string& scope) {
    auto it = granted_scopes.find(platform);
    return it != granted_scopes.end() &&
           std::find(it->second.begin(), it->second.end(), scope) == it->second.end();
  };
  if (const auto* t = capabilities.trigger(flow.trigger.on); t && missing(t->platform, t->scope))
    warnings.push_back("trigger " + t->name + " needs scope " + t->scope +
                       ", which was not granted: it will not fire");
  for (const auto& a : flow.actions)
    if (const auto* info = capabilities.action(a.name);
        info && !info->scope.empty() && missing(info->platform, info->scope))
      warnings.push_back("action " + a.name + " needs scope " + info->scope +
                         ", which was not granted: it will be skipped");
  return warnings;
}

}  // namespace sparks::flows

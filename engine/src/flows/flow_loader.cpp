#include "flows/flow_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <tuple>

#include "util/suggestion.hpp"
#include "yaml/parse.hpp"
#include "yaml/schema.hpp"
#include "yaml/to_json.hpp"

namespace sparks::flows {

namespace {

constexpr std::string_view kSchema = "schemas/flow.schema.json";

// One `{{` in a template: where it starts in the text, the name between it and its `}}` (spaces
// around the name dropped), and whether a `}}` closes it at all.
struct Placeholder {
  std::size_t at = 0;
  std::string name;
  bool closed = false;
};

std::vector<Placeholder> placeholders(std::string_view text) {
  std::vector<Placeholder> out;
  for (auto open = text.find("{{"); open != std::string_view::npos;) {
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.push_back({open, "", false});
      break;
    }
    auto name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.push_back({open, std::string(name), true});
    open = text.find("{{", close + 2);
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// " (did you mean 'x'?)" when one known name is close to `name`, else " (known: a, b, c)".
std::string hint(std::string_view name, const std::vector<std::string>& known,
                 std::string_view known_label = "known") {
  if (auto suggestion = did_you_mean(name, known); !suggestion.empty()) return suggestion;
  return " (" + std::string(known_label) + ": " + joined(known) + ")";
}

// "HH:MM", 00:00 to 23:59 → minutes since midnight.
std::optional<int> minutes_of_day(std::string_view text) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return std::nullopt;
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

// Does `value` have the JSON type a descriptor names ("string", "integer", …)?
bool has_type(const boost::json::value& value, std::string_view type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_int64() || value.is_uint64();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_bool();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  return true;
}

// "a whole number", "true or false", …: what a value of a descriptor's type is, for messages.
std::string type_phrase(std::string_view type) {
  if (type == "integer") return "a whole number";
  if (type == "number") return "a number";
  if (type == "boolean") return "true or false";
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  return "text";
}

// What an action that answers a kind of trigger does, for the message saying it cannot follow
// another kind.
std::string answering(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::comment:
      return "replies to a comment";
    case TriggerKind::message:
      return "answers a message";
    case TriggerKind::order:
      return "is about an order";
    case TriggerKind::other:
      break;
  }
  return "answers its trigger";
}

std::string one_of(const std::vector<std::string>& names, TriggerKind kind) {
  if (names.empty()) return "a " + std::string(kind_name(kind)) + " trigger";
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : " or ") + name;
  return out;
}

// What a schema cannot say, checked with the YAML nodes at hand so that each problem points at its
// line and column.
class Checker {
 public:
  Checker(const std::string& file, std::string_view text, const Capabilities& capabilities,
          Diagnostics& out)
      : file_(file), text_(text), capabilities_(capabilities), out_(out) {
    for (const auto& t : capabilities.triggers) trigger_names_.push_back(t.name);
    for (const auto& a : capabilities.actions) action_names_.push_back(a.name);
  }

  void error(const YAML::Mark& at, std::string message) {
    out_.push_back(yaml::diagnostic_at(file_, at, std::move(message)));
  }
  void error(const YAML::Node& at, std::string message) { error(at.Mark(), std::move(message)); }

  // Where to point at a value: the value itself, or its key when the value is empty (an empty value
  // has no position of its own).
  static YAML::Mark where(const YAML::Node& key, const YAML::Node& value) {
    if (value && !value.IsNull() && !value.Mark().is_null()) return value.Mark();
    return key.Mark();
  }

  // `on` is the node of the trigger's name.
  const TriggerInfo* trigger(const YAML::Node& on, const std::string& name) {
    const auto* info = capabilities_.trigger(name);
    if (!info) {
      error(on, "unknown trigger '" + name + "'" +
                    (trigger_names_.empty() ? " (no loaded plugin declares a trigger)"
                                            : hint(name, trigger_names_)));
      return nullptr;
    }
    if (!capabilities_.installed(info->platform))
      error(on, "trigger '" + name + "' needs the " + info->platform +
                    " connector, which is not installed");
    return info;
  }

  // The options a trigger takes are those of its kind.
  void trigger_options_of(const YAML::Node& trigger, const TriggerInfo& info) {
    const auto& allowed = trigger_options(info.kind);
    for (const auto& option : trigger) {
      const auto key = option.first.Scalar();
      if (key == "on" || contains(allowed, key)) continue;
      error(option.first, "`" + key + "` is not an option of trigger " + info.name +
                              (allowed.empty() ? std::string(" (it takes none)")
                                               : " (it takes: " + joined(allowed) + ")"));
    }
  }

  void condition(const YAML::Node& item) {
    for (const auto& entry : item) {
      const auto key = entry.first.Scalar();
      const YAML::Node spec = entry.second;
      if (key == "since_last_dm") {
        duration(entry.first, spec["at_least"], "since_last_dm.at_least");
      } else if (key == "time_of_day") {
        const YAML::Node between = spec["between"];
        std::optional<int> ends[2];
        for (std::size_t i = 0; i < 2 && i < between.size(); ++i) {
          ends[i] = minutes_of_day(between[i].Scalar());
          if (!ends[i])
            error(between[i],
                  "time_of_day.between wants times of day as HH:MM, 00:00 to 23:59, "
                  "not '" +
                      between[i].Scalar() + "'");
        }
        if (ends[0] && ends[1] && *ends[0] == *ends[1])
          error(between,
                "time_of_day.between starts and ends at the same time: the flow would "
                "never run");
      }
    }
  }

  // `key` is the action's name node, `params` its mapping.
  const ActionInfo* action(const YAML::Node& key, const std::string& name) {
    const auto* info = capabilities_.action(name);
    if (!info) {
      error(key, "unknown action '" + name + "'" + hint(name, action_names_));
      return nullptr;
    }
    if (!capabilities_.installed(info->platform))
      error(key, "action '" + name + "' needs the " + info->platform +
                     " connector, which is not installed");
    return info;
  }

  // The parameters of an action; `variables` are the template variables offered to it (empty
  // when the trigger is unknown, which is reported already).
  void action_params_of(const YAML::Node& key, const YAML::Node& params,
                        const boost::json::object& json, const ActionInfo& info,
                        const std::vector<std::string>& variables) {
    std::vector<std::string> known;
    for (const auto& p : info.params) known.push_back(p.name);
    if (!info.is_engine()) {  // the engine's, for any plugin action
      known.push_back("product");
      known.push_back("otherwise");
    }
    for (const auto& param : params) {
      const auto param_name = param.first.Scalar();
      if (!contains(known, param_name))
        error(param.first, "`" + param_name + "` is not a parameter of " + info.name +
                               hint(param_name, known, "it takes"));
    }

    if (info.name == "contact.tag") {
      if (!params["add"] && !params["remove"])
        error(key, "contact.tag needs `add` or `remove`: a tag or a list of tags");
      for (const char* which : {"add", "remove"})
        if (const YAML::Node tags = params[which]) tag_list(key, tags, json.at(which), which);
    } else if (info.name == "wait") {
      duration(key, params["for"], "wait.for");
    } else {
      for (const auto& p : info.params) plugin_param(key, params, json, info.name, p, variables);
      if (const YAML::Node product = params["product"]) product_param(key, product, json);
    }
  }

  void duration(const YAML::Node& key, const YAML::Node& value, const std::string& what) {
    if (!value || value.IsNull())
      return error(key, what + " is missing: a duration such as 30s, 10m, 24h or 7d");
    if (!value.IsScalar() || !parse_duration(value.Scalar()))
      error(where(key, value), what + " wants a duration such as 30s, 10m, 24h or 7d" +
                                   (value.IsScalar() ? ", not '" + value.Scalar() + "'" : ""));
  }

 private:
  // A parameter a plugin declares: present unless the engine can fill it, of its type, and as a
  // text a template over the variables offered.
  void plugin_param(const YAML::Node& key, const YAML::Node& params,
                    const boost::json::object& json, const std::string& action,
                    const ActionParam& param, const std::vector<std::string>& variables) {
    const YAML::Node node = params[param.name];
    const auto* value = json.if_contains(param.name);
    if (!node || !value || value->is_null()) {
      if (param.required && !param.default_value)
        error(key, action + " needs `" + param.name + "`" +
                       (param.description.empty() ? std::string() : ": " + param.description));
      return;
    }
    const std::string what = action + "." + param.name;
    if (param.type != "string") {
      if (!has_type(*value, param.type)) error(node, what + " must be " + type_phrase(param.type));
      return;
    }
    if (!value->is_string()) return error(node, what + " must be text (put it in quotes)");
    if (param.required && value->get_string().empty()) return error(node, what + " is empty");
    template_of(node, variables);
  }

  void template_of(const YAML::Node& text, const std::vector<std::string>& variables) {
    const auto found = placeholders(text.Scalar());
    for (std::size_t i = 0; i < found.size(); ++i) {
      const Placeholder& p = found[i];
      if (!p.closed) {
        error(placeholder_mark(text, i), "`{{` without a closing `}}`");
      } else if (p.name.empty()) {
        error(placeholder_mark(text, i), "`{{}}` names no variable");
      } else if (!variables.empty() && !contains(variables, p.name)) {
        std::string message = "{{" + p.name + "}} is not a variable of this trigger";
        if (contains(kProductVariables, p.name))
          message +=
              ": product variables need `product: { seller_sku: … }` on the action, or "
              "`sku_mention: true` on a comment trigger";
        else
          message += hint(p.name, variables, "it has");
        error(placeholder_mark(text, i), std::move(message));
      }
    }
  }

  void product_param(const YAML::Node& key, const YAML::Node& product,
                     const boost::json::object& json) {
    const YAML::Mark at = product.IsNull() ? key.Mark() : product.Mark();
    if (!product.IsMap() || !product["seller_sku"])
      return error(at, "`product` names its item as { seller_sku: … }");
    for (const auto& entry : product)
      if (entry.first.Scalar() != "seller_sku")
        error(entry.first,
              "`" + entry.first.Scalar() + "` is not a key of `product` (it takes: seller_sku)");
    const auto& sku = json.at("product").as_object().at("seller_sku");
    const YAML::Node sku_node = product["seller_sku"];
    if (!sku.is_string() || sku.get_string().empty())
      error(sku_node.IsNull() ? product.Mark() : sku_node.Mark(),
            "product.seller_sku must be a SKU of the catalog, as text (put it in quotes)");
  }

  void tag_list(const YAML::Node& key, const YAML::Node& tags, const boost::json::value& json,
                const char* which) {
    const std::string what = std::string("contact.tag.") + which;
    const auto is_tag = [](const boost::json::value& v) {
      return v.is_string() && !v.get_string().empty();
    };
    if (json.is_array()) {
      if (json.get_array().empty()) return error(tags, what + " is an empty list");
      for (std::size_t i = 0; i < json.get_array().size(); ++i)
        if (!is_tag(json.get_array()[i]))
          error(tags[i], what + " wants tags as text (put it in quotes)");
    } else if (!is_tag(json)) {
      error(where(key, tags), what + " wants a tag or a list of tags, as text");
    }
  }

  // The position of the `index`th `{{` of the scalar `node`, found in the source text from where
  // the scalar starts (its text in the file has the same `{{` in the same order); the scalar's own
  // position when the source cannot be followed.
  YAML::Mark placeholder_mark(const YAML::Node& node, std::size_t index) const {
    const YAML::Mark start = node.Mark();
    if (start.is_null()) return start;
    std::size_t offset = 0;
    for (int line = 0; line < start.line; ++line) {
      offset = text_.find('\n', offset);
      if (offset == std::string_view::npos) return start;
      ++offset;
    }
    offset += static_cast<std::size_t>(start.column);
    if (offset > text_.size()) return start;
    const auto found = placeholders(text_.substr(offset));
    if (index >= found.size()) return start;
    YAML::Mark mark = start;
    for (std::size_t i = offset; i < offset + found[index].at; ++i) {
      if (text_[i] == '\n') {
        ++mark.line;
        mark.column = 0;
      } else {
        ++mark.column;
      }
    }
    return mark;
  }

  const std::string& file_;
  std::string_view text_;
  const Capabilities& capabilities_;
  Diagnostics& out_;
  std::vector<std::string> trigger_names_, action_names_;
};

bool is_true(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_bool() && value->get_bool();
}

}  // namespace

std::vector<std::string> template_variables(std::string_view text) {
  std::vector<std::string> out;
  for (auto& p : placeholders(text))
    if (p.closed) out.push_back(std::move(p.name));
  return out;
}

std::string render_template(std::string_view text, const boost::json::object& variables) {
  std::string out;
  std::size_t at = 0;
  for (const Placeholder& p : placeholders(text)) {
    if (!p.closed) break;
    out += text.substr(at, p.at - at);
    at = text.find("}}", p.at + 2) + 2;
    std::string name = p.name;
    std::erase(name, ' ');
    // Walk "a.b.c" down the objects; anything missing renders as nothing.
    const boost::json::value* value = nullptr;
    const boost::json::object* scope = &variables;
    for (std::size_t start = 0; scope;) {
      const auto dot = name.find('.', start);
      value = scope->if_contains(name.substr(start, dot - start));
      if (dot == std::string::npos || !value) break;
      scope = value->is_object() ? &value->get_object() : nullptr;
      if (!scope) value = nullptr;  // "a.b" where a is not an object
      start = dot + 1;
    }
    if (!value || value->is_null() || value->is_object()) continue;
    if (value->is_string()) {
      out += value->get_string();
    } else if (value->is_array()) {
      std::string list;
      for (const auto& item : value->get_array())
        if (item.is_string()) list += (list.empty() ? "" : ", ") + std::string(item.get_string());
      out += list;
    } else {
      out += boost::json::serialize(*value);
    }
  }
  out += text.substr(at);
  return out;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9' || n > 100'000'000) return std::nullopt;  // ~3 years in seconds, x 86400
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
  // Past the schema the document has the expected shape, which the reading below relies on.
  result.diagnostics = yaml::validate_yaml(file_name, parsed.root, kSchema);
  if (!result.diagnostics.empty()) return result;

  const YAML::Node node = parsed.root["flow"];
  const auto json = yaml::to_json(node).as_object();
  Checker check(file_name, text, capabilities, result.diagnostics);

  FlowDefinition flow;
  flow.id = json.at("id").as_string();
  flow.name = json.at("name").as_string();
  if (const auto* p = json.if_contains("priority"))
    flow.priority = static_cast<int>(p->to_number<std::int64_t>());
  flow.draft_only = json.contains("status");  // the schema allows only `draft`
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
    flow.trigger.kind = trigger->kind;
    check.trigger_options_of(node["trigger"], *trigger);
  }
  // A comment that names a SKU brings its product to every action.
  const bool trigger_names_product = is_true(flow.trigger.options, "sku_mention");

  for (const auto& condition : node["conditions"]) check.condition(condition);

  // One action: its name, parameters and templates, and whether it may follow the trigger; then
  // its `otherwise:` step (one level: an otherwise has none of its own).
  auto check_action = [&](const YAML::Node& key, const YAML::Node& params_node,
                          const boost::json::object& params, bool in_otherwise,
                          auto& self) -> void {
    const auto name = key.Scalar();
    const auto* action = check.action(key, name);
    if (!action) return;
    platforms.insert(action->platform);
    auto offered = variables;
    if (!offered.empty() && (params_node["product"] || trigger_names_product))
      offered.insert(offered.end(), kProductVariables.begin(), kProductVariables.end());
    if (!offered.empty() && action->kind == ActionKind::message)
      offered.emplace_back(kAttributionCodeVariable);
    check.action_params_of(key, params_node, params, *action, offered);
    if (action->answers && trigger && trigger->kind != *action->answers)
      check.error(key, name + " " + answering(*action->answers) + ": its trigger must be " +
                           one_of(capabilities.triggers_of_kind(*action->answers, action->platform),
                                  *action->answers));
    const YAML::Node otherwise = params_node["otherwise"];
    auto warn = [&](const std::string& message) {
      result.warnings.push_back(yaml::diagnostic_at(file_name, key.Mark(), message));
      result.warnings.back().warning = true;
    };
    if (auto warning = messaging_window_warning(trigger, *action, bool(otherwise))) warn(*warning);
    for (const auto& limit : capabilities.account_limits)
      if (limit.action == name)
        warn(name + " is unavailable for workspace " + limit.workspace + "'s " + limit.platform +
             " account " + limit.account + ": " + limit.reason +
             (otherwise ? "; its otherwise step runs instead" : "; the step will be skipped"));
    if (!otherwise) return;
    if (in_otherwise)
      return check.error(otherwise, "an `otherwise` step cannot have an `otherwise` of its own");
    const auto* otherwise_json = params.if_contains("otherwise");
    if (!otherwise.IsMap() || otherwise.size() != 1 || !otherwise_json ||
        !otherwise_json->is_object() || !otherwise.begin()->second.IsMap())
      return check.error(otherwise,
                         "`otherwise` names one step to run instead, as `action: {params}`");
    self(otherwise.begin()->first, otherwise.begin()->second,
         otherwise_json->get_object().begin()->value().as_object(), true, self);
  };
  const auto& actions_json = json.at("actions").as_array();
  for (std::size_t i = 0; i < node["actions"].size(); ++i) {
    const YAML::Node item = node["actions"][i];
    const auto entry = item.begin();  // the schema makes each item one `name: {params}` pair
    const auto& params = actions_json[i].as_object().begin()->value().as_object();
    flow.actions.push_back({entry->first.Scalar(), params});
    check_action(entry->first, entry->second, params, false, check_action);
  }
  platforms.erase("");
  flow.required_platforms.assign(platforms.begin(), platforms.end());

  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (result.diagnostics.empty()) result.flow = std::move(flow);
  return result;
}

std::optional<std::string> messaging_window_warning(const TriggerInfo* trigger,
                                                    const ActionInfo& action, bool has_otherwise) {
  if (!trigger || action.kind != ActionKind::message || action.window.hours <= 0 || has_otherwise)
    return std::nullopt;
  if (trigger->kind == TriggerKind::message) return std::nullopt;  // they just wrote
  if (!trigger->reply_field.empty() && !action.window.reply_param.empty())
    return std::nullopt;  // the platform grants this event one reply
  std::string message = action.name + " after " + trigger->name +
                        " reaches the person only if they wrote to the account in the last " +
                        std::to_string(action.window.hours) +
                        " h (the platform lets a business message only people who wrote to it)";
  return message + "; otherwise it is skipped: add `otherwise:` to answer another way";
}

std::vector<std::string> publish_warnings(
    const FlowDefinition& flow, const std::vector<std::string>& catalog_skus,
    const std::map<std::string, std::vector<std::string>>& granted_scopes,
    const Capabilities& capabilities) {
  std::vector<std::string> warnings;
  for (const auto& sku : flow.skus())
    if (!contains(catalog_skus, sku))
      warnings.push_back("SKU " + sku +
                         " is not in the synced catalog: the DM naming it will not be sent");
  if (is_true(flow.trigger.options, "sku_mention") && catalog_skus.empty())
    warnings.push_back(
        "the synced catalog has no SKU: no comment can name one, so sku_mention never fires");
  // A platform with no entry is not connected; the caller says so (the flow waits for it).
  auto missing = [&](const std::string& platform, const std::string& scope) {
    auto it = granted_scopes.find(platform);
    return !scope.empty() && it != granted_scopes.end() && !contains(it->second, scope);
  };
  if (const auto* t = capabilities.trigger(flow.trigger.on); t && missing(t->platform, t->scope))
    warnings.push_back("trigger " + t->name + " needs scope " + t->scope +
                       ", which was not granted: it will not fire");
  std::set<std::string> named;
  for (const auto& a : flow.actions)
    if (const auto* info = capabilities.action(a.name);
        info && missing(info->platform, info->scope) && named.insert(a.name).second)
      warnings.push_back("action " + a.name + " needs scope " + info->scope +
                         ", which was not granted: it will be skipped");
  return warnings;
}

}  // namespace sparks::flows

#include "plugins/descriptor.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstring>

#include "plugins/abi_text.hpp"

namespace sparks::plugins {
namespace {

// The size of the descriptor in ABI 1.0: every member up to and including action_count.
constexpr std::size_t kDescriptorSizeV1 =
    offsetof(sparks_plugin_descriptor_t, action_count) + sizeof(std::size_t);

// Where the members added in ABI 1.1 end: each pair is read only from a descriptor this long.
constexpr std::size_t kFlowTriggersEnd =
    offsetof(sparks_plugin_descriptor_t, flow_trigger_count) + sizeof(std::size_t);
constexpr std::size_t kFlowActionsEnd =
    offsetof(sparks_plugin_descriptor_t, flow_action_count) + sizeof(std::size_t);
constexpr std::size_t kSyncsEnd =
    offsetof(sparks_plugin_descriptor_t, sync_count) + sizeof(std::size_t);
constexpr std::size_t kRateLimitsEnd =
    offsetof(sparks_plugin_descriptor_t, rate_limit_count) + sizeof(std::size_t);

// The smallest struct_size each growing struct may have: its size in the ABI that introduced it.
template <typename T>
constexpr std::size_t kFirstSize = sizeof(T);
template <>
constexpr std::size_t kFirstSize<sparks_flow_trigger_t> = offsetof(sparks_flow_trigger_t,
                                                                   reply_field);
template <>
constexpr std::size_t kFirstSize<sparks_flow_action_t> = offsetof(sparks_flow_action_t,
                                                                  window_hours);
template <typename T>
constexpr const char* kFirstAbi = "ABI 1.1's";
template <>
constexpr const char* kFirstAbi<sparks_rate_limit_t> = "ABI 1.2's";

std::optional<std::string> trigger_kind_name(sparks_trigger_kind_t kind) {
  switch (kind) {
    case SPARKS_TRIGGER_OTHER:
      return "other";
    case SPARKS_TRIGGER_COMMENT:
      return "comment";
    case SPARKS_TRIGGER_MESSAGE:
      return "message";
    case SPARKS_TRIGGER_ORDER:
      return "order";
  }
  return std::nullopt;
}

std::optional<std::string> action_kind_name(sparks_action_kind_t kind) {
  switch (kind) {
    case SPARKS_ACTION_OTHER:
      return "other";
    case SPARKS_ACTION_MESSAGE:
      return "message";
  }
  return std::nullopt;
}

std::optional<std::string> sync_kind_name(sparks_sync_kind_t kind) {
  switch (kind) {
    case SPARKS_SYNC_PRODUCTS:
      return "products";
    case SPARKS_SYNC_POSTS:
      return "posts";
    case SPARKS_SYNC_COMMENTS:
      return "comments";
    case SPARKS_SYNC_ORDERS:
      return "orders";
  }
  return std::nullopt;
}

OperationInfo* named(std::vector<OperationInfo>& operations, std::string_view name) {
  for (OperationInfo& op : operations)
    if (op.name == name) return &op;
  return nullptr;
}

// Reads the plugin's C structs; the first problem found is kept in `error` and stops the copy.
class Reader {
 public:
  std::string error;

  bool text(sparks_str_t value, std::size_t limit, const std::string& where, std::string& out) {
    CheckedText checked = check_text(value, limit);
    if (!checked.ok()) return fail(where + " " + checked.error);
    out.assign(checked.text);
    return true;
  }

  template <typename T>
  bool array(const T* items, std::size_t count, const std::string& where) {
    if (count > kMaxArrayItems)
      return fail(where + " has " + std::to_string(count) + " entries (limit " +
                  std::to_string(kMaxArrayItems) + ")");
    if (count > 0 && items == nullptr)
      return fail(where + " has " + std::to_string(count) + " entries but no data");
    return true;
  }

  bool params(const sparks_param_t* items, std::size_t count, const std::string& where,
              std::vector<ParamInfo>& out) {
    if (!array(items, count, where)) return false;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      ParamInfo& param = out.emplace_back();
      if (!text(items[i].name, kMaxNameSize, at + ".name", param.name)) return false;
      if (!text(items[i].description, kMaxTextSize, at + ".description", param.description))
        return false;
      switch (items[i].type) {
        case SPARKS_PARAM_STRING:
          param.type = "string";
          break;
        case SPARKS_PARAM_INTEGER:
          param.type = "integer";
          break;
        case SPARKS_PARAM_NUMBER:
          param.type = "number";
          break;
        case SPARKS_PARAM_BOOLEAN:
          param.type = "boolean";
          break;
        case SPARKS_PARAM_OBJECT:
          param.type = "object";
          break;
        case SPARKS_PARAM_ARRAY:
          param.type = "array";
          break;
        default:
          return fail(at + ".type " + std::to_string(items[i].type) + " is not a type");
      }
      param.required = items[i].required != 0;
    }
    return true;
  }

  bool operations(const sparks_operation_t* items, std::size_t count, const std::string& where,
                  std::vector<OperationInfo>& out) {
    if (!array(items, count, where)) return false;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      OperationInfo& op = out.emplace_back();
      if (!text(items[i].name, kMaxNameSize, at + ".name", op.name) ||
          !text(items[i].description, kMaxTextSize, at + ".description", op.description) ||
          !params(items[i].params, items[i].param_count, at + ".params", op.params))
        return false;
    }
    return true;
  }

  bool names(const sparks_str_t* items, std::size_t count, const std::string& where,
             std::vector<std::string>& out) {
    if (!array(items, count, where)) return false;
    for (std::size_t i = 0; i < count; ++i)
      if (!text(items[i], kMaxNameSize, where + "[" + std::to_string(i) + "]", out.emplace_back()))
        return false;
    return true;
  }

  // The ABI 1.1 trigger structs, merged into the triggers they name.
  bool flow_triggers(const sparks_flow_trigger_t* const* items, std::size_t count,
                     std::vector<OperationInfo>& triggers) {
    if (!array(items, count, "flow_triggers")) return false;
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = "flow_triggers[" + std::to_string(i) + "]";
      sparks_flow_trigger_t item{};
      if (!grown(items[i], at, item)) return false;
      OperationInfo* trigger = described(item.name, at, "triggers", triggers, seen);
      if (trigger == nullptr) return false;
      const auto kind = trigger_kind_name(item.kind);
      if (!kind) return fail(at + ".kind " + std::to_string(item.kind) + " is not a trigger kind");
      trigger->kind = *kind;
      if (!array(item.variables, item.variable_count, at + ".variables")) return false;
      for (std::size_t v = 0; v < item.variable_count; ++v) {
        const std::string where = at + ".variables[" + std::to_string(v) + "]";
        VariableInfo& variable = trigger->variables.emplace_back();
        if (!text(item.variables[v].name, kMaxNameSize, where + ".name", variable.name) ||
            !text(item.variables[v].field, kMaxNameSize, where + ".field", variable.field) ||
            !text(item.variables[v].description, kMaxTextSize, where + ".description",
                  variable.description))
          return false;
      }
      if (!text(item.reply_field, kMaxNameSize, at + ".reply_field", trigger->reply_field))
        return false;
    }
    return true;
  }

  // The ABI 1.1 action structs, merged into the actions they name.
  bool flow_actions(const sparks_flow_action_t* const* items, std::size_t count,
                    std::vector<OperationInfo>& actions) {
    if (!array(items, count, "flow_actions")) return false;
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = "flow_actions[" + std::to_string(i) + "]";
      sparks_flow_action_t item{};
      if (!grown(items[i], at, item)) return false;
      OperationInfo* action = described(item.name, at, "actions", actions, seen);
      if (action == nullptr) return false;
      const auto kind = action_kind_name(item.kind);
      if (!kind) return fail(at + ".kind " + std::to_string(item.kind) + " is not an action kind");
      action->kind = *kind;
      const auto answers = trigger_kind_name(item.answers);
      if (!answers)
        return fail(at + ".answers " + std::to_string(item.answers) + " is not a trigger kind");
      action->answers = item.answers == SPARKS_TRIGGER_OTHER ? "any" : *answers;
      if (!array(item.defaults, item.default_count, at + ".defaults")) return false;
      for (std::size_t d = 0; d < item.default_count; ++d) {
        const std::string where = at + ".defaults[" + std::to_string(d) + "]";
        std::string param, value;
        if (!text(item.defaults[d].param, kMaxNameSize, where + ".param", param) ||
            !text(item.defaults[d].value, kMaxTextSize, where + ".value", value))
          return false;
        auto p = std::find_if(action->params.begin(), action->params.end(),
                              [&](const ParamInfo& known) { return known.name == param; });
        if (p == action->params.end())
          return fail(where + ".param '" + param + "' is not a parameter of " + action->name);
        if (!p->default_value.empty())
          return fail(where + ".param '" + param + "' has a default already");
        p->default_value = std::move(value);
      }
      action->window.hours = item.window_hours;
      action->window.messages = item.window_messages;
      if (!text(item.conversation_param, kMaxNameSize, at + ".conversation_param",
                action->window.conversation_param) ||
          !text(item.reply_param, kMaxNameSize, at + ".reply_param", action->window.reply_param))
        return false;
    }
    return true;
  }

  bool rate_limits(const sparks_rate_limit_t* const* items, std::size_t count,
                   std::vector<RateLimitInfo>& out) {
    if (!array(items, count, "rate_limits")) return false;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = "rate_limits[" + std::to_string(i) + "]";
      sparks_rate_limit_t item{};
      if (!grown(items[i], at, item)) return false;
      if (item.scope != SPARKS_RATE_PER_APP && item.scope != SPARKS_RATE_PER_ACCOUNT)
        return fail(at + ".scope " + std::to_string(item.scope) + " is not a rate scope");
      if (item.requests == 0 || item.window_seconds == 0)
        return fail(at + " allows no request (requests and window_seconds must be positive)");
      RateLimitInfo& limit = out.emplace_back();
      limit.per_account = item.scope == SPARKS_RATE_PER_ACCOUNT;
      limit.per_endpoint = item.per_endpoint != 0;
      limit.requests = item.requests;
      limit.window_seconds = item.window_seconds;
      if (!text(item.path_prefix, kMaxTextSize, at + ".path_prefix", limit.path_prefix))
        return false;
    }
    return true;
  }

  bool syncs(const sparks_sync_t* const* items, std::size_t count, std::vector<SyncInfo>& out) {
    if (!array(items, count, "syncs")) return false;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = "syncs[" + std::to_string(i) + "]";
      sparks_sync_t item{};
      if (!grown(items[i], at, item)) return false;
      SyncInfo& sync = out.emplace_back();
      const auto kind = sync_kind_name(item.kind);
      if (!kind) return fail(at + ".kind " + std::to_string(item.kind) + " is not a sync kind");
      sync.kind = *kind;
      if (!text(item.what, kMaxNameSize, at + ".what", sync.what) ||
          !text(item.scope, kMaxNameSize, at + ".scope", sync.scope))
        return false;
    }
    return true;
  }

  bool scopes(const sparks_scope_t* items, std::size_t count, std::vector<ScopeInfo>& out) {
    if (!array(items, count, "scopes")) return false;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string at = "scopes[" + std::to_string(i) + "]";
      ScopeInfo& scope = out.emplace_back();
      if (!text(items[i].name, kMaxNameSize, at + ".name", scope.name) ||
          !text(items[i].description, kMaxTextSize, at + ".description", scope.description) ||
          !names(items[i].enables, items[i].enables_count, at + ".enables", scope.enables))
        return false;
      scope.required = items[i].required != 0;
    }
    return true;
  }

 private:
  bool fail(std::string message) {
    error = std::move(message);
    return false;
  }

  // Copies a struct that starts with struct_size and grows at its end: the members both sides
  // know are read, newer ones the plugin has are left alone.
  template <typename T>
  bool grown(const T* item, const std::string& where, T& out) {
    if (item == nullptr) return fail(where + " is NULL");
    if (item->struct_size < kFirstSize<T>)
      return fail(where + " struct_size " + std::to_string(item->struct_size) +
                  " is smaller than " + kFirstAbi<T> + " " + std::to_string(kFirstSize<T>));
    // Members the plugin's (older) struct does not have stay zero: absent.
    out = T{};
    std::memcpy(&out, item, std::min(item->struct_size, sizeof(T)));
    return true;
  }

  // The operation `name` describes, once.
  OperationInfo* described(sparks_str_t name, const std::string& where, const char* list,
                           std::vector<OperationInfo>& operations, std::vector<std::string>& seen) {
    std::string text_name;
    if (!text(name, kMaxNameSize, where + ".name", text_name)) return nullptr;
    OperationInfo* op = named(operations, text_name);
    if (op == nullptr) {
      fail(where + ".name '" + text_name + "' is not one of the descriptor's " + list);
      return nullptr;
    }
    if (std::find(seen.begin(), seen.end(), text_name) != seen.end()) {
      fail(where + ".name '" + text_name + "' is described twice");
      return nullptr;
    }
    seen.push_back(text_name);
    return op;
  }
};

boost::json::array params_json(const std::vector<ParamInfo>& params) {
  boost::json::array out;
  for (const ParamInfo& p : params) {
    boost::json::object param{{"name", p.name},
                              {"type", p.type},
                              {"required", p.required},
                              {"description", p.description}};
    if (!p.default_value.empty()) param["default"] = p.default_value;
    out.push_back(std::move(param));
  }
  return out;
}

boost::json::array triggers_json(const std::vector<OperationInfo>& triggers) {
  boost::json::array out;
  for (const OperationInfo& t : triggers) {
    boost::json::array variables;
    for (const VariableInfo& v : t.variables)
      variables.push_back(boost::json::object{
          {"name", v.name}, {"field", v.field}, {"description", v.description}});
    boost::json::object trigger{{"name", t.name},
                                {"description", t.description},
                                {"params", params_json(t.params)},
                                {"kind", t.kind},
                                {"variables", std::move(variables)}};
    if (!t.reply_field.empty()) trigger["reply_field"] = t.reply_field;
    out.push_back(std::move(trigger));
  }
  return out;
}

boost::json::array actions_json(const std::vector<OperationInfo>& actions) {
  boost::json::array out;
  for (const OperationInfo& a : actions) {
    boost::json::object action{{"name", a.name},
                               {"description", a.description},
                               {"params", params_json(a.params)},
                               {"kind", a.kind},
                               {"answers", a.answers}};
    if (a.window.hours > 0)
      action["window"] = boost::json::object{{"hours", std::int64_t{a.window.hours}},
                                             {"messages", std::int64_t{a.window.messages}},
                                             {"conversation_param", a.window.conversation_param},
                                             {"reply_param", a.window.reply_param}};
    out.push_back(std::move(action));
  }
  return out;
}

boost::json::array syncs_json(const std::vector<SyncInfo>& syncs) {
  boost::json::array out;
  for (const SyncInfo& s : syncs)
    out.push_back(boost::json::object{{"what", s.what}, {"kind", s.kind}, {"scope", s.scope}});
  return out;
}

boost::json::array rate_limits_json(const std::vector<RateLimitInfo>& limits) {
  boost::json::array out;
  for (const RateLimitInfo& r : limits)
    out.push_back(boost::json::object{{"per", r.per_account ? "account" : "app"},
                                      {"per_endpoint", r.per_endpoint},
                                      {"requests", std::int64_t{r.requests}},
                                      {"window_seconds", std::int64_t{r.window_seconds}},
                                      {"path_prefix", r.path_prefix}});
  return out;
}

boost::json::array strings_json(const std::vector<std::string>& names) {
  boost::json::array out;
  for (const std::string& name : names) out.push_back(boost::json::string(name));
  return out;
}

}  // namespace

bool PluginDescriptor::declares_trigger(std::string_view name) const {
  return std::find(lifecycle_triggers.begin(), lifecycle_triggers.end(), name) !=
             lifecycle_triggers.end() ||
         std::any_of(triggers.begin(), triggers.end(),
                     [&](const OperationInfo& t) { return t.name == name; });
}

bool PluginDescriptor::declares_action(std::string_view name) const {
  return std::any_of(actions.begin(), actions.end(),
                     [&](const OperationInfo& a) { return a.name == name; });
}

const SyncInfo* PluginDescriptor::sync_of_kind(std::string_view kind) const {
  for (const SyncInfo& sync : syncs)
    if (sync.kind == kind) return &sync;
  return nullptr;
}

DescriptorCopy copy_descriptor(const sparks_plugin_descriptor_t* source) {
  DescriptorCopy result;
  if (source == nullptr) {
    result.error = "init returned no descriptor";
    return result;
  }
  if (source->struct_size < kDescriptorSizeV1) {
    result.error = "descriptor struct_size " + std::to_string(source->struct_size) +
                   " is smaller than ABI 1.0's " + std::to_string(kDescriptorSizeV1);
    return result;
  }
  PluginDescriptor copy;
  Reader read;
  bool ok = read.text(source->platform_id, kMaxNameSize, "platform_id", copy.platform_id) &&
            read.text(source->display_name, kMaxNameSize, "display_name", copy.display_name) &&
            read.text(source->version, kMaxNameSize, "version", copy.version) &&
            read.scopes(source->scopes, source->scope_count, copy.scopes) &&
            read.names(source->lifecycle_triggers, source->lifecycle_trigger_count,
                       "lifecycle_triggers", copy.lifecycle_triggers) &&
            read.operations(source->triggers, source->trigger_count, "triggers", copy.triggers) &&
            read.operations(source->actions, source->action_count, "actions", copy.actions);
  // Members added in later minor versions are read only when struct_size covers them.
  const std::size_t size = source->struct_size;
  if (ok && size >= kFlowTriggersEnd)
    ok = read.flow_triggers(source->flow_triggers, source->flow_trigger_count, copy.triggers);
  if (ok && size >= kFlowActionsEnd)
    ok = read.flow_actions(source->flow_actions, source->flow_action_count, copy.actions);
  if (ok && size >= kSyncsEnd) ok = read.syncs(source->syncs, source->sync_count, copy.syncs);
  if (ok && size >= kRateLimitsEnd)
    ok = read.rate_limits(source->rate_limits, source->rate_limit_count, copy.rate_limits);
  if (!ok) {
    result.error = std::move(read.error);
    return result;
  }
  result.descriptor = std::move(copy);
  return result;
}

boost::json::value to_manifest_json(const PluginDescriptor& d) {
  boost::json::array scopes;
  for (const ScopeInfo& s : d.scopes)
    scopes.push_back(boost::json::object{{"name", s.name},
                                         {"description", s.description},
                                         {"required", s.required},
                                         {"enables", strings_json(s.enables)}});
  return boost::json::object{
      {"plugin", boost::json::object{{"platform", d.platform_id},
                                     {"display_name", d.display_name},
                                     {"version", d.version},
                                     {"scopes", std::move(scopes)},
                                     {"lifecycle_triggers", strings_json(d.lifecycle_triggers)},
                                     {"triggers", triggers_json(d.triggers)},
                                     {"actions", actions_json(d.actions)},
                                     {"syncs", syncs_json(d.syncs)},
                                     {"rate_limits", rate_limits_json(d.rate_limits)}}}};
}

}  // namespace sparks::plugins

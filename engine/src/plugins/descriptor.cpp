#include "plugins/descriptor.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "plugins/abi_text.hpp"

namespace sparks::plugins {
namespace {

// The size of the descriptor in ABI 1.0: every member up to and including action_count.
constexpr std::size_t kDescriptorSizeV1 =
    offsetof(sparks_plugin_descriptor_t, action_count) + sizeof(std::size_t);

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
};

boost::json::array params_json(const std::vector<ParamInfo>& params) {
  boost::json::array out;
  for (const ParamInfo& p : params)
    out.push_back(boost::json::object{{"name", p.name},
                                      {"type", p.type},
                                      {"required", p.required},
                                      {"description", p.description}});
  return out;
}

boost::json::array operations_json(const std::vector<OperationInfo>& operations) {
  boost::json::array out;
  for (const OperationInfo& op : operations)
    out.push_back(boost::json::object{
        {"name", op.name}, {"description", op.description}, {"params", params_json(op.params)}});
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
  // Members added in later minor versions would be read here only when struct_size covers them.
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
                                     {"triggers", operations_json(d.triggers)},
                                     {"actions", operations_json(d.actions)}}}};
}

}  // namespace sparks::plugins

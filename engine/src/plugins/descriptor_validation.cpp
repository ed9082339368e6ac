// validate_descriptor: the manifest schema first, then the cross-references a schema cannot
// express.
#include <algorithm>
#include <set>

#include "flows/flow_loader.hpp"
#include "plugins/descriptor.hpp"
#include "yaml/schema.hpp"

namespace sparks::plugins {
namespace {

constexpr std::string_view kManifestSchema = "schemas/plugin-manifest.schema.json";

bool has_param(const OperationInfo& op, std::string_view name) {
  return std::any_of(op.params.begin(), op.params.end(),
                     [&](const ParamInfo& p) { return p.name == name; });
}

void check_operations(const PluginDescriptor& d, const std::vector<OperationInfo>& operations,
                      std::string_view kind, std::set<std::string>& seen,
                      std::vector<std::string>& problems) {
  const std::string prefix = d.platform_id + ".";
  for (const OperationInfo& op : operations) {
    if (op.name.rfind(prefix, 0) != 0)
      problems.push_back(std::string(kind) + " '" + op.name + "' must start with '" + prefix + "'");
    if (!seen.insert(op.name).second)
      problems.push_back(std::string(kind) + " '" + op.name + "' is declared twice");
    std::set<std::string> params;
    for (const ParamInfo& p : op.params)
      if (!params.insert(p.name).second)
        problems.push_back(std::string(kind) + " '" + op.name + "' has parameter '" + p.name +
                           "' twice");
  }
}

// The payload fields the engine reads from a trigger of each kind (the normalized shapes of
// sparks/plugin.h): the payload must declare them.
std::vector<std::string_view> payload_fields_of(std::string_view kind) {
  if (kind == "comment") return {"comment_id", "video_id", "text", "user"};
  if (kind == "message") return {"text", "user"};
  if (kind == "order") return {"order_id"};
  return {};
}

// A trigger's kind, payload and variables.
void check_trigger(const OperationInfo& t, std::vector<std::string>& problems) {
  for (std::string_view field : payload_fields_of(t.kind))
    if (!has_param(t, field))
      problems.push_back("trigger '" + t.name + "' is a " + t.kind + " but its payload has no '" +
                         std::string(field) + "'");
  std::set<std::string> names;
  for (const VariableInfo& v : t.variables) {
    const std::string where = "trigger '" + t.name + "' variable '" + v.name + "'";
    if (!names.insert(v.name).second) problems.push_back(where + " is declared twice");
    const std::string group = v.name.substr(0, v.name.find('.'));
    if (group == "contact" || group == "product")
      problems.push_back(where + ": the " + group + ".* variables are the engine's");
    // An order's lookup adds these to the payload before flows run.
    const bool added_by_lookup =
        t.kind == "order" && (v.field == "user" || v.field == "total" || v.field == "currency");
    if (!has_param(t, v.field) && !added_by_lookup)
      problems.push_back(where + " reads field '" + v.field + "', which its payload does not have");
  }
  if (!t.reply_field.empty() && !has_param(t, t.reply_field))
    problems.push_back("trigger '" + t.name + "' grants a reply by its field '" + t.reply_field +
                       "', which its payload does not have");
}

// An action's kind and the templates it fills parameters from.
void check_action(const PluginDescriptor& d, const OperationInfo& a,
                  std::vector<std::string>& problems) {
  if (a.kind == "message" && !has_param(a, "text"))
    problems.push_back("action '" + a.name + "' sends a message but has no 'text' parameter");
  if (a.window.hours > 0 && a.kind != "message")
    problems.push_back("action '" + a.name + "' has a messaging window but sends no message");
  for (const std::string* param : {&a.window.conversation_param, &a.window.reply_param})
    if (!param->empty() && !has_param(a, *param))
      problems.push_back("action '" + a.name + "': its window fills '" + *param +
                         "', which is not one of its parameters");
  // Variables a default may use: the engine's contact.* and product.*, and those of the triggers
  // the action can follow.
  std::set<std::string> offered;
  for (const OperationInfo& t : d.triggers)
    if (a.answers == "any" || a.answers == t.kind)
      for (const VariableInfo& v : t.variables) offered.insert(v.name);
  for (const ParamInfo& p : a.params) {
    if (p.default_value.empty()) continue;
    for (const std::string& name : flows::template_variables(p.default_value))
      if (!name.starts_with("contact.") && !name.starts_with("product.") && !offered.contains(name))
        problems.push_back("action '" + a.name + "' fills '" + p.name + "' from {{" + name +
                           "}}, which no trigger it can follow offers");
  }
}

void check_syncs(const PluginDescriptor& d, const std::set<std::string>& scopes,
                 std::vector<std::string>& problems) {
  std::set<std::string> whats, kinds;
  for (const SyncInfo& sync : d.syncs) {
    if (!whats.insert(sync.what).second)
      problems.push_back("sync '" + sync.what + "' is declared twice");
    if (!kinds.insert(sync.kind).second)
      problems.push_back("sync '" + sync.what + "': another sync already reads " + sync.kind);
    if (!sync.scope.empty() && !scopes.contains(sync.scope))
      problems.push_back("sync '" + sync.what + "' needs scope '" + sync.scope +
                         "', which the plugin does not declare");
  }
}

}  // namespace

std::vector<std::string> validate_descriptor(const PluginDescriptor& d) {
  std::vector<std::string> problems;
  for (const yaml::SchemaError& error : yaml::validate_json(to_manifest_json(d), kManifestSchema))
    problems.push_back(error.message);
  if (!problems.empty()) return problems;  // cross-references assume a well-formed manifest

  std::set<std::string> names;  // triggers and actions share one namespace
  check_operations(d, d.triggers, "trigger", names, problems);
  check_operations(d, d.actions, "action", names, problems);
  for (const OperationInfo& t : d.triggers) check_trigger(t, problems);
  for (const OperationInfo& a : d.actions) check_action(d, a, problems);

  std::set<std::string> scopes;
  for (const ScopeInfo& scope : d.scopes) {
    if (!scopes.insert(scope.name).second)
      problems.push_back("scope '" + scope.name + "' is declared twice");
    for (const std::string& enabled : scope.enables)
      if (!names.contains(enabled))
        problems.push_back("scope '" + scope.name + "' enables '" + enabled +
                           "', which is neither a trigger nor an action of this plugin");
  }
  check_syncs(d, scopes, problems);
  return problems;
}

}  // namespace sparks::plugins

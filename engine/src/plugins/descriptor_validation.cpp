// validate_descriptor: the manifest schema first, then the cross-references a schema cannot
// express.
#include <set>

#include "plugins/descriptor.hpp"
#include "yaml/schema.hpp"

namespace sparks::plugins {
namespace {

constexpr std::string_view kManifestSchema = "schemas/plugin-manifest.schema.json";

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

}  // namespace

std::vector<std::string> validate_descriptor(const PluginDescriptor& d) {
  std::vector<std::string> problems;
  for (const yaml::SchemaError& error : yaml::validate_json(to_manifest_json(d), kManifestSchema))
    problems.push_back(error.message);
  if (!problems.empty()) return problems;  // cross-references assume a well-formed manifest

  std::set<std::string> names;  // triggers and actions share one namespace
  check_operations(d, d.triggers, "trigger", names, problems);
  check_operations(d, d.actions, "action", names, problems);

  std::set<std::string> scopes;
  for (const ScopeInfo& scope : d.scopes) {
    if (!scopes.insert(scope.name).second)
      problems.push_back("scope '" + scope.name + "' is declared twice");
    for (const std::string& enabled : scope.enables)
      if (!names.contains(enabled))
        problems.push_back("scope '" + scope.name + "' enables '" + enabled +
                           "', which is neither a trigger nor an action of this plugin");
  }
  return problems;
}

}  // namespace sparks::plugins

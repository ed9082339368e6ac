#pragma once
// A store::Scope in SQL: the condition that keeps a query to the scope's workspaces, and the one
// parameter it may take, added after the query's own.
#include <string>
#include <string_view>

#include "store/postgresql/session.hpp"
#include "store/scope.hpp"

namespace sparks::store::postgresql {

// The condition, its parameter numbered `index` ($index) if it has one.
inline std::string scope_condition(const Scope& scope, int index,
                                   std::string_view column = "workspace_id") {
  const std::string parameter = "$" + std::to_string(index);
  switch (scope.kind) {
    case Scope::Kind::workspace:
      return std::string(column) + " = " + parameter;
    case Scope::Kind::leased_by:
      return std::string(column) +
             " IN (SELECT workspace_id FROM workspace_leases WHERE owner = " + parameter + ")";
    case Scope::Kind::every_workspace:
      break;
  }
  return "true";
}

// Adds the scope's parameter, if it has one; returns the number the next parameter takes.
inline int add_scope(Params& parameters, const Scope& scope) {
  if (scope.kind != Scope::Kind::every_workspace) parameters.add(scope.name);
  return parameters.size() + 1;
}

}  // namespace sparks::store::postgresql

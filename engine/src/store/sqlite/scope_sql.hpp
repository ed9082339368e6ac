#pragma once
// A store::Scope in SQL: the condition that keeps a query to the scope's workspaces, and the one
// parameter it may take, bound after the query's own.
#include <string>
#include <string_view>

#include <SQLiteCpp/Statement.h>

#include "store/scope.hpp"

namespace sparks::store::sqlite {

inline std::string scope_condition(const Scope& scope, std::string_view column = "workspace_id") {
  switch (scope.kind) {
    case Scope::Kind::workspace:
      return std::string(column) + " = ?";
    case Scope::Kind::leased_by:
      return std::string(column) +
             " IN (SELECT workspace_id FROM workspace_leases WHERE owner = ?)";
    case Scope::Kind::every_workspace:
      break;
  }
  return "1";
}

// Binds the scope's parameter at `index`, if it has one; returns the index of the next parameter.
inline int bind_scope(SQLite::Statement& statement, int index, const Scope& scope) {
  if (scope.kind == Scope::Kind::every_workspace) return index;
  statement.bind(index, scope.name);
  return index + 1;
}

}  // namespace sparks::store::sqlite

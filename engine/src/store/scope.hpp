#pragma once
// Which workspaces a query over several of them reads. One instance reads every workspace; where
// several instances share the store (docs/scaling.md), each reads the workspaces whose lease it
// holds, and takes one over by reading that workspace alone.
#include <string>

namespace sparks::store {

struct Scope {
  enum class Kind { every_workspace, workspace, leased_by };
  Kind kind = Kind::every_workspace;
  std::string name;  // the workspace (Kind::workspace) or the lease holder (Kind::leased_by)

  static Scope every_workspace() { return {}; }
  static Scope workspace(std::string id) { return {Kind::workspace, std::move(id)}; }
  static Scope leased_by(std::string instance) { return {Kind::leased_by, std::move(instance)}; }
};

}  // namespace sparks::store

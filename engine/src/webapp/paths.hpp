#pragma once
// The web app's addresses, in one place: every link and redirect is built here.
#include <string>
#include <string_view>

#include "http/form.hpp"

namespace sparks::webapp {

inline constexpr std::string_view kRoot = "/app/";

// /app/workspaces/{ws}/{rest}; `rest` is already a path (its parts encoded by the caller).
inline std::string workspace_path(std::string_view workspace, std::string_view rest) {
  return "/app/workspaces/" + http::percent_encode(workspace) + "/" + std::string(rest);
}

inline std::string integrations_path(std::string_view workspace) {
  return workspace_path(workspace, "integrations");
}

}  // namespace sparks::webapp

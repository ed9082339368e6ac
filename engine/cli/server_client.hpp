#pragma once
// What the commands that talk to a running `sparks serve` share (status, flows, connect): the
// options that say which server, workspace and API key (--config, --workspace, --url, --api-key or
// SPARKS_API_KEY), and one HTTP request to the workspace's API with that key.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "http/client.hpp"

namespace sparks::cli {

struct ServerOptions {
  std::string config_file;
  std::string workspace;
  std::string url;
  std::string api_key;
};

// Adds --config, --workspace, --url and --api-key (SPARKS_API_KEY when not given) to `command`.
void add_server_options(CLI::App& command, ServerOptions& options);

// The server, the workspace and the key a command talks with: the base URL from --url or the
// config's `listen`; the workspace named, or the config's first; the key given, or that of the
// workspace's first owner in the config.
struct Server {
  std::string base;       // "http://127.0.0.1:8080"
  std::string workspace;  // "demo"
  std::string api_key;
};

// Prints why on stderr (prefixed with `who`, e.g. "sparks status") and returns nullopt when the
// config does not load or names no such workspace or member.
std::optional<Server> find_server(const ServerOptions& options, const std::string& who);

// `method` on the workspace's API: `path` is relative to /api/v1/workspaces/{ws} ("/flows").
http::ClientResponse call_workspace(const Server& server, const std::string& method,
                                    const std::string& path, const std::string& body = "",
                                    const std::string& content_type = "application/json");

// Prints the reason a request got no useful answer: no server there (start it), or the server's
// error (its code and message when it sent {"error": …}). Returns the exit code, 1.
int report_failure(const std::string& who, const Server& server,
                   const http::ClientResponse& response);

// The {"error": {"code", "message"}} of an answer, or empty strings.
struct ErrorBody {
  std::string code;
  std::string message;
};
ErrorBody error_of(const http::ClientResponse& response);

}  // namespace sparks::cli

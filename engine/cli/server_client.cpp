#include "server_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "config_file.hpp"
#include "http/server.hpp"

namespace sparks::cli {

namespace json = boost::json;

void add_server_options(CLI::App& command, ServerOptions& options) {
  command.add_option("--config", options.config_file, "the sparks.yaml the server runs with")
      ->check(CLI::ExistingFile);
  command.add_option("--workspace", options.workspace, "workspace id (default: the first)");
  command.add_option("--url", options.url,
                     "the server's base URL (default: from the config's listen)");
  command
      .add_option("--api-key", options.api_key,
                  "the API key to act with (default: the workspace's first owner in the config)")
      ->envname("SPARKS_API_KEY");
}

namespace {

std::string base_url(const ServerOptions& options, const config::Config& config) {
  std::string base = options.url;
  if (base.empty()) {
    auto address = http::parse_listen_address(config.listen);
    base =
        "http://" + (address ? address->host + ":" + std::to_string(address->port) : config.listen);
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

std::optional<Server> find_server(const ServerOptions& options, const std::string& who) {
  auto config = config_or_default(options.config_file);
  if (!config) return std::nullopt;
  Server server{base_url(options, *config), options.workspace, options.api_key};
  const config::Workspace* workspace = nullptr;
  for (const auto& ws : config->workspaces)
    if (options.workspace.empty() ? workspace == nullptr : ws.id == options.workspace)
      workspace = &ws;
  // A workspace the config does not know, with a key for it: the server decides.
  if (!workspace && !options.workspace.empty() && !options.api_key.empty()) return server;
  if (!workspace) {
    std::cerr << who << ": no workspace '" << options.workspace << "' in the config\n";
    return std::nullopt;
  }
  server.workspace = workspace->id;
  if (!server.api_key.empty()) return server;
  const config::Member* member = nullptr;
  for (const auto& m : workspace->members)
    if (!member || (m.role == Role::owner && member->role != Role::owner)) member = &m;
  if (!member) {
    std::cerr << who << ": workspace '" << workspace->id << "' has no members\n";
    return std::nullopt;
  }
  server.api_key = member->api_key;
  return server;
}

http::ClientResponse call_workspace(const Server& server, const std::string& method,
                                    const std::string& path, const std::string& body,
                                    const std::string& content_type) {
  boost::asio::io_context io;
  http::ClientRequest request{method,
                              server.base + "/api/v1/workspaces/" + server.workspace + path,
                              {{"Authorization", "Bearer " + server.api_key}},
                              body};
  if (!body.empty()) request.headers["Content-Type"] = content_type;
  http::ClientResponse response;
  http::send_request(io.get_executor(), std::move(request),
                     [&](http::ClientResponse r) { response = std::move(r); });
  io.run();
  return response;
}

ErrorBody error_of(const http::ClientResponse& response) {
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  if (ec || !body.is_object()) return {};
  const auto* error = body.get_object().if_contains("error");
  if (!error || !error->is_object()) return {};
  ErrorBody out;
  if (const auto* code = error->get_object().if_contains("code"); code && code->is_string())
    out.code = std::string(code->get_string());
  if (const auto* message = error->get_object().if_contains("message");
      message && message->is_string())
    out.message = std::string(message->get_string());
  return out;
}

int report_failure(const std::string& who, const Server& server,
                   const http::ClientResponse& response) {
  if (!response.ok()) {
    std::cerr << who << ": no sparks server answers at " << server.base << " (" << response.error
              << ") — start it with `sparks serve`\n";
    return 1;
  }
  const auto error = error_of(response);
  if (error.code.empty())
    std::cerr << who << ": the server answered " << response.status << ": " << response.body
              << "\n";
  else
    std::cerr << who << ": the server answered " << response.status << " " << error.code << ": "
              << error.message << "\n";
  return 1;
}

}  // namespace sparks::cli

#pragma once
// Everything `sparks serve` runs, assembled from a config: the HTTP server, the engine behind the
// API routes, and — for each platform without base URLs — the sandbox, mounted on the same server
// so that the platforms' endpoints and the engine's callbacks and webhooks share one address.
// `sparks demo` runs the same assembly on a temporary folder.
#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "http/server.hpp"
#include "sandbox/sandbox.hpp"
#include "sparks/engine.hpp"

namespace sparks::cli {

class ServeApp {
 public:
  // Binds the listen address first (port 0: any free port), so that the public URL and the
  // sandbox's base URL can name the real port; then builds the engine and mounts every route.
  // Construct it before the io_context runs. Throws std::runtime_error with a readable reason.
  ServeApp(boost::asio::any_io_executor executor, config::Config config,
           std::filesystem::path default_plugin_dir);
  ~ServeApp();

  std::string base_url() const { return server_->base_url(); }
  std::string public_url() const { return public_url_; }
  Engine& engine() { return *engine_; }
  const config::Config& config() const { return *config_; }
  bool sandboxed(std::string_view platform) const;

  // Stops accepting, then stops the engine (timers, plugins, queued writes).
  void stop();

 private:
  void install_flows(const std::filesystem::path& folder);

  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::shared_ptr<Engine> engine_;
  std::string public_url_;
};

}  // namespace sparks::cli

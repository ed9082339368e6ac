#include "serve_app.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "api/routes.hpp"
#include "webapp/webapp.hpp"
#include "util/read_file.hpp"

namespace sparks::cli {

ServeApp::ServeApp(boost::asio::any_io_executor executor, config::Config config,
                   std::filesystem::path default_plugin_dir)
    : config_(std::make_shared<const config::Config>(std::move(config))),
      router_(std::make_shared<http::Router>()) {
  const auto address = http::parse_listen_address(config_->listen);
  if (!address) throw std::runtime_error("listen wants HOST:PORT, got \"" + config_->listen + "\"");
  http::ServerOptions server_options;
  server_options.max_connections = config_->http_max_connections;
  server_ = std::make_unique<http::Server>(executor, router_, server_options);
  try {
    server_->listen(address->host, address->port);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + config_->listen + ": " + e.what());
  }
  public_url_ = config_->public_url.value_or(server_->base_url());
  while (public_url_.ends_with('/')) public_url_.pop_back();

  if (sandboxed("tiktok") || sandboxed("tiktok_shop")) {
    sandbox::SandboxOptions options;
    options.client_key = config_->tiktok.key;
    options.client_secret = config_->tiktok.secret;
    options.app_key = config_->tiktok_shop.key;
    options.app_secret = config_->tiktok_shop.secret;
    options.tiktok_webhook_target = sandbox::tiktok_webhook_url(server_->base_url());
    options.shop_webhook_target = sandbox::shop_webhook_url(server_->base_url());
    sandbox_ = std::make_unique<sandbox::Sandbox>(executor, options);
    sandbox_->mount(*router_);
  }

  EngineOptions options;
  options.database = config_->database;
  options.instance_id = config_->instance_id.value_or("");
  options.instance_url = server_->base_url();  // where the other instances forward requests
  options.key_file = config_->key_file;
  options.lifecycle = config_->lifecycle;
  options.plugin_dir = config_->plugin_dir.value_or(default_plugin_dir);
  options.public_url = public_url_;
  options.held_event_max_age = config_->held_event_max_age;
  options.attribution_window = config_->attribution_window;
  for (const auto& ws : config_->workspaces) {
    auto& entry = options.workspace_directory[ws.id];
    entry.name = ws.name;
    for (const auto& member : ws.members)
      if (member.role == Role::owner) entry.owners.push_back(member.user);
  }
  options.platform_config["tiktok"] =
      config::plugin_config(config_->tiktok, "tiktok", server_->base_url());
  options.platform_config["tiktok_shop"] =
      config::plugin_config(config_->tiktok_shop, "tiktok_shop", server_->base_url());
  engine_ = std::make_shared<Engine>(executor, options);
  api::mount_api(*router_, executor, engine_, config_,
                 [stats = server_->stats()] { return http::prometheus_text(*stats); });
  webapp::mount_webapp(*router_, executor, engine_, config_);
  if (config_->flows_dir) install_flows(*config_->flows_dir);
}

// Every *.yaml flow in the folder is added to every workspace as a draft, unless the workspace
// already has a flow with that id (a restart, or one edited since): people publish them.
void ServeApp::install_flows(const std::filesystem::path& folder) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".yaml" && entry.path().extension() != ".yml") continue;
    auto text = read_text_file(entry.path());
    if (!text) continue;
    for (const auto& ws : config_->workspaces) {
      const auto owner = Actor::system("flows_dir");
      engine_->create_flow(ws.id, owner, *text,
                           [file = entry.path().string(), ws = ws.id](Reply reply) {
                             if (!reply.error)
                               spdlog::info("{}: flow {} added from {} (a draft)", ws,
                                            reply.value.at("id").as_string().c_str(), file);
                             else if (reply.error->kind != ErrorKind::conflict)
                               spdlog::error("{}: {}: {}", ws, file, reply.error->message);
                           });
    }
  }
  if (ec) spdlog::error("flows_dir {}: {}", folder.string(), ec.message());
}

ServeApp::~ServeApp() {
  stop();
}

bool ServeApp::sandboxed(std::string_view platform) const {
  return platform == "tiktok" ? config_->tiktok.sandboxed() : config_->tiktok_shop.sandboxed();
}

void ServeApp::stop() {
  if (server_) server_->stop();
  if (engine_) engine_->stop();
}

}  // namespace sparks::cli

#pragma once
// sparks.yaml: what `sparks serve` and `sparks status` run with. Loaded, checked against
// schemas/config.schema.json and then for meaning (unique ids and keys, an owner per workspace);
// every problem is a FILE:LINE:COL diagnostic. Without a file, embedded_default() is the demo
// set-up.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sparks/engine.hpp"
#include "util/diagnostic.hpp"

namespace sparks::config {

struct Member {
  std::string user;
  Role role = Role::member;
  std::string api_key;  // a secret: never logged
};

struct Workspace {
  std::string id;
  std::string name;
  std::vector<Member> members;
};

// Credentials and endpoints of one platform. Without base URLs, the in-process sandbox serves it.
struct Platform {
  std::string key;     // TikTok client_key, Shop app_key
  std::string secret;  // TikTok client_secret, Shop app_secret
  std::optional<std::string> auth_base_url;
  std::optional<std::string> api_base_url;
  std::optional<std::string> service_id;  // TikTok Shop: the Partner Center service, if any
  // TikTok Shop: where sellers authorize, when not derived from auth_base_url (a US shop's
  // service page is services.us.tiktokshop.com; docs/production.md).
  std::optional<std::string> authorize_base_url;
  bool sandboxed() const { return !auth_base_url && !api_base_url; }
};

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::optional<std::string> public_url;  // default: http://<listen>
  std::filesystem::path database = "sparks-data/sparks.db";
  std::optional<std::string> instance_id;           // default: host name + pid (docs/scaling.md)
  std::optional<std::filesystem::path> plugin_dir;  // default: plugins/ beside the executable
  std::optional<std::filesystem::path> lifecycle;   // default: the built-in lifecycle
  std::optional<std::filesystem::path> flows_dir;
  std::chrono::seconds held_event_max_age{std::chrono::hours(24)};      // flows.held_event_max_age
  std::chrono::seconds attribution_window{std::chrono::hours(24 * 7)};  // flows.attribution_window
  std::size_t http_max_connections =
      0;  // http.max_connections; 0: derived from the open-file limit
  std::filesystem::path key_file = "sparks-data/secret.key";
  Platform tiktok{"sandbox-client-key", "sandbox-client-secret", std::nullopt, std::nullopt,
                  std::nullopt};
  Platform tiktok_shop{"sandbox-app-key", "sandbox-app-secret", std::nullopt, std::nullopt,
                       std::nullopt};
  std::vector<Workspace> workspaces;

  // Workspace `demo` with owner `ana` (API key ana-demo-key) and member `ben` (ben-demo-key),
  // SQLite under ./sparks-data/, both platforms on the in-process sandbox.
  static Config embedded_default();
  bool uses_demo_keys() const;  // true when a demo key is configured: printed as a warning at start
  // One of the embedded default's public keys (ana-demo-key, ben-demo-key): the only keys ever
  // printed.
  static bool is_demo_key(std::string_view api_key);
};

struct LoadResult {
  std::optional<Config> config;  // set only when diagnostics is empty
  Diagnostics diagnostics;
};

// Relative paths in the file are taken relative to the file's folder. A value written as
// `${NAME}` is read from the environment variable NAME (so secrets need not sit in the file).
LoadResult load_config(const std::string& file_name, std::string_view text,
                       const std::filesystem::path& base_dir);
LoadResult load_config_file(const std::filesystem::path& path);

// What the connector of `platform_id` ("tiktok" or "tiktok_shop") is configured with (a JSON
// object text, docs/connectors.md). Base URLs that are not configured are the sandbox's.
std::string plugin_config(const Platform& platform, std::string_view platform_id,
                          std::string_view sandbox_base_url);

}  // namespace sparks::config

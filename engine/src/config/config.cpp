#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <map>
#include <regex>

#include "flows/flow_loader.hpp"
#include "store/postgresql/url.hpp"
#include "util/read_file.hpp"
#include "yaml/parse.hpp"
#include "yaml/schema.hpp"

namespace sparks::config {

namespace {

constexpr std::string_view kSchema = "schemas/config.schema.json";

// Reads one value, resolving `${NAME}` from the environment and relative paths against the file.
class Reader {
 public:
  Reader(const std::string& file, std::filesystem::path base_dir, Diagnostics& diagnostics)
      : file_(file), base_dir_(std::move(base_dir)), diagnostics_(diagnostics) {}

  std::optional<std::string> text(const YAML::Node& node) {
    if (!node) return std::nullopt;
    auto value = node.as<std::string>();
    static const std::regex kEnvReference(R"(^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$)");
    std::smatch match;
    if (std::regex_match(value, match, kEnvReference)) {
      const char* env = std::getenv(match[1].str().c_str());
      if (!env) {
        error(node, "environment variable " + match[1].str() + " is not set");
        return std::nullopt;
      }
      return std::string(env);
    }
    return value;
  }

  std::optional<std::filesystem::path> path(const YAML::Node& node) {
    auto value = text(node);
    if (!value) return std::nullopt;
    std::filesystem::path p(*value);
    return p.is_absolute() ? p : base_dir_ / p;
  }

  // Where the store is: a PostgreSQL URL is kept exactly as written (no folder is resolved or made
  // for it); anything else is a SQLite path, resolved like every other path.
  std::optional<std::filesystem::path> store_location(const YAML::Node& node) {
    auto value = text(node);
    if (value && store::postgresql::is_url(*value)) return std::filesystem::path(*value);
    return path(node);
  }

  void error(const YAML::Node& node, std::string message) {
    diagnostics_.push_back(yaml::diagnostic_at(file_, node.Mark(), std::move(message)));
  }

 private:
  const std::string& file_;
  std::filesystem::path base_dir_;
  Diagnostics& diagnostics_;
};

Role role_of(const std::string& text) {
  if (text == "owner") return Role::owner;
  if (text == "admin") return Role::admin;
  return Role::member;
}

void read_platform(Reader& read, const YAML::Node& node, const char* key_field,
                   const char* secret_field, Platform& platform) {
  if (!node) return;
  if (auto v = read.text(node[key_field])) platform.key = *v;
  if (auto v = read.text(node[secret_field])) platform.secret = *v;
  platform.auth_base_url = read.text(node["auth_base_url"]);
  platform.api_base_url = read.text(node["api_base_url"]);
  platform.service_id = read.text(node["service_id"]);
  platform.authorize_base_url = read.text(node["authorize_base_url"]);
  // Half a set of endpoints would send some calls to the platform and the rest to the sandbox.
  if (platform.auth_base_url.has_value() != platform.api_base_url.has_value())
    read.error(node,
               "give both auth_base_url and api_base_url (the platform's endpoints), or "
               "neither (the in-process sandbox plays the platform)");
}

void read_workspaces(Reader& read, const YAML::Node& list, Config& config) {
  std::map<std::string, int> workspace_lines;
  std::map<std::string, std::string> key_owner;  // api_key → "workspace/user"
  for (const auto& ws_node : list) {
    Workspace ws;
    ws.id = ws_node["id"].as<std::string>();
    ws.name = ws_node["name"] ? ws_node["name"].as<std::string>() : ws.id;
    if (auto [it, fresh] = workspace_lines.emplace(ws.id, ws_node.Mark().line + 1); !fresh)
      read.error(ws_node["id"], "workspace '" + ws.id + "' is already defined at line " +
                                    std::to_string(it->second));
    std::map<std::string, bool> users;
    for (const auto& member_node : ws_node["members"]) {
      Member member;
      member.user = member_node["user"].as<std::string>();
      member.role = role_of(member_node["role"].as<std::string>());
      member.api_key = read.text(member_node["api_key"]).value_or("");
      if (!users.emplace(member.user, true).second)
        read.error(member_node["user"],
                   "user '" + member.user + "' is listed twice in workspace '" + ws.id + "'");
      if (!member.api_key.empty()) {
        auto [it, fresh] = key_owner.emplace(member.api_key, ws.id + "/" + member.user);
        if (!fresh)
          read.error(member_node["api_key"], "this api_key is already used by " + it->second +
                                                 "; every member needs a key of their own");
      }
      ws.members.push_back(std::move(member));
    }
    const bool has_owner = std::any_of(ws.members.begin(), ws.members.end(),
                                       [](const Member& m) { return m.role == Role::owner; });
    if (!has_owner)
      read.error(ws_node, "workspace '" + ws.id +
                              "' has no owner; only owners can connect or disconnect platforms");
    config.workspaces.push_back(std::move(ws));
  }
}

}  // namespace

Config Config::embedded_default() {
  Config config;
  config.workspaces.push_back(
      {"demo",
       "Demo workspace",
       {{"ana", Role::owner, "ana-demo-key"}, {"ben", Role::member, "ben-demo-key"}}});
  return config;
}

bool Config::is_demo_key(std::string_view api_key) {
  return api_key == "ana-demo-key" || api_key == "ben-demo-key";
}

bool Config::uses_demo_keys() const {
  for (const auto& ws : workspaces)
    for (const auto& m : ws.members)
      if (is_demo_key(m.api_key)) return true;
  return false;
}

LoadResult load_config(const std::string& file_name, std::string_view text,
                       const std::filesystem::path& base_dir) {
  LoadResult result;
  auto parsed = yaml::parse(file_name, text);
  result.diagnostics = std::move(parsed.diagnostics);
  if (!result.diagnostics.empty()) return result;
  result.diagnostics = yaml::validate_yaml(file_name, parsed.root, kSchema);
  if (!result.diagnostics.empty()) return result;

  Config config;
  Reader read(file_name, base_dir, result.diagnostics);
  const YAML::Node root = parsed.root["sparks"];
  if (auto v = read.text(root["listen"])) config.listen = *v;
  config.public_url = read.text(root["public_url"]);
  if (auto v = read.store_location(root["database"])) config.database = *v;
  config.instance_id = read.text(root["instance_id"]);
  config.plugin_dir = read.path(root["plugin_dir"]);
  config.lifecycle = read.path(root["lifecycle"]);
  config.flows_dir = read.path(root["flows_dir"]);
  if (const auto flows = root["flows"]) {  // the schema checked the durations' form
    if (auto v = read.text(flows["held_event_max_age"]))
      config.held_event_max_age = *flows::parse_duration(*v);
    if (auto v = read.text(flows["attribution_window"]))
      config.attribution_window = *flows::parse_duration(*v);
  }
  if (const auto http = root["http"]; http && http["max_connections"])  // the schema checked it
    config.http_max_connections = http["max_connections"].as<std::size_t>();
  if (root["secrets"])
    if (auto v = read.path(root["secrets"]["key_file"])) config.key_file = *v;
  if (root["platforms"]) {
    read_platform(read, root["platforms"]["tiktok"], "client_key", "client_secret", config.tiktok);
    read_platform(read, root["platforms"]["tiktok_shop"], "app_key", "app_secret",
                  config.tiktok_shop);
  }
  if (root["workspaces"]) read_workspaces(read, root["workspaces"], config);

  if (root["listen"]) {
    const auto port = std::stoul(config.listen.substr(config.listen.rfind(':') + 1));
    if (port > 65535)
      read.error(root["listen"], "port " + std::to_string(port) + " is out of range");
  }
  if (result.diagnostics.empty()) result.config = std::move(config);
  return result;
}

std::string plugin_config(const Platform& platform, std::string_view platform_id,
                          std::string_view sandbox_base_url) {
  const bool tiktok = platform_id == "tiktok";
  auto url = [&](const std::optional<std::string>& configured) {
    return configured ? *configured : std::string(sandbox_base_url);
  };
  boost::json::object out{{tiktok ? "client_key" : "app_key", platform.key},
                          {tiktok ? "client_secret" : "app_secret", platform.secret},
                          {"auth_base_url", url(platform.auth_base_url)},
                          {"api_base_url", url(platform.api_base_url)}};
  if (platform.service_id) out["service_id"] = *platform.service_id;
  if (platform.authorize_base_url) out["authorize_base_url"] = *platform.authorize_base_url;
  return boost::json::serialize(out);
}

LoadResult load_config_file(const std::filesystem::path& path) {
  auto text = read_text_file(path);
  if (!text) return {std::nullopt, {{path.string(), 0, 0, "cannot read file"}}};
  return load_config(path.string(), *text, path.parent_path());
}

}  // namespace sparks::config

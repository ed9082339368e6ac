#pragma once
// A plugin that passed every check (see loader.hpp), and the way the engine calls it.
//
// The engine calls a plugin on the strand of the integration concerned. Every answer comes back
// through a completion that runs exactly once, on that same executor, and never inside the call
// that started it; the plugin's result is checked first (a JSON object, declared triggers only).
#include <sparks/plugin.h>
#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/descriptor.hpp"
#include "plugins/http_client.hpp"
#include "plugins/plugin_services.hpp"
#include "plugins/shared_library.hpp"

namespace sparks::plugins {

enum class Operation {
  authorize_url,
  exchange_code,
  refresh_token,
  revoke,
  get_account,
  sync,
  execute_action,
  find_action,  // ABI 1.3: did an interrupted action take effect? (sparks/plugin.h)
};
std::string_view name_of(Operation operation);

// The name an action's call is timed under: "tiktok.send_dm" → "send_dm".
std::string_view call_name(std::string_view action);

// SPARKS_OK: `result` is the operation's JSON object (see sparks_plugin_ops_t); otherwise `result`
// is a one-line message.
using Completion = std::function<void(sparks_status_t status, std::string result)>;

struct WebhookRequest {
  std::string method, path, query;
  HeaderList headers;
  std::string body;  // the exact bytes received
};

struct WebhookEvent {
  std::string id;               // the platform's event id, for de-duplication
  std::string account;          // the platform account it concerns
  std::string trigger;          // declared by the plugin: a lifecycle or flow trigger
  std::string payload_json;     // as the event log stores it
  boost::json::object payload;  // the same, as read off the plugin's answer (parsed once)
};

using WebhookCompletion = std::function<void(sparks_status_t status, std::string error,
                                             std::vector<WebhookEvent> events)>;

class LoadedPlugin {
 public:
  ~LoadedPlugin();  // unload()
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginDescriptor& descriptor() const { return descriptor_; }
  const std::string& platform() const { return descriptor_.platform_id; }
  const std::filesystem::path& path() const { return path_; }

  // Hands the plugin its platform configuration (a JSON object). False, with `error` set, when the
  // plugin refuses it; the plugin must then not be used.
  bool configure(std::string_view config_json, std::string& error);

  // Starts `operation` for `integration` with `request_json`. How long it takes is timed under
  // `timed_as` (the action, for execute_action), else the operation's name.
  void call(Operation operation, std::string_view integration, std::string_view request_json,
            Completion done);
  void call(Operation operation, std::string_view integration, std::string_view request_json,
            std::string_view timed_as, Completion done);

  // Verifies and normalizes an inbound webhook; `done` runs on the host's own executor.
  void verify_webhook(const WebhookRequest& webhook, WebhookCompletion done);

  // Cancels what the plugin has in flight (its callbacks get SPARKS_ERR_CANCELLED), answers the
  // engine's pending completions with SPARKS_ERR_CANCELLED, then calls the plugin's shutdown.
  // Idempotent. Call it when no other thread is running the plugin's handlers; the library itself
  // is closed when this object is destroyed.
  void unload();

 private:
  friend class PluginLoader;
  LoadedPlugin(std::filesystem::path path, std::unique_ptr<SharedLibrary> library,
               std::unique_ptr<PluginServices> services, sparks_plugin_t plugin,
               sparks_plugin_ops_t ops);

  // Registers `done` to be answered on `executor`, after checking the plugin's result.
  void* expect(boost::asio::any_io_executor executor, Completion done);

  std::filesystem::path path_;
  std::unique_ptr<SharedLibrary> library_;    // declared first: closed last
  std::unique_ptr<PluginServices> services_;  // behind the plugin's sparks_host_t*
  sparks_plugin_t plugin_;                    // ctx, and the plugin's own pointers
  sparks_plugin_ops_t ops_;                   // the host's copy: members the plugin lacks are NULL
  PluginDescriptor descriptor_;
  bool unloaded_ = false;
};

}  // namespace sparks::plugins

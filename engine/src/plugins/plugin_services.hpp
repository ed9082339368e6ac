#pragma once
// The services one plugin borrows from the host (the object behind its sparks_host_t*): logging,
// emitting triggers, its integrations' key-value stores, HTTP and timers. Every argument is checked
// here before it reaches the engine (PluginHostBridge) or the network.
#include <sparks/plugin.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "plugins/host_bridge.hpp"
#include "plugins/http_client.hpp"
#include "plugins/pending_callbacks.hpp"
#include "plugins/rate_limiter.hpp"

namespace sparks::plugins {

struct PluginDescriptor;

// Told how long each operation the engine called took, until its plugin answered (for
// sparks_platform_call_seconds): the platform, the call's name, seconds. From any thread.
using CallTimer = std::function<void(std::string_view platform, std::string_view call, double)>;

// What the host gives every plugin it loads.
struct PluginEnvironment {
  PluginHostBridge* bridge = nullptr;     // engine state: triggers, key-value store, strands
  std::shared_ptr<HttpClient> http;       // shared by all plugins
  boost::asio::any_io_executor executor;  // for work tied to no integration (webhooks)
  CallTimer time_call;                    // may be empty
};

class PluginServices {
 public:
  // `name` tags log lines until the descriptor names the platform.
  PluginServices(std::string name, PluginEnvironment environment);
  ~PluginServices();
  PluginServices(const PluginServices&) = delete;
  PluginServices& operator=(const PluginServices&) = delete;

  sparks_host_t* handle() { return reinterpret_cast<sparks_host_t*>(this); }
  static PluginServices& from(sparks_host_t* host) {
    return *reinterpret_cast<PluginServices*>(host);
  }

  // Once the descriptor is accepted: the platform id and the triggers the plugin may emit. Until
  // then only logging is available (init must not start work).
  void attach(const PluginDescriptor* descriptor);
  const PluginEnvironment& environment() const { return environment_; }

  void log(sparks_log_level_t level, sparks_str_t message);
  sparks_status_t emit_trigger(sparks_str_t integration, sparks_str_t trigger,
                               sparks_str_t payload);
  sparks_status_t kv_get(sparks_str_t integration, sparks_str_t key, sparks_value_cb_t on_value,
                         void* user);
  sparks_status_t kv_put(sparks_str_t integration, sparks_str_t key, sparks_str_t value);
  sparks_status_t kv_delete(sparks_str_t integration, sparks_str_t key);
  sparks_status_t http_request(sparks_str_t integration, const sparks_http_request_t* request,
                               sparks_http_response_cb_t on_response, void* user);
  sparks_status_t set_timer(sparks_str_t integration, uint64_t delay_ms, sparks_timer_cb_t on_timer,
                            void* user, uint64_t* timer_id);
  void cancel_timer(uint64_t timer_id);

  // At unload: aborts every HTTP request and timer in flight and calls each plugin callback with
  // SPARKS_ERR_CANCELLED, now; refuses new ones from then on.
  void cancel_all();

 private:
  // Logs why a call was refused (once per call) and returns `status`.
  sparks_status_t refuse(sparks_status_t status, const std::string& why);
  // Checks that the plugin is attached and `integration` is a usable id; sets `out`.
  sparks_status_t check_integration(sparks_str_t integration, std::string_view& out);

  std::string name_;
  PluginEnvironment environment_;
  const PluginDescriptor* descriptor_ = nullptr;
  std::unique_ptr<RateLimiter> limiter_;  // from the descriptor's rate_limits, once attached
  std::shared_ptr<PendingCallbacks> pending_ = std::make_shared<PendingCallbacks>();
};

// The function table handed to every plugin; its functions forward to PluginServices::from(host).
const sparks_host_api_t* host_api();

}  // namespace sparks::plugins

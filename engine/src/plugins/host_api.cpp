// The sparks_host_api_t table: C-callable shims that forward to the plugin's PluginServices.
// No exception may unwind into plugin code, so each shim catches everything.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "crypto/hmac.hpp"
#include "plugins/abi_text.hpp"
#include "plugins/plugin_services.hpp"

namespace sparks::plugins {
namespace {

template <typename Call>
sparks_status_t guarded(const char* what, Call&& call) {
  try {
    return call();
  } catch (const std::exception& e) {
    spdlog::error("plugin host: {} failed: {}", what, e.what());
  } catch (...) {
    spdlog::error("plugin host: {} failed", what);
  }
  return SPARKS_ERR_INTERNAL;
}

void log(sparks_host_t* host, sparks_log_level_t level, sparks_str_t message) {
  guarded("log", [&] {
    PluginServices::from(host).log(level, message);
    return SPARKS_OK;
  });
}

sparks_status_t emit_trigger(sparks_host_t* host, sparks_str_t integration, sparks_str_t trigger,
                             sparks_str_t payload_json) {
  return guarded("emit_trigger", [&] {
    return PluginServices::from(host).emit_trigger(integration, trigger, payload_json);
  });
}

sparks_status_t kv_get(sparks_host_t* host, sparks_str_t integration, sparks_str_t key,
                       sparks_value_cb_t on_value, void* user) {
  return guarded("kv_get", [&] {
    return PluginServices::from(host).kv_get(integration, key, on_value, user);
  });
}

sparks_status_t kv_put(sparks_host_t* host, sparks_str_t integration, sparks_str_t key,
                       sparks_str_t value) {
  return guarded("kv_put",
                 [&] { return PluginServices::from(host).kv_put(integration, key, value); });
}

sparks_status_t kv_delete(sparks_host_t* host, sparks_str_t integration, sparks_str_t key) {
  return guarded("kv_delete",
                 [&] { return PluginServices::from(host).kv_delete(integration, key); });
}

sparks_status_t http_request(sparks_host_t* host, sparks_str_t integration,
                             const sparks_http_request_t* request,
                             sparks_http_response_cb_t on_response, void* user) {
  return guarded("http_request", [&] {
    return PluginServices::from(host).http_request(integration, request, on_response, user);
  });
}

sparks_status_t set_timer(sparks_host_t* host, sparks_str_t integration, uint64_t delay_ms,
                          sparks_timer_cb_t on_timer, void* user, uint64_t* timer_id) {
  return guarded("set_timer", [&] {
    return PluginServices::from(host).set_timer(integration, delay_ms, on_timer, user, timer_id);
  });
}

void cancel_timer(sparks_host_t* host, uint64_t timer_id) {
  guarded("cancel_timer", [&] {
    PluginServices::from(host).cancel_timer(timer_id);
    return SPARKS_OK;
  });
}

sparks_status_t hmac_sha256(sparks_host_t*, sparks_str_t key, sparks_str_t message,
                            uint8_t out[32]) {
  CheckedText k = check_bytes(key, kMaxTextSize);
  CheckedText m = check_bytes(message, kMaxDocumentSize);
  if (!k.ok() || !m.ok() || out == nullptr) return SPARKS_ERR_INVALID_ARGUMENT;
  return guarded("hmac_sha256", [&] {
    const crypto::Sha256Mac mac = crypto::hmac_sha256(k.text, m.text);
    std::copy(mac.begin(), mac.end(), out);
    return SPARKS_OK;
  });
}

const sparks_host_api_t kHostApi = {
    sizeof(sparks_host_api_t),
    SPARKS_PLUGIN_ABI_MAJOR,
    SPARKS_PLUGIN_ABI_MINOR,
    &log,
    &emit_trigger,
    &kv_get,
    &kv_put,
    &kv_delete,
    &http_request,
    &set_timer,
    &cancel_timer,
    &hmac_sha256,
};

}  // namespace

const sparks_host_api_t* host_api() {
  return &kHostApi;
}

}  // namespace sparks::plugins

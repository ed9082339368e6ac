#pragma once
// What the plugin host needs from the engine: the parts of a plugin's host services that touch
// engine state. The engine implements it (its durable event path, its store, its strands); tests
// implement it with a few maps. Everything the plugin host hands over here has already been checked
// (declared trigger, payload a JSON object, UTF-8, size limits).
#include <boost/asio/any_io_executor.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sparks::plugins {

class PluginHostBridge {
 public:
  virtual ~PluginHostBridge() = default;

  // The executor on which everything concerning this integration runs (the workspace's strand).
  // Plugin callbacks for it (HTTP responses, timers) are delivered there. `integration` is the
  // opaque id the engine gave when it called the plugin.
  virtual boost::asio::any_io_executor executor_for(std::string_view platform,
                                                    std::string_view integration) = 0;

  // A trigger the plugin emitted: a lifecycle event ("token_refreshed") or a flow trigger
  // ("tiktok.comment"). It must enter the same durable event path as a webhook's events.
  // Returns false when the engine refuses it (unknown integration, store failure).
  virtual bool emit_trigger(std::string_view platform, std::string_view integration,
                            std::string_view trigger, std::string_view payload_json) = 0;

  // The integration's key-value store. Called on the integration's executor.
  virtual std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                            std::string_view key) = 0;
  virtual bool kv_put(std::string_view platform, std::string_view integration, std::string_view key,
                      std::string_view value) = 0;
  virtual bool kv_delete(std::string_view platform, std::string_view integration,
                         std::string_view key) = 0;
};

}  // namespace sparks::plugins

#pragma once
// What the plugins reach of the engine (plugins::PluginHostBridge): the strand of the workspace a
// call concerns, the durable event path for the triggers they emit, and their key-value storage.
// It owns that storage's cache and the connection its reads use; everything else it is handed.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "plugins/host_bridge.hpp"
#include "store/connection.hpp"
#include "store/event_log_store.hpp"
#include "store/writer.hpp"

namespace sparks::runtime {

class PluginBridge final : public plugins::PluginHostBridge {
 public:
  struct Hooks {
    // The strand of a workspace (a plugin's "integration" string is the workspace id).
    std::function<boost::asio::any_io_executor(std::string_view workspace)> strand_of;
    // Enters an emitted trigger into the event path, as a webhook's events enter it.
    std::function<void(store::EventRow event)> receive;
    std::function<std::int64_t()> now_ms;
  };

  PluginBridge(std::unique_ptr<store::Connection> reads, store::Writer& writer, Hooks hooks);

  boost::asio::any_io_executor executor_for(std::string_view platform,
                                            std::string_view integration) override;
  bool emit_trigger(std::string_view platform, std::string_view integration,
                    std::string_view trigger, std::string_view payload_json) override;
  std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                    std::string_view key) override;
  bool kv_put(std::string_view platform, std::string_view integration, std::string_view key,
              std::string_view value) override;
  bool kv_delete(std::string_view platform, std::string_view integration,
                 std::string_view key) override;

  // After a workspace was closed, its values are gone from the store: forget what is cached.
  void forget_cached_values();

 private:
  void write(std::string_view platform, std::string_view integration, std::string_view key,
             std::optional<std::string> value);

  store::Writer& writer_;
  const Hooks hooks_;
  std::mutex mutex_;  // guards cache_ and reads_
  std::unique_ptr<store::Connection> reads_;
  // A read that follows a write sees it before the write has committed.
  std::map<std::string, std::optional<std::string>> cache_;
};

}  // namespace sparks::runtime

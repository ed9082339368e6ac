#include "runtime/plugin_bridge.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/any_io_executor.hpp>

#include "crypto/random.hpp"

namespace sparks::runtime {
namespace {

std::string cache_key(std::string_view platform, std::string_view integration,
                      std::string_view key) {
  return std::string(platform) + '\0' + std::string(integration) + '\0' + std::string(key);
}

}  // namespace

PluginBridge::PluginBridge(std::unique_ptr<store::Connection> reads, store::Writer& writer,
                           Hooks hooks)
    : writer_(writer), hooks_(std::move(hooks)), reads_(std::move(reads)) {}

boost::asio::any_io_executor PluginBridge::executor_for(std::string_view,
                                                        std::string_view integration) {
  return hooks_.strand_of(integration);
}

bool PluginBridge::emit_trigger(std::string_view platform, std::string_view integration,
                                std::string_view trigger, std::string_view payload_json) {
  hooks_.receive({0, std::string(integration), std::string(platform), "plugin",
                  crypto::base64url_encode(crypto::random_bytes(12)), std::string(trigger),
                  std::string(payload_json), hooks_.now_ms()});
  return true;
}

std::optional<std::string> PluginBridge::kv_get(std::string_view platform,
                                                std::string_view integration,
                                                std::string_view key) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = cache_.try_emplace(cache_key(platform, integration, key));
  if (fresh) it->second = reads_->records().kv_get(platform, integration, key);
  return it->second;
}

bool PluginBridge::kv_put(std::string_view platform, std::string_view integration,
                          std::string_view key, std::string_view value) {
  write(platform, integration, key, std::string(value));
  return true;
}

bool PluginBridge::kv_delete(std::string_view platform, std::string_view integration,
                             std::string_view key) {
  write(platform, integration, key, std::nullopt);
  return true;
}

void PluginBridge::forget_cached_values() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

// Writes go through the one writer like everything else; one that changes nothing (a plugin
// clearing a counter that is not set, say) is not written at all.
void PluginBridge::write(std::string_view platform, std::string_view integration,
                         std::string_view key, std::optional<std::string> value) {
  {
    std::lock_guard lock(mutex_);
    auto [it, fresh] = cache_.try_emplace(cache_key(platform, integration, key));
    if (fresh) it->second = reads_->records().kv_get(platform, integration, key);
    if (it->second == value) return;
    it->second = value;
  }
  writer_.submit(
      [p = std::string(platform), i = std::string(integration), k = std::string(key),
       value](store::Transaction& tx) {
        if (value)
          tx.kv_put(p, i, k, *value);
        else
          tx.kv_delete(p, i, k);
      },
      [p = std::string(platform)](std::exception_ptr error) {
        if (error) spdlog::error("plugin {}: its key-value write was not stored", p);
      });
}

}  // namespace sparks::runtime

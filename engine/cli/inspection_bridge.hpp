#pragma once
// The plugin host's view of the engine when no engine runs: `sparks plugin inspect` and
// `sparks check` load plugins only to read their descriptors.
#include <boost/asio/any_io_executor.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "plugins/host_bridge.hpp"

namespace sparks::cli {

// Inspection lends no engine state: a plugin that tried to use it during init would be refused.
class InspectionBridge final : public plugins::PluginHostBridge {
 public:
  explicit InspectionBridge(boost::asio::any_io_executor executor)
      : executor_(std::move(executor)) {}
  boost::asio::any_io_executor executor_for(std::string_view, std::string_view) override {
    return executor_;
  }
  bool emit_trigger(std::string_view, std::string_view, std::string_view,
                    std::string_view) override {
    return false;
  }
  std::optional<std::string> kv_get(std::string_view, std::string_view, std::string_view) override {
    return std::nullopt;
  }
  bool kv_put(std::string_view, std::string_view, std::string_view, std::string_view) override {
    return false;
  }
  bool kv_delete(std::string_view, std::string_view, std::string_view) override { return false; }

 private:
  boost::asio::any_io_executor executor_;
};

}  // namespace sparks::cli

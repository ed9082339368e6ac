#include "fuzz/webhook_driver.hpp"

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_input.hpp"
#include "plugins/host_bridge.hpp"

namespace sparks::fuzz {

// Webhook verification touches no integration: nothing here is ever asked for, but the host
// needs a bridge to load plugins.
class WebhookDriver::Bridge final : public plugins::PluginHostBridge {
 public:
  explicit Bridge(boost::asio::io_context& io) : io_(io) {}
  boost::asio::any_io_executor executor_for(std::string_view, std::string_view) override {
    return io_.get_executor();
  }
  bool emit_trigger(std::string_view, std::string_view, std::string_view,
                    std::string_view) override {
    return true;
  }
  std::optional<std::string> kv_get(std::string_view, std::string_view, std::string_view) override {
    return std::nullopt;
  }
  bool kv_put(std::string_view, std::string_view, std::string_view, std::string_view) override {
    return true;
  }
  bool kv_delete(std::string_view, std::string_view, std::string_view) override { return false; }

 private:
  boost::asio::io_context& io_;
};

WebhookDriver::WebhookDriver(const std::string& plugin_file, const std::string& platform,
                             const boost::json::object& config)
    : bridge_(std::make_unique<Bridge>(io_)),
      host_(std::make_unique<plugins::PluginHost>(io_.get_executor(), *bridge_)) {
  quiet_logs();
  const auto report = host_->load_file(std::string(SPARKS_PLUGIN_DIR) + "/" + plugin_file);
  plugin_ = report.loaded() ? host_->find(platform) : nullptr;
  std::string error;
  if (plugin_ == nullptr || !plugin_->configure(boost::json::serialize(config), error)) {
    std::fprintf(stderr, "cannot start %s: %s\n", plugin_file.c_str(),
                 report.refusal ? report.refusal->to_string().c_str() : error.c_str());
    std::abort();
  }
}

WebhookDriver::~WebhookDriver() {
  host_->unload_all();
  io_.restart();
  io_.poll();
}

sparks_status_t WebhookDriver::verify(const plugins::WebhookRequest& request) {
  std::optional<sparks_status_t> verdict;
  plugin_->verify_webhook(request, [&verdict](sparks_status_t status, std::string,
                                              std::vector<plugins::WebhookEvent> events) {
    // What the engine stores for each event must be there.
    if (status == SPARKS_OK)
      for (const auto& event : events)
        if (event.id.empty() || event.trigger.empty()) __builtin_trap();
    verdict = status;
  });
  io_.restart();
  // Verification makes no platform call: the answer comes within a few handlers.
  for (int turns = 0; !verdict && turns < 1000; ++turns)
    if (io_.poll() == 0 && !verdict) break;
  if (!verdict) __builtin_trap();  // the plugin never answered
  return *verdict;
}

FuzzedWebhook split_input(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {Signing::missing, {}, {}};
  const std::string_view rest = as_text(data + 1, size - 1);
  const auto signing = static_cast<Signing>(data[0] % 4);
  if (signing != Signing::fuzzed) return {signing, {}, std::string(rest)};
  const auto newline = rest.find('\n');
  if (newline == std::string_view::npos) return {signing, std::string(rest), {}};
  return {signing, std::string(rest.substr(0, newline)), std::string(rest.substr(newline + 1))};
}

}  // namespace sparks::fuzz

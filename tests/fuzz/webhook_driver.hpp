#pragma once
// A connector plugin loaded through the real PluginHost, for the webhook fuzz targets: each input
// goes through the plugin's verify_webhook (signature, then normalization into events) and the
// engine's reading of the events it answers, on one io_context run by the calling thread.
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_host.hpp"

namespace sparks::fuzz {

class WebhookDriver {
 public:
  // Loads `plugin_file` from the build's plugins/ folder and configures it with `config`; aborts
  // when either fails (a fuzz target that cannot start has nothing to say).
  WebhookDriver(const std::string& plugin_file, const std::string& platform,
                const boost::json::object& config);
  ~WebhookDriver();

  // The plugin's verdict on `request`, after the engine has read the events it answered.
  sparks_status_t verify(const plugins::WebhookRequest& request);

 private:
  class Bridge;
  boost::asio::io_context io_;
  std::unique_ptr<Bridge> bridge_;
  std::unique_ptr<plugins::PluginHost> host_;
  plugins::LoadedPlugin* plugin_ = nullptr;
};

// How a fuzzed body is presented, chosen by the input's first byte: signed as the platform signs,
// without a signature, with a wrong one, or with the input's first line as the signature header.
enum class Signing { genuine, missing, wrong, fuzzed };
struct FuzzedWebhook {
  Signing signing;
  std::string header;  // for Signing::fuzzed
  std::string body;
};
FuzzedWebhook split_input(const std::uint8_t* data, std::size_t size);

}  // namespace sparks::fuzz

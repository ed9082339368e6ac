#pragma once
// The plugin host: loads every connector in the plugin directory, refuses bad ones with a one-line
// reason (logged) and keeps going, finds plugins by platform id, and unloads them on shutdown.
//
//   PluginHost host(executor, bridge);
//   host.load_directory(options.plugin_dir);           // build/plugins/ by default
//   if (LoadedPlugin* tiktok = host.find("tiktok")) tiktok->call(Operation::authorize_url, …);
//
// Loading and unloading happen at start and shutdown, from one thread; find() and the calls may
// then come from any strand.
#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/host_bridge.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/refusal.hpp"

namespace sparks::plugins {

struct LoadReport {
  std::filesystem::path path;
  std::string platform;            // when loaded
  std::optional<Refusal> refusal;  // when refused
  bool loaded() const { return !refusal.has_value(); }
};

class PluginHost {
 public:
  // `executor` runs work tied to no integration (webhook verification); `bridge` must outlive the
  // host. Destroy the host before the io_context behind the executors.
  // `time_call`, when set, hears how long each operation took (PluginEnvironment).
  PluginHost(boost::asio::any_io_executor executor, PluginHostBridge& bridge,
             CallTimer time_call = {});
  ~PluginHost();  // unload_all()
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in `directory`, in name order. A missing directory is a warning, not an error.
  std::vector<LoadReport> load_directory(const std::filesystem::path& directory);
  // Loads one file; refused when its platform id (or the file itself) is already loaded.
  LoadReport load_file(const std::filesystem::path& path);

  // The plugin for `platform`, or null. Valid until unload_all().
  LoadedPlugin* find(std::string_view platform) const;
  std::vector<LoadedPlugin*> plugins() const;

  // Unloads every plugin, in reverse load order (see LoadedPlugin::unload).
  void unload_all();

 private:
  PluginEnvironment environment_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
};

}  // namespace sparks::plugins

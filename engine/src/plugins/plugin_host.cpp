#include "plugins/plugin_host.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "plugins/loader.hpp"

namespace sparks::plugins {

PluginHost::PluginHost(boost::asio::any_io_executor executor, PluginHostBridge& bridge,
                       CallTimer time_call) {
  environment_.bridge = &bridge;
  environment_.http = std::make_shared<HttpClient>();
  environment_.executor = std::move(executor);
  environment_.time_call = std::move(time_call);
}

PluginHost::~PluginHost() {
  unload_all();
}

std::vector<LoadReport> PluginHost::load_directory(const std::filesystem::path& directory) {
  std::vector<LoadReport> reports;
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    spdlog::warn("plugins: no plugin directory at {}", directory.string());
    return reports;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec))
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& file : files) reports.push_back(load_file(file));
  return reports;
}

LoadReport PluginHost::load_file(const std::filesystem::path& path) {
  LoadReport report{path, {}, {}};
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
  for (const auto& loaded : plugins_)
    if (std::filesystem::weakly_canonical(loaded->path(), ec) == canonical)
      report.refusal =
          Refusal{RefusalReason::duplicate_platform,
                  "this file is already loaded as platform '" + loaded->platform() + "'"};

  if (!report.refusal) {
    LoadOutcome outcome = PluginLoader::load(path, environment_);
    if (outcome.refusal) {
      report.refusal = std::move(outcome.refusal);
    } else if (const LoadedPlugin* other = find(outcome.plugin->platform())) {
      report.refusal = Refusal{RefusalReason::duplicate_platform,
                               "platform '" + outcome.plugin->platform() +
                                   "' is already provided by " + other->path().string()};
      // `outcome.plugin` is unloaded and closed as it goes out of scope.
    } else {
      report.platform = outcome.plugin->platform();
      spdlog::info("plugins: loaded {} ({} {}) from {}", report.platform,
                   outcome.plugin->descriptor().display_name, outcome.plugin->descriptor().version,
                   path.string());
      plugins_.push_back(std::move(outcome.plugin));
    }
  }
  if (report.refusal)
    spdlog::error("plugins: refused {}: {}", path.string(), report.refusal->to_string());
  return report;
}

LoadedPlugin* PluginHost::find(std::string_view platform) const {
  for (const auto& plugin : plugins_)
    if (plugin->platform() == platform) return plugin.get();
  return nullptr;
}

std::vector<LoadedPlugin*> PluginHost::plugins() const {
  std::vector<LoadedPlugin*> all;
  for (const auto& plugin : plugins_) all.push_back(plugin.get());
  return all;
}

void PluginHost::unload_all() {
  while (!plugins_.empty()) plugins_.pop_back();  // ~LoadedPlugin unloads, then closes the library
}

}  // namespace sparks::plugins

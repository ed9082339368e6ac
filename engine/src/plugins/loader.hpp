#pragma once
// Loading one plugin file, with every check in the order the ABI promises:
//   regular file → dlopen → version block present → magic → ABI major → init symbol → init →
//   operations table → descriptor copied (pointers, counts, strings) → manifest schema.
// The first failing check refuses the plugin with a reason and one line of detail; nothing of it
// stays loaded. (The duplicate-platform check needs the other plugins: PluginHost does it.)
#include <filesystem>
#include <memory>
#include <optional>

#include "plugins/loaded_plugin.hpp"
#include "plugins/refusal.hpp"

namespace sparks::plugins {

struct LoadOutcome {
  std::unique_ptr<LoadedPlugin> plugin;  // set when loaded
  std::optional<Refusal> refusal;        // set when refused
};

class PluginLoader {
 public:
  static LoadOutcome load(const std::filesystem::path& path, const PluginEnvironment& environment);
};

}  // namespace sparks::plugins

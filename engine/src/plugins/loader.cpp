#include "plugins/loader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "plugins/abi_text.hpp"

namespace sparks::plugins {
namespace {

// The operations table of ABI 1.0 ends with `shutdown`; a shorter one is not a plugin's.
constexpr std::size_t kOpsSizeV1 =
    offsetof(sparks_plugin_ops_t, shutdown) + sizeof(sparks_plugin_ops_t::shutdown);

LoadOutcome refuse(RefusalReason reason, std::string detail) {
  LoadOutcome outcome;
  outcome.refusal = Refusal{reason, std::move(detail)};
  return outcome;
}

// dlopen's own message for a text file is long and names the path twice; say it plainly first.
bool starts_like_elf(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  char magic[4] = {};
  file.read(magic, sizeof magic);
  return file.gcount() == 4 && std::memcmp(magic,
                                           "\x7f"
                                           "ELF",
                                           4) == 0;
}

}  // namespace

LoadOutcome PluginLoader::load(const std::filesystem::path& path,
                               const PluginEnvironment& environment) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return refuse(RefusalReason::not_found, "no such file");
  if (!starts_like_elf(path))
    return refuse(RefusalReason::not_shared_object, "not a shared object (no ELF header)");

  std::string error;
  std::unique_ptr<SharedLibrary> library = SharedLibrary::open(path, error);
  if (!library) return refuse(RefusalReason::not_shared_object, "dlopen failed: " + error);

  // The version block is data: reading it runs no plugin code.
  const auto* abi =
      static_cast<const sparks_plugin_abi_t*>(library->symbol(SPARKS_PLUGIN_ABI_SYMBOL));
  if (abi == nullptr)
    return refuse(RefusalReason::no_entry_point,
                  "no '" SPARKS_PLUGIN_ABI_SYMBOL "' symbol (use SPARKS_PLUGIN_DEFINE_ABI())");
  if (abi->magic != SPARKS_PLUGIN_ABI_MAGIC) {
    char found[16];
    std::snprintf(found, sizeof found, "0x%08X", abi->magic);
    return refuse(RefusalReason::wrong_magic, std::string("version block magic is ") + found +
                                                  ", expected 0x53504B31 (\"SPK1\")");
  }
  if (abi->major > SPARKS_PLUGIN_ABI_MAJOR)
    return refuse(RefusalReason::abi_too_new,
                  "built for ABI " + std::to_string(abi->major) + "." + std::to_string(abi->minor) +
                      ", newer than this host's " + std::to_string(SPARKS_PLUGIN_ABI_MAJOR) + "." +
                      std::to_string(SPARKS_PLUGIN_ABI_MINOR));
  if (abi->major < SPARKS_PLUGIN_ABI_MAJOR)
    return refuse(RefusalReason::abi_too_old, "built for ABI major " + std::to_string(abi->major) +
                                                  ", this host supports " +
                                                  std::to_string(SPARKS_PLUGIN_ABI_MAJOR));

  auto init = reinterpret_cast<sparks_plugin_init_fn_t>(library->symbol(SPARKS_PLUGIN_INIT_SYMBOL));
  if (init == nullptr)
    return refuse(RefusalReason::no_entry_point, "no '" SPARKS_PLUGIN_INIT_SYMBOL "' function");

  auto services = std::make_unique<PluginServices>(path.filename().string(), environment);
  sparks_plugin_t plugin{};
  sparks_str_t init_error{};
  sparks_status_t status = init(host_api(), services->handle(), &plugin, &init_error);
  if (status != SPARKS_OK)
    return refuse(RefusalReason::init_failed,
                  "init returned " + std::to_string(status) + ": " + sanitize_message(init_error));

  if (plugin.ops == nullptr || plugin.ops->struct_size < kOpsSizeV1)
    // Without a usable table there is no shutdown to call: whatever init allocated is lost.
    return refuse(RefusalReason::invalid_descriptor, "init returned no usable operations table");
  sparks_plugin_ops_t ops{};
  std::memcpy(&ops, plugin.ops, std::min(plugin.ops->struct_size, sizeof ops));
  ops.struct_size = std::min(plugin.ops->struct_size, sizeof ops);

  // From here on the plugin is initialized: dropping `loaded` calls its shutdown.
  std::unique_ptr<LoadedPlugin> loaded(
      new LoadedPlugin(path, std::move(library), std::move(services), plugin, ops));
  DescriptorCopy copy = copy_descriptor(plugin.descriptor);
  if (!copy.descriptor) return refuse(RefusalReason::invalid_descriptor, copy.error);
  copy.descriptor->abi_major = abi->major;
  copy.descriptor->abi_minor = abi->minor;
  std::vector<std::string> problems = validate_descriptor(*copy.descriptor);
  if (!problems.empty()) {
    std::string detail = problems.front();
    if (problems.size() > 1) detail += " (and " + std::to_string(problems.size() - 1) + " more)";
    return refuse(RefusalReason::invalid_descriptor, detail);
  }
  loaded->descriptor_ = std::move(*copy.descriptor);
  loaded->services_->attach(&loaded->descriptor_);

  LoadOutcome outcome;
  outcome.plugin = std::move(loaded);
  return outcome;
}

}  // namespace sparks::plugins

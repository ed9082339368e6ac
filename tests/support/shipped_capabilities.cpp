#include "support/shipped_capabilities.hpp"

#include <sparks/plugin.hpp>

#include <stdexcept>

#include "plugins/descriptor.hpp"
#include "tiktok/tiktok.hpp"
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::test_support {

namespace {

plugins::PluginDescriptor copied(sparks::plugin::Manifest manifest) {
  const sparks::plugin::DescriptorStorage storage(std::move(manifest));
  plugins::DescriptorCopy copy = plugins::copy_descriptor(storage.get());
  if (!copy.descriptor) throw std::runtime_error("descriptor refused: " + copy.error);
  if (auto problems = plugins::validate_descriptor(*copy.descriptor); !problems.empty())
    throw std::runtime_error("descriptor refused: " + problems.front());
  return std::move(*copy.descriptor);
}

}  // namespace

flows::Capabilities shipped_capabilities(std::vector<std::string> installed) {
  static const plugins::PluginDescriptor tiktok = copied(sparks::tiktok::manifest());
  static const plugins::PluginDescriptor shop = copied(sparks::tiktok_shop::manifest());
  flows::Capabilities capabilities = flows::Capabilities::from_descriptors({&tiktok, &shop});
  capabilities.installed_platforms = std::move(installed);
  return capabilities;
}

}  // namespace sparks::test_support

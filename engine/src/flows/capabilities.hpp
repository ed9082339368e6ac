#pragma once
// The triggers and actions flows may use: which platform provides each, which scope it needs, and
// which template variables a trigger offers. A flow naming anything else is refused.
#include <string>
#include <string_view>
#include <vector>

namespace sparks::flows {

struct TriggerInfo {
  std::string name, platform, scope;
  std::vector<std::string> variables;  // "contact.username", "comment.text", …
};

struct ActionInfo {
  std::string name, platform, scope;  // platform and scope empty for engine actions
};

struct Capabilities {
  std::vector<TriggerInfo> triggers;
  std::vector<ActionInfo> actions;
  std::vector<std::string> installed_platforms;

  // The shipped connectors' triggers and actions, and the engine's own (contact.tag, wait).
  static Capabilities builtin(std::vector<std::string> installed_platforms = {"tiktok",
                                                                              "tiktok_shop"});
  const TriggerInfo* trigger(std::string_view name) const;
  const ActionInfo* action(std::string_view name) const;
  bool installed(std::string_view platform) const;
};

// Template variables a product chosen by seller_sku adds.
inline const std::vector<std::string> kProductVariables = {"product.title", "product.price",
                                                           "product.link", "product.sku"};

}  // namespace sparks::flows

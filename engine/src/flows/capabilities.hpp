#pragma once
// The triggers and actions flows may use, built from the descriptors of the loaded plugins plus the
// engine's own actions (contact.tag, wait) and variables (contact.*, product.*): which platform
// provides each, which scope it needs, what kind it is, the template variables a trigger offers
// and the parameters an action takes. A flow naming anything else is refused.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flows/flow_definition.hpp"

namespace sparks::plugins {
struct PluginDescriptor;
}

namespace sparks::flows {

// A variable a trigger offers, and the payload field it is read from.
struct VariableSource {
  std::string name;   // "comment.text"
  std::string field;  // "text"
};

struct TriggerInfo {
  std::string name, platform, scope;  // scope: empty when none is needed
  TriggerKind kind = TriggerKind::other;
  std::vector<VariableSource> sources;  // its own variables
  std::vector<std::string> variables;   // every variable it offers: contact.*, then its own
  // Non-empty: the platform lets the account answer its event with one message although the
  // person never wrote (Comment-to-Message); the payload field naming what is answered.
  std::string reply_field;
};

enum class ActionKind { other, message };

struct ActionParam {
  std::string name, type;  // type: "string", "integer", "number", "boolean", "object", "array"
  bool required = false;
  std::string description;
  std::optional<std::string> default_value;  // a template the engine fills it from
};

// The platform's messaging window for a message action (docs/flows.md, "Messaging rules"): a
// message reaches a person only within `hours` after they last wrote, at most `messages` per
// window (0: no limit). hours == 0: the platform has no such rule.
struct MessagingWindow {
  int hours = 0;
  int messages = 0;
  std::string conversation_param;  // filled with the person's conversation id
  std::string reply_param;         // filled when answering an event whose trigger grants a reply
};

struct ActionInfo {
  std::string name, platform, scope;  // platform and scope empty for engine actions
  ActionKind kind = ActionKind::other;
  std::optional<TriggerKind> answers;  // the only kind of trigger it follows; none: any
  std::vector<ActionParam> params;     // a plugin action's; the loader knows the engine's own
  MessagingWindow window;
  bool is_engine() const { return platform.empty(); }
};

// What a connected account cannot do, as its platform reported it (the account's `unavailable`):
// `sparks check --config` reads them from the store, so that a flow relying on such an action is
// warned about before it is published.
struct AccountLimit {
  std::string workspace, platform, account, action, reason;
};

struct Capabilities {
  std::vector<TriggerInfo> triggers;
  std::vector<ActionInfo> actions;
  std::vector<std::string> installed_platforms;
  std::vector<AccountLimit> account_limits;  // empty unless a check was given them

  // The triggers and actions of `descriptors` (loaded and validated), then the engine's own
  // actions; every descriptor's platform is installed.
  static Capabilities from_descriptors(
      const std::vector<const plugins::PluginDescriptor*>& plugins);

  const TriggerInfo* trigger(std::string_view name) const;
  const ActionInfo* action(std::string_view name) const;
  bool installed(std::string_view platform) const;
  // The names of the triggers of `kind`, preferring those of `platform` when it has any.
  std::vector<std::string> triggers_of_kind(TriggerKind kind, std::string_view platform) const;
};

// Template variables every trigger offers: the contact the event is about.
inline const std::vector<std::string> kContactVariables = {"contact.user", "contact.username",
                                                           "contact.tags"};
// Template variables a product chosen by seller_sku adds.
inline const std::vector<std::string> kProductVariables = {"product.title", "product.price",
                                                           "product.link", "product.sku"};
// The template variable message actions offer: a short code unique to the message. An order that
// brings it back (a code the buyer applies or writes) is credited to the flow that sent it.
inline constexpr std::string_view kAttributionCodeVariable = "attribution.code";

// The trigger options a kind of trigger takes (schemas/flow.schema.json defines each option).
const std::vector<std::string>& trigger_options(TriggerKind kind);

// What the trigger `name` is, as its plugin declares (other when no plugin declares it).
inline TriggerKind trigger_kind_of(const Capabilities& capabilities, std::string_view name) {
  const auto* trigger = capabilities.trigger(name);
  return trigger ? trigger->kind : TriggerKind::other;
}
// "comment", "message", "order", "other".
std::string_view kind_name(TriggerKind kind);
std::optional<TriggerKind> trigger_kind(std::string_view name);

}  // namespace sparks::flows

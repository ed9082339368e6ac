#include "flows/capabilities.hpp"

#include <algorithm>

#include "plugins/descriptor.hpp"

namespace sparks::flows {

namespace {

// The first scope that enables `name`; empty when none does (it needs no scope).
std::string scope_enabling(const plugins::PluginDescriptor& d, std::string_view name) {
  for (const auto& scope : d.scopes)
    if (std::find(scope.enables.begin(), scope.enables.end(), name) != scope.enables.end())
      return scope.name;
  return {};
}

TriggerInfo trigger_of(const plugins::PluginDescriptor& d, const plugins::OperationInfo& t) {
  TriggerInfo info{t.name,
                   d.platform_id,
                   scope_enabling(d, t.name),
                   trigger_kind(t.kind).value_or(TriggerKind::other),
                   {},
                   kContactVariables};
  for (const auto& v : t.variables) {
    info.sources.push_back({v.name, v.field});
    info.variables.push_back(v.name);
  }
  info.reply_field = t.reply_field;
  return info;
}

ActionInfo action_of(const plugins::PluginDescriptor& d, const plugins::OperationInfo& a) {
  ActionInfo info{a.name,
                  d.platform_id,
                  scope_enabling(d, a.name),
                  a.kind == "message" ? ActionKind::message : ActionKind::other,
                  trigger_kind(a.answers),
                  {}};
  for (const auto& p : a.params)
    info.params.push_back(
        {p.name, p.type, p.required, p.description,
         p.default_value.empty() ? std::nullopt : std::optional<std::string>(p.default_value)});
  info.window = {static_cast<int>(a.window.hours), static_cast<int>(a.window.messages),
                 a.window.conversation_param, a.window.reply_param};
  return info;
}

// The engine's own actions; the flow loader checks their parameters itself.
std::vector<ActionInfo> engine_actions() {
  const auto tags = [](const char* name, const char* description) {
    return ActionParam{name, "array", false, description, std::nullopt};
  };
  return {{"contact.tag",
           "",
           "",
           ActionKind::other,
           std::nullopt,
           {tags("add", "tags to add"), tags("remove", "tags to remove")}},
          {"wait",
           "",
           "",
           ActionKind::other,
           std::nullopt,
           {{"for", "string", true, "how long: 30s, 10m, 24h, 7d", std::nullopt}}}};
}

}  // namespace

Capabilities Capabilities::from_descriptors(
    const std::vector<const plugins::PluginDescriptor*>& plugins) {
  Capabilities c;
  for (const auto* d : plugins) {
    for (const auto& t : d->triggers) c.triggers.push_back(trigger_of(*d, t));
    for (const auto& a : d->actions) c.actions.push_back(action_of(*d, a));
    c.installed_platforms.push_back(d->platform_id);
  }
  for (auto& action : engine_actions()) c.actions.push_back(std::move(action));
  return c;
}

const TriggerInfo* Capabilities::trigger(std::string_view name) const {
  for (const auto& t : triggers)
    if (t.name == name) return &t;
  return nullptr;
}

const ActionInfo* Capabilities::action(std::string_view name) const {
  for (const auto& a : actions)
    if (a.name == name) return &a;
  return nullptr;
}

bool Capabilities::installed(std::string_view platform) const {
  return platform.empty() || std::find(installed_platforms.begin(), installed_platforms.end(),
                                       platform) != installed_platforms.end();
}

std::vector<std::string> Capabilities::triggers_of_kind(TriggerKind kind,
                                                        std::string_view platform) const {
  std::vector<std::string> all, own;
  for (const auto& t : triggers) {
    if (t.kind != kind) continue;
    all.push_back(t.name);
    if (t.platform == platform) own.push_back(t.name);
  }
  return own.empty() ? all : own;
}

const std::vector<std::string>& trigger_options(TriggerKind kind) {
  static const std::vector<std::string> kComment = {"keywords", "question",    "first_comment",
                                                    "videos",   "sku_mention", "lives"};
  static const std::vector<std::string> kMessage = {"keywords"};
  static const std::vector<std::string> kOrder = {"status"};
  static const std::vector<std::string> kNone;
  switch (kind) {
    case TriggerKind::comment:
      return kComment;
    case TriggerKind::message:
      return kMessage;
    case TriggerKind::order:
      return kOrder;
    case TriggerKind::other:
      break;
  }
  return kNone;
}

std::string_view kind_name(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::comment:
      return "comment";
    case TriggerKind::message:
      return "message";
    case TriggerKind::order:
      return "order";
    case TriggerKind::other:
      break;
  }
  return "other";
}

std::optional<TriggerKind> trigger_kind(std::string_view name) {
  for (auto kind :
       {TriggerKind::other, TriggerKind::comment, TriggerKind::message, TriggerKind::order})
    if (kind_name(kind) == name) return kind;
  return std::nullopt;
}

}  // namespace sparks::flows

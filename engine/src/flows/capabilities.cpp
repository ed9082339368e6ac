#include "flows/capabilities.hpp"

#include <algorithm>

namespace sparks::flows {

Capabilities Capabilities::builtin(std::vector<std::string> installed_platforms) {
  const std::vector<std::string> contact = {"contact.user", "contact.username", "contact.tags"};
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), contact.begin(), contact.end());
    return more;
  };
  Capabilities c;
  c.triggers = {
      {"tiktok.comment", "tiktok", "comment.list",
       with({"comment.id", "comment.text", "comment.video_id"})},
      {"tiktok.dm", "tiktok", "message.list.send", with({"message.text"})},
      {"tiktok_shop.order", "tiktok_shop", "order.read",
       with({"order.id", "order.status", "order.total", "order.currency"})},
  };
  c.actions = {
      {"tiktok.send_dm", "tiktok", "message.list.send"},
      {"tiktok.reply_comment", "tiktok", "comment.list"},
      {"contact.tag", "", ""},
      {"wait", "", ""},
  };
  c.installed_platforms = std::move(installed_platforms);
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

}  // namespace sparks::flows

#include "webapp/cards_html.hpp"

#include <boost/json.hpp>

#include "http/form.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;

std::string text_of(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::string status_field(const json::object& card) {
  std::string dot = text_of(card, "dot");
  if (dot != "green" && dot != "yellow" && dot != "red") dot = "grey";
  return "<dd data-field=\"status\"><span class=\"dot dot-" + dot +
         "\" aria-hidden=\"true\"></span> " + escape(text_of(card, "status")) + "</dd>";
}

std::string last_sync_field(const json::object& card, Clock::time_point now) {
  const auto at = parse_rfc3339(text_of(card, "last_sync"));
  return "<dd data-field=\"last_sync\">" + (at ? time_element(*at, now) : std::string("Never")) +
         "</dd>";
}

std::string webhook_field(const json::object& card) {
  const bool receiving = text_of(card, "webhook") == "receiving";
  return std::string("<dd data-field=\"webhook\">") +
         (receiving ? "Receiving events" : "Waiting\u2026") + "</dd>";
}

std::string account_field(const json::object& card) {
  const auto* account = card.if_contains("account");
  std::string shown;
  if (account && account->is_object()) {
    const auto& a = account->get_object();
    const auto username = text_of(a, "username");
    const auto name = text_of(a, "name");
    if (!username.empty()) shown = "@" + username;
    if (!name.empty()) shown += shown.empty() ? name : " (" + name + ")";
    if (shown.empty()) shown = text_of(a, "id");
    if (const auto type = text_of(a, "type"); !type.empty()) shown += " · " + type;
  }
  return "<dd data-field=\"account\">" + (shown.empty() ? std::string("None") : escape(shown)) +
         "</dd>";
}

std::string scopes_field(const json::object& card, std::string_view key) {
  std::string out = "<dd data-field=\"" + std::string(key) + "\">";
  const auto* scopes = card.if_contains(key);
  if (!scopes || !scopes->is_array() || scopes->get_array().empty()) return out + "None</dd>";
  out += "<ul>";
  for (const auto& scope : scopes->get_array())
    if (scope.is_string()) out += "<li>" + escape(scope.get_string()) + "</li>";
  return out + "</ul></dd>";
}

std::string issues_list(const json::object& card) {
  std::string out = "<ul class=\"issues\">";
  if (const auto* issues = card.if_contains("issues"); issues && issues->is_array())
    for (const auto& item : issues->get_array()) {
      if (!item.is_object()) continue;
      const auto& issue = item.get_object();
      out += "<li data-issue=\"" + escape(text_of(issue, "code")) + "\"><span class=\"message\">" +
             escape(text_of(issue, "message")) + "</span>";
      if (const auto help = text_of(issue, "troubleshooting"); !help.empty())
        out += " <span class=\"troubleshooting\">" + escape(help) + "</span>";
      out += "</li>";
    }
  return out + "</ul>";
}

// Connect always (on a live integration it is a reconnect that keeps it working meanwhile);
// Disconnect while something is connected (a green or yellow dot). Only an owner may do either
// (the engine refuses anyone else): others see them disabled, and why.
std::string actions(const json::object& card, const Viewer& viewer) {
  const auto platform = text_of(card, "platform");
  const auto title = platform_title(platform);
  const bool owner = viewer.actor.role == Role::owner;
  const std::string disabled = owner ? "" : " disabled";
  const auto base =
      workspace_path(viewer.workspace, "integrations/" + http::percent_encode(platform) + "/");
  std::string out = "<div class=\"actions\"><form method=\"post\" action=\"" +
                    escape(base + "connect") + "\">" + csrf_field(viewer) +
                    "<button type=\"submit\" data-action=\"connect\"" + disabled + ">Connect " +
                    escape(title) + "</button></form>";
  const auto dot = text_of(card, "dot");
  if (dot == "green" || dot == "yellow") {
    if (owner)
      out += "<a class=\"button\" data-action=\"disconnect\" href=\"" +
             escape(base + "disconnect") + "\">Disconnect</a>";
    else
      out += "<button type=\"button\" data-action=\"disconnect\" disabled>Disconnect</button>";
  }
  out += "</div>";
  if (!owner)
    out += "<p class=\"why-disabled\">Only an owner of this workspace can connect or disconnect " +
           escape(title) + ".</p>";
  return out;
}

}  // namespace

// The card names its platform by id; people read these names (the connectors' own, as on the
// help page).
std::string platform_title(std::string_view platform) {
  if (platform == "tiktok") return "TikTok";
  if (platform == "tiktok_shop") return "TikTok Shop";
  return std::string(platform);
}

std::string card_html(const json::object& card, const Viewer& viewer, Clock::time_point now) {
  const auto platform = text_of(card, "platform");
  std::string out = "<article class=\"card\" data-platform=\"" + escape(platform) +
                    "\" aria-labelledby=\"card-" + escape(platform) + "\"><h2 id=\"card-" +
                    escape(platform) + "\">" + escape(platform_title(platform)) + "</h2><dl>";
  out += "<dt>Status</dt>" + status_field(card);
  out += "<dt>Last sync</dt>" + last_sync_field(card, now);
  out += "<dt>Webhook</dt>" + webhook_field(card);
  out += "<dt>Account</dt>" + account_field(card);
  out += "<dt>Granted scopes</dt>" + scopes_field(card, "granted_scopes");
  out += "<dt>Missing scopes</dt>" + scopes_field(card, "missing_scopes");
  out += "</dl>" + issues_list(card) + actions(card, viewer) + "</article>";
  return out;
}

std::string cards_html(const json::value& integrations, const Viewer& viewer,
                       Clock::time_point now) {
  std::string out;
  if (const auto* object = integrations.if_object())
    if (const auto* list = object->if_contains("integrations"); list && list->is_array())
      for (const auto& card : list->get_array())
        if (card.is_object()) out += card_html(card.get_object(), viewer, now);
  return out;
}

}  // namespace sparks::webapp

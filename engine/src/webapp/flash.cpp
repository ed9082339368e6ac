#include "webapp/flash.hpp"

#include <boost/json.hpp>

#include "http/form.hpp"
#include "webapp/cards_html.hpp"
#include "webapp/html.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;

const json::object* card_of(const json::value& integrations, std::string_view platform) {
  const auto* object = integrations.if_object();
  const auto* list = object ? object->if_contains("integrations") : nullptr;
  if (!list || !list->is_array()) return nullptr;
  for (const auto& card : list->get_array())
    if (const auto* c = card.if_object())
      if (const auto* p = c->if_contains("platform");
          p && p->is_string() && p->get_string() == platform)
        return c;
  return nullptr;
}

std::string missing_scopes(const json::object& card) {
  std::string out;
  if (const auto* scopes = card.if_contains("missing_scopes"); scopes && scopes->is_array())
    for (const auto& scope : scopes->get_array())
      if (scope.is_string()) out += (out.empty() ? "" : ", ") + std::string(scope.get_string());
  return out;
}

// The card's issue that explains `reason`, when it carries one (its words are the engine's).
std::string issue_message(const json::object& card, std::string_view reason) {
  if (const auto* issues = card.if_contains("issues"); issues && issues->is_array())
    for (const auto& item : issues->get_array())
      if (const auto* issue = item.if_object()) {
        const auto* code = issue->if_contains("code");
        const auto* message = issue->if_contains("message");
        if (code && code->is_string() && code->get_string() == reason && message &&
            message->is_string())
          return std::string(message->get_string());
      }
  return {};
}

std::string refusal_text(std::string_view reason, const std::string& title) {
  if (reason == "consent_denied") return "The authorization was declined on " + title + "'s page.";
  if (reason == "personal_account")
    return title +
           " refused: this is a personal account. Switch it to a Business account, then "
           "connect again.";
  if (reason == "business_mismatch")
    return title + " refused: the account belongs to another business than this workspace's.";
  if (reason == "account_in_use")
    return title + " refused: this account is connected in another Sparks workspace.";
  return "The connection to " + title + " was refused.";
}

std::string div(std::string_view kind, const std::string& text) {
  return "<div class=\"flash\" role=\"status\" data-flash=\"" + std::string(kind) + "\">" +
         escape(text) + "</div>";
}

}  // namespace

std::string flash_query(std::string_view flash, std::string_view platform,
                        std::string_view reason) {
  http::Fields fields{{"flash", std::string(flash)}, {"platform", std::string(platform)}};
  if (!reason.empty()) fields.emplace_back("reason", std::string(reason));
  return "?" + http::encode_form(fields);
}

std::string flash_html(const http::Fields& query, const json::value& integrations) {
  const auto flash = http::field(query, "flash");
  const auto platform = http::field(query, "platform");
  if (!flash || !platform) return {};
  const auto* card = card_of(integrations, *platform);
  if (!card) return {};
  const auto title = platform_title(*platform);
  const auto missing = missing_scopes(*card);
  if ((*flash == "connected" || *flash == "partial") && !missing.empty())
    return div("partial", title + " is partially connected. Not granted: " + missing +
                              ". Connect again and allow them for everything to work.");
  if (*flash == "connected" || *flash == "partial")
    return div("connected", title + " is connected.");
  if (*flash == "refused") {
    const auto reason = http::field(query, "reason").value_or("");
    auto text = issue_message(*card, reason);
    return div("refused", text.empty() ? refusal_text(reason, title) : title + " refused: " + text);
  }
  if (*flash == "disconnected")
    return div("disconnected", title +
                                   " is disconnected. The automations that need it are paused; "
                                   "drafts, inbox, analytics and contacts are kept.");
  return {};
}

}  // namespace sparks::webapp

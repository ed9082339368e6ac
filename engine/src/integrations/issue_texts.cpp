#include "integrations/issue_texts.hpp"

#include <algorithm>
#include <utility>

namespace sparks::runtime::issue_texts {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

IssueToRaise issue(std::string_view code, std::string message, std::string troubleshooting) {
  return {std::string(code), std::move(message), std::move(troubleshooting)};
}

}  // namespace

std::string display_name(std::string_view platform) {
  if (platform == "tiktok") return "TikTok";
  if (platform == "tiktok_shop") return "TikTok Shop";
  return std::string(platform);
}

IssueToRaise missing_scopes(std::string_view platform, const std::vector<std::string>& scopes,
                            const std::vector<std::string>& effects) {
  std::string what;
  if (effects.empty()) {
    what = joined(scopes) + (scopes.size() == 1 ? " was" : " were") + " not approved";
  } else {
    for (const auto& effect : effects) what += (what.empty() ? "" : "; ") + effect;
  }
  return issue(kMissingScopes,
               display_name(platform) + " is partially connected. " + what +
                   " — reconnect and approve every scope",
               "Integrations → " + display_name(platform) + " → Reconnect");
}

std::string scope_effect(std::string_view scope, const std::vector<std::string>& enables,
                         std::string_view description) {
  // What a person notices, for the triggers and actions the connectors declare; the scope's own
  // description otherwise.
  static constexpr std::pair<std::string_view, std::string_view> kPhrases[] = {
      {"tiktok.send_dm", "DMs cannot be sent"},
      {"tiktok.reply_comment", "comment replies cannot be posted"},
      {"tiktok_shop.get_order", "orders cannot be looked up"},
      {"tiktok.comment", "comment triggers do not fire"},
      {"tiktok.dm", "DM triggers do not fire"},
      {"tiktok_shop.order", "new orders are not seen"},
  };
  std::vector<std::string_view> phrases;
  for (const auto& [name, words] : kPhrases)
    if (std::find(enables.begin(), enables.end(), name) != enables.end()) phrases.push_back(words);
  if (phrases.empty())
    return "no access to: " + std::string(description) + " (" + std::string(scope) +
           " was not approved)";
  std::string out = std::string(phrases.front()) + ": " + std::string(scope) + " was not approved";
  for (std::size_t i = 1; i < phrases.size(); ++i)
    out += (i == 1 ? " (also: " : ", ") + std::string(phrases[i]);
  return phrases.size() > 1 ? out + ")" : out;
}

std::string refusal_message(std::string_view code, std::string_view platform) {
  if (code == kPersonalAccount) return personal_account(platform).message;
  if (code == kBusinessMismatch) return business_mismatch(platform).message;
  if (code == kNotOwner)
    return "Only an owner of the workspace can do that for " + display_name(platform);
  return "The " + display_name(platform) + " integration refused this (" + std::string(code) + ")";
}

IssueToRaise personal_account(std::string_view platform) {
  return issue(kPersonalAccount,
               "That is a personal " + display_name(platform) +
                   " account; connect the creator (business) account that posts your videos",
               "Switch the account to a business account in the TikTok app, then connect again");
}

IssueToRaise business_mismatch(std::string_view platform) {
  return issue(kBusinessMismatch,
               "This " + display_name(platform) +
                   " account belongs to another business than the connected creator account; the "
                   "creator and the Shop must be on the same business",
               "Connect the TikTok Shop seller account tied to your creator account");
}

IssueToRaise consent_denied(std::string_view platform, std::string_view description) {
  return issue(kConsentDenied,
               "Authorization was not granted on " + display_name(platform) +
                   (description.empty() ? std::string() : ": " + std::string(description)),
               "Click Connect again and approve the requested scopes");
}

IssueToRaise authorization_expired(std::string_view platform) {
  return issue(kAuthorizationExpired,
               "The " + display_name(platform) + " authorization was not completed in time",
               "Click Connect again and finish signing in on " + display_name(platform));
}

IssueToRaise reconnect_required(std::string_view platform) {
  return issue(kReconnectRequired,
               display_name(platform) +
                   " rejected our saved authorization; an owner needs to reconnect the account",
               "Integrations → " + display_name(platform) + " → Connect");
}

IssueToRaise authorization_removed(std::string_view platform, std::string_view reason) {
  return issue(kAuthorizationRemoved,
               "Access was removed on " + display_name(platform) +
                   (reason.empty() ? std::string() : " (" + std::string(reason) + ")") +
                   "; automations that depend on it are paused",
               "Integrations → " + display_name(platform) + " → Connect");
}

}  // namespace sparks::runtime::issue_texts

#include "runtime/issue_texts.hpp"

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

IssueToRaise missing_scopes(std::string_view platform, const std::vector<std::string>& scopes) {
  return issue(kMissingScopes,
               display_name(platform) + " is partially connected: " + joined(scopes) +
                   (scopes.size() == 1 ? " was" : " were") +
                   " not approved, so the automations that need it will not run — reconnect and "
                   "approve every scope",
               "Integrations → " + display_name(platform) + " → Reconnect");
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

#include "integrations/issue_texts.hpp"

#include <algorithm>
#include <optional>
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

IssueToRaise missing_scopes(std::string_view platform_name, const std::vector<std::string>& scopes,
                            const std::vector<std::string>& effects) {
  std::string what;
  if (effects.empty()) {
    what = joined(scopes) + (scopes.size() == 1 ? " was" : " were") + " not approved";
  } else {
    for (const auto& effect : effects) what += (what.empty() ? "" : "; ") + effect;
  }
  return issue(kMissingScopes,
               std::string(platform_name) + " is partially connected. " + what +
                   " — reconnect and approve every scope",
               "Integrations → " + std::string(platform_name) + " → Reconnect");
}

namespace {

// What a person notices when a trigger or action cannot run, by its kind, and where the phrase
// goes in a list of them (the action a person misses most first).
struct Noticed {
  int rank;
  std::string_view words;
};

std::optional<Noticed> noticed(const flows::Capabilities& capabilities, std::string_view name) {
  using flows::TriggerKind;
  if (const auto* action = capabilities.action(name)) {
    if (action->kind == flows::ActionKind::message) return Noticed{0, "DMs cannot be sent"};
    if (action->answers == TriggerKind::comment)
      return Noticed{1, "comment replies cannot be posted"};
    if (action->answers == TriggerKind::order) return Noticed{2, "orders cannot be looked up"};
  }
  if (const auto* trigger = capabilities.trigger(name)) {
    if (trigger->kind == TriggerKind::comment) return Noticed{3, "comment triggers do not fire"};
    if (trigger->kind == TriggerKind::message) return Noticed{4, "DM triggers do not fire"};
    if (trigger->kind == TriggerKind::order) return Noticed{5, "new orders are not seen"};
  }
  return std::nullopt;
}

}  // namespace

std::string scope_effect(std::string_view scope, const std::vector<std::string>& enables,
                         std::string_view description, const flows::Capabilities& capabilities) {
  // What a person notices, from the kinds of what the scope enables; the scope's own description
  // when none of them says.
  std::vector<Noticed> found;
  for (const auto& name : enables)
    if (auto n = noticed(capabilities, name))
      if (std::none_of(found.begin(), found.end(),
                       [&](const Noticed& f) { return f.rank == n->rank; }))
        found.push_back(*n);
  std::sort(found.begin(), found.end(),
            [](const Noticed& a, const Noticed& b) { return a.rank < b.rank; });
  if (found.empty())
    return "no access to: " + std::string(description) + " (" + std::string(scope) +
           " was not approved)";
  std::string out =
      std::string(found.front().words) + ": " + std::string(scope) + " was not approved";
  for (std::size_t i = 1; i < found.size(); ++i)
    out += (i == 1 ? " (also: " : ", ") + std::string(found[i].words);
  return found.size() > 1 ? out + ")" : out;
}

std::string refusal_message(std::string_view code, std::string_view platform_name,
                            std::string_view holder) {
  if (code == kPersonalAccount) return personal_account(platform_name).message;
  if (code == kBusinessMismatch) return business_mismatch(platform_name).message;
  if (code == kAccountInUse) return account_in_use(platform_name, holder).message;
  if (code == kNotOwner)
    return "Only an owner of the workspace can do that for " + std::string(platform_name);
  return "The " + std::string(platform_name) + " integration refused this (" + std::string(code) +
         ")";
}

IssueToRaise personal_account(std::string_view platform_name) {
  return issue(kPersonalAccount,
               "That is a personal " + std::string(platform_name) +
                   " account; connect the creator (business) account that posts your videos",
               "Switch the account to a business account in the TikTok app, then connect again");
}

IssueToRaise business_mismatch(std::string_view platform_name) {
  return issue(kBusinessMismatch,
               "This " + std::string(platform_name) +
                   " account belongs to another business than the connected creator account; the "
                   "creator and the Shop must be on the same business",
               "Connect the TikTok Shop seller account tied to your creator account");
}

IssueToRaise account_in_use(std::string_view platform_name, std::string_view holder) {
  const std::string name(platform_name);
  return issue(
      kAccountInUse,
      "This " + name + " account is already connected in " +
          (holder.empty() ? std::string("another Sparks workspace") : std::string(holder)) +
          "; an account can be connected in one workspace at a time",
      "Disconnect it in the workspace that has it (Integrations → " + name +
          " → Disconnect), then click Connect here again");
}

IssueToRaise consent_denied(std::string_view platform_name, std::string_view description) {
  return issue(kConsentDenied,
               "Authorization was not granted on " + std::string(platform_name) +
                   (description.empty() ? std::string() : ": " + std::string(description)),
               "Click Connect again and approve the requested scopes");
}

IssueToRaise authorization_expired(std::string_view platform_name) {
  return issue(kAuthorizationExpired,
               "The " + std::string(platform_name) + " authorization was not completed in time",
               "Click Connect again and finish signing in on " + std::string(platform_name));
}

IssueToRaise reconnect_required(std::string_view platform_name) {
  return issue(kReconnectRequired,
               std::string(platform_name) +
                   " rejected our saved authorization; an owner needs to reconnect the account",
               "Integrations → " + std::string(platform_name) + " → Connect");
}

IssueToRaise authorization_expiring(std::string_view platform_name, std::string_view expires_at) {
  const std::string name(platform_name);
  return issue(kAuthorizationExpiring,
               name + "'s authorization " +
                   (expires_at.empty() ? std::string("expires soon")
                                       : "expires at " + std::string(expires_at)) +
                   "; an owner needs to reconnect before then, or automations that depend on it "
                   "stop",
               "Integrations → " + name + " → Connect");
}

IssueToRaise paused(std::string_view platform_name, std::string_view why) {
  const std::string name(platform_name);
  return issue(kPaused,
               name + " is paused" + (why.empty() ? std::string() : ": " + std::string(why)) +
                   "; Sparks retries on its own, and the events that arrive meanwhile wait for it",
               "Nothing to do unless it lasts; then check " + name +
                   "'s status, or reconnect (Integrations → " + name + " → Connect)");
}

IssueToRaise authorization_removed(std::string_view platform_name, std::string_view reason) {
  return issue(kAuthorizationRemoved,
               "Access was removed on " + std::string(platform_name) +
                   (reason.empty() ? std::string() : " (" + std::string(reason) + ")") +
                   "; automations that depend on it are paused",
               "Integrations → " + std::string(platform_name) + " → Connect");
}

}  // namespace sparks::runtime::issue_texts

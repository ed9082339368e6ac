#pragma once
// The words on an integration card's issues and on refusals: one function per code, so the texts
// a person reads live in one place.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "flows/capabilities.hpp"
#include "integrations/transition_context.hpp"

namespace sparks::runtime::issue_texts {

// Every text names the platform as people know it: `platform_name` is the display name its
// plugin's descriptor gives ("TikTok").

// Refusals (what a refuse_* lifecycle action records); the last two are also issue codes.
inline constexpr std::string_view kNotOwner = "not_owner";

inline constexpr std::string_view kMissingScopes = "missing_scopes";
inline constexpr std::string_view kPersonalAccount = "personal_account";
inline constexpr std::string_view kBusinessMismatch = "business_mismatch";
inline constexpr std::string_view kAccountInUse = "account_in_use";
inline constexpr std::string_view kConsentDenied = "consent_denied";
inline constexpr std::string_view kAuthorizationExpired = "authorization_expired";
inline constexpr std::string_view kReconnectRequired = "reconnect_required";
inline constexpr std::string_view kAuthorizationRemoved = "authorization_removed";
inline constexpr std::string_view kAuthorizationExpiring = "authorization_expiring";
inline constexpr std::string_view kPaused = "paused";

// Issues that a successful connection makes obsolete.
inline constexpr std::array kConnectionIssueCodes{
    kMissingScopes,     kPersonalAccount,      kBusinessMismatch,
    kAccountInUse,      kConsentDenied,        kAuthorizationExpired,
    kReconnectRequired, kAuthorizationRemoved, kAuthorizationExpiring};

// `effects`: one line per missing scope saying what it disables (see scope_effect); when empty,
// the scopes are named alone.
IssueToRaise missing_scopes(std::string_view platform_name, const std::vector<std::string>& scopes,
                            const std::vector<std::string>& effects = {});
// "DMs cannot be sent: message.list.send was not approved", from what the triggers and actions
// the scope enables are (their kinds, in `capabilities`).
std::string scope_effect(std::string_view scope, const std::vector<std::string>& enables,
                         std::string_view description, const flows::Capabilities& capabilities);
// What a person reads when the lifecycle refused a request with `code`: the words of the issue
// that refusal raises, or a line naming the code for a refusal without one. `holder`: as for
// account_in_use.
std::string refusal_message(std::string_view code, std::string_view platform_name,
                            std::string_view holder = {});

IssueToRaise personal_account(std::string_view platform_name);
IssueToRaise business_mismatch(std::string_view platform_name);
// The account is connected in another workspace. `holder` names that workspace for a person who
// may know it (an owner of it: "workspace 'Studio' (studio)"); empty, it is "another Sparks
// workspace".
IssueToRaise account_in_use(std::string_view platform_name, std::string_view holder = {});
IssueToRaise consent_denied(std::string_view platform_name, std::string_view description);
IssueToRaise authorization_expired(std::string_view platform_name);
IssueToRaise reconnect_required(std::string_view platform_name);
IssueToRaise authorization_removed(std::string_view platform_name, std::string_view reason);
// Paused for a passing problem (`why`: the connector's message, may be empty); the engine retries.
IssueToRaise paused(std::string_view platform_name, std::string_view why);
// The platform warned that access lapses at `expires_at` (RFC 3339, empty when it did not say).
IssueToRaise authorization_expiring(std::string_view platform_name, std::string_view expires_at);

}  // namespace sparks::runtime::issue_texts

#include "integrations/lifecycle_bindings.hpp"

#include <array>
#include <span>
#include <string_view>

#include <boost/json.hpp>

#include "integrations/card.hpp"
#include "integrations/issue_texts.hpp"
#include "integrations/transition_context.hpp"

namespace sparks::runtime {

namespace {

TransitionContext& ctx(const lifecycle::Firing& f) {
  return *static_cast<TransitionContext*>(f.context);
}

const boost::json::object* account_of(const lifecycle::Firing& f) {
  const auto* account = ctx(f).payload.if_contains("account");
  return account && account->is_object() ? &account->get_object() : nullptr;
}

std::string string_field(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::vector<std::string> strings_at(const lifecycle::Firing& f, std::string_view name) {
  std::vector<std::string> out;
  if (const auto* list = ctx(f).payload.if_contains(name); list && list->is_array())
    for (const auto& item : list->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

// The engine puts the required scopes that were not granted into the payload, and for each one a
// line saying what it disables.
std::vector<std::string> missing_scopes(const lifecycle::Firing& f) {
  return strings_at(f, "missing_scopes");
}

// --- guards: pure reads of the event ---

bool actor_is_owner(const lifecycle::Firing& f) {
  return ctx(f).actor.role == Role::owner;
}

bool account_is_personal(const lifecycle::Firing& f) {
  const auto* account = account_of(f);
  return account && string_field(*account, "type") == "personal";
}

// The engine puts the business of the workspace's other integration (when one is connected) into
// the payload as "expected_business_id"; a different business on the new account is a mismatch.
// Where either platform does not say which business an account belongs to, there is nothing to
// compare (docs/lifecycle.md).
bool business_mismatch(const lifecycle::Firing& f) {
  const auto* account = account_of(f);
  const auto expected = string_field(ctx(f).payload, "expected_business_id");
  const auto actual = account ? string_field(*account, "business_id") : std::string();
  return !expected.empty() && !actual.empty() && actual != expected;
}

// The engine puts the workspace that already holds the account into the payload as
// "account_holder" (another workspace's integration of the same platform that has a connection to
// it): an account belongs to one workspace (docs/lifecycle.md).
bool account_in_use(const lifecycle::Firing& f) {
  return !string_field(ctx(f).payload, "account_holder").empty();
}

bool all_scopes_granted(const lifecycle::Firing& f) {
  return missing_scopes(f).empty();
}

// --- actions: record effects ---

void raise(const lifecycle::Firing& f, IssueToRaise issue) {
  ctx(f).effects.raise.push_back(std::move(issue));
}

void follow_up(const lifecycle::Firing& f, FollowUp what) {
  ctx(f).effects.follow_ups.push_back(what);
}

void pause_dependent_automations(const lifecycle::Firing& f) {
  ctx(f).effects.pause_dependents = true;
}

void resume_integration_paused_automations(const lifecycle::Firing& f) {
  ctx(f).effects.resume_dependents = true;
}

void revoke_credentials(const lifecycle::Firing& f) {
  ctx(f).effects.clear_credentials = true;
  follow_up(f, FollowUp::revoke_credentials);
}

void store_credentials(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::store_credentials);
}

void open_oauth_session(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::open_oauth_session);
}

void close_oauth_session(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::close_oauth_session);
}

void schedule_sync(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::schedule_sync);
}

// A recovery in progress says why on the card, until it is over.
void schedule_recovery(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::schedule_recovery);
  raise(f, issue_texts::paused(ctx(f).platform_name, string_field(ctx(f).payload, "message")));
}

void cancel_recovery(const lifecycle::Firing& f) {
  follow_up(f, FollowUp::cancel_recovery);
  ctx(f).effects.clear.push_back(std::string(issue_texts::kPaused));
}

void raise_missing_scopes_issue(const lifecycle::Firing& f) {
  raise(f, issue_texts::missing_scopes(ctx(f).platform_name, missing_scopes(f),
                                       strings_at(f, "missing_scope_effects")));
}

void clear_missing_scopes_issue(const lifecycle::Firing& f) {
  ctx(f).effects.clear.push_back(std::string(issue_texts::kMissingScopes));
}

void clear_connection_issues(const lifecycle::Firing& f) {
  for (auto code : issue_texts::kConnectionIssueCodes) ctx(f).effects.clear.emplace_back(code);
}

void refuse_not_owner(const lifecycle::Firing& f) {
  ctx(f).effects.refusal = std::string(issue_texts::kNotOwner);
}

void refuse_personal_account(const lifecycle::Firing& f) {
  ctx(f).effects.refusal = std::string(issue_texts::kPersonalAccount);
  raise(f, issue_texts::personal_account(ctx(f).platform_name));
}

void refuse_business_mismatch(const lifecycle::Firing& f) {
  ctx(f).effects.refusal = std::string(issue_texts::kBusinessMismatch);
  raise(f, issue_texts::business_mismatch(ctx(f).platform_name));
}

void refuse_account_in_use(const lifecycle::Firing& f) {
  ctx(f).effects.refusal = std::string(issue_texts::kAccountInUse);
  ctx(f).effects.account_holder = string_field(ctx(f).payload, "account_holder");
  raise(f, issue_texts::account_in_use(ctx(f).platform_name));
}

void record_consent_denied(const lifecycle::Firing& f) {
  raise(f, issue_texts::consent_denied(ctx(f).platform_name,
                                       string_field(ctx(f).payload, "error_description")));
}

void record_authorization_expired(const lifecycle::Firing& f) {
  raise(f, issue_texts::authorization_expired(ctx(f).platform_name));
}

void raise_reconnect_issue(const lifecycle::Firing& f) {
  raise(f, issue_texts::reconnect_required(ctx(f).platform_name));
}

void raise_authorization_expiring_issue(const lifecycle::Firing& f) {
  const auto* at = ctx(f).payload.if_contains("expires_at");
  const auto seconds = at && at->is_int64() ? at->get_int64() : 0;
  raise(f, issue_texts::authorization_expiring(
               ctx(f).platform_name,
               seconds > 0 ? rfc3339(Clock::time_point(std::chrono::seconds(seconds))) : ""));
}

void raise_authorization_removed_issue(const lifecycle::Firing& f) {
  raise(f, issue_texts::authorization_removed(ctx(f).platform_name,
                                              string_field(ctx(f).payload, "reason")));
}

// The actions by number: an Action is its name's place in kActionNames.
enum class Action : lifecycle::ActionId {
  pause_dependent_automations,
  resume_integration_paused_automations,
  revoke_credentials,
  store_credentials,
  open_oauth_session,
  close_oauth_session,
  schedule_sync,
  schedule_recovery,
  cancel_recovery,
  raise_missing_scopes_issue,
  clear_missing_scopes_issue,
  clear_connection_issues,
  refuse_not_owner,
  refuse_personal_account,
  refuse_business_mismatch,
  refuse_account_in_use,
  record_consent_denied,
  record_authorization_expired,
  raise_reconnect_issue,
  raise_authorization_expiring_issue,
  raise_authorization_removed_issue,
  count
};

constexpr std::array<std::string_view, std::size_t(Action::count)> kActionNames = {
    "pause_dependent_automations",
    "resume_integration_paused_automations",
    "revoke_credentials",
    "store_credentials",
    "open_oauth_session",
    "close_oauth_session",
    "schedule_sync",
    "schedule_recovery",
    "cancel_recovery",
    "raise_missing_scopes_issue",
    "clear_missing_scopes_issue",
    "clear_connection_issues",
    "refuse_not_owner",
    "refuse_personal_account",
    "refuse_business_mismatch",
    "refuse_account_in_use",
    "record_consent_denied",
    "record_authorization_expired",
    "raise_reconnect_issue",
    "raise_authorization_expiring_issue",
    "raise_authorization_removed_issue",
};

void run_action(Action action, const lifecycle::Firing& f) {
  switch (action) {
    case Action::pause_dependent_automations:
      return pause_dependent_automations(f);
    case Action::resume_integration_paused_automations:
      return resume_integration_paused_automations(f);
    case Action::revoke_credentials:
      return revoke_credentials(f);
    case Action::store_credentials:
      return store_credentials(f);
    case Action::open_oauth_session:
      return open_oauth_session(f);
    case Action::close_oauth_session:
      return close_oauth_session(f);
    case Action::schedule_sync:
      return schedule_sync(f);
    case Action::schedule_recovery:
      return schedule_recovery(f);
    case Action::cancel_recovery:
      return cancel_recovery(f);
    case Action::raise_missing_scopes_issue:
      return raise_missing_scopes_issue(f);
    case Action::clear_missing_scopes_issue:
      return clear_missing_scopes_issue(f);
    case Action::clear_connection_issues:
      return clear_connection_issues(f);
    case Action::refuse_not_owner:
      return refuse_not_owner(f);
    case Action::refuse_personal_account:
      return refuse_personal_account(f);
    case Action::refuse_business_mismatch:
      return refuse_business_mismatch(f);
    case Action::refuse_account_in_use:
      return refuse_account_in_use(f);
    case Action::record_consent_denied:
      return record_consent_denied(f);
    case Action::record_authorization_expired:
      return record_authorization_expired(f);
    case Action::raise_reconnect_issue:
      return raise_reconnect_issue(f);
    case Action::raise_authorization_expiring_issue:
      return raise_authorization_expiring_issue(f);
    case Action::raise_authorization_removed_issue:
      return raise_authorization_removed_issue(f);
    case Action::count:
      return;
  }
}

// The machine hands over every action of one transition at once (lifecycle/registry.hpp): one
// call per transition, and the switch above calls each action directly.
void run_actions(std::span<const lifecycle::ActionId> actions, const lifecycle::Firing& f) {
  for (lifecycle::ActionId id : actions) run_action(static_cast<Action>(id), f);
}

}  // namespace

const lifecycle::Registry& lifecycle_registry() {
  static const lifecycle::Registry registry = [] {
    lifecycle::Registry r;
    // Flows need a state to run in, and Connect a state in which the OAuth callback lands.
    r.require_meaning(lifecycle::Meaning::live);
    r.require_meaning(lifecycle::Meaning::awaiting_authorization);
    r.require_cards();

    r.add_guard("actor_is_owner", actor_is_owner);
    r.add_guard("account_is_personal", account_is_personal);
    r.add_guard("business_mismatch", business_mismatch);
    r.add_guard("account_in_use", account_in_use);
    r.add_guard("all_scopes_granted", all_scopes_granted);

    r.add_actions(kActionNames, run_actions);
    return r;
  }();
  return registry;
}

}  // namespace sparks::runtime

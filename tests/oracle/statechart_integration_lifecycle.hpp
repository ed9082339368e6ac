#pragma once
// flows/lifecycle/integration.yaml written by hand with Boost.Statechart, the second reference
// machine in the benchmark (bench/bench_lifecycle.cpp); the differential test checks it too.
// Keep it in step with the YAML, row for row.
//
// How the YAML maps onto Statechart:
// - each YAML state is a state class; entry actions run in its constructor, exit actions in exit();
// - each event a state handles is a custom_reaction whose react() walks that state's rows for the
//   event top down, exactly as the YAML does, and returns the first that applies;
// - `to: X` with `do: [a]` is transit<X>(&IntegrationChart::act<"a">, event): Statechart runs the
//   action between the source's exit and the target's entry, as the YAML does;
// - `to: previous` switches over the `previous` the chart keeps, since transit<> takes a type;
// - a row without `to` runs its action and discards the event: no exit, no entry.
//
// Statechart allocates the state object on every transition (std::allocator here); that is part of
// what the benchmark measures.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/state.hpp>
#include <boost/statechart/state_machine.hpp>

#include "oracle/lifecycle_events.hpp"

namespace sparks::oracle::statechart_lifecycle {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

// ---- Events: one type per YAML event, each carrying its guard outcomes.
template <class Tag>
struct ChartEvent : sc::event<ChartEvent<Tag>>, EventFlags {
  explicit ChartEvent(const EventFlags& flags) : EventFlags(flags) {}
};
using ConnectRequested = ChartEvent<struct ConnectRequestedTag>;
using AuthorizationGranted = ChartEvent<struct AuthorizationGrantedTag>;
using AuthorizationDenied = ChartEvent<struct AuthorizationDeniedTag>;
using DisconnectRequested = ChartEvent<struct DisconnectRequestedTag>;
using AuthorizationRemoved = ChartEvent<struct AuthorizationRemovedTag>;
using AuthorizationExpiring = ChartEvent<struct AuthorizationExpiringTag>;
using TokenRefreshFailed = ChartEvent<struct TokenRefreshFailedTag>;
using RefreshTokenRejected = ChartEvent<struct RefreshTokenRejectedTag>;
using TokenRefreshed = ChartEvent<struct TokenRefreshedTag>;
using PlatformUnavailable = ChartEvent<struct PlatformUnavailableTag>;
using PlatformRecovered = ChartEvent<struct PlatformRecoveredTag>;
using Timeout = ChartEvent<struct TimeoutTag>;  // `after: 10m`

// ---- The machine: `previous`, the action log, and a count of events no state handled.
struct Disconnected;

class IntegrationChart : public sc::state_machine<IntegrationChart, Disconnected> {
 public:
  // `previous` is the state the current one was entered from; a state re-entering itself keeps it.
  // Returning to `previous` restores that state's own way back, `before_previous`.
  State previous = State::disconnected;
  State before_previous = State::disconnected;
  State last_left = State::disconnected;
  bool returning = false;  // set by go_back() just before the transition
  std::vector<std::string_view>* action_log = nullptr;  // null: actions do nothing
  std::uint64_t unconsumed = 0;

  void leaving(State s) { last_left = s; }
  void entered(State s) {
    if (returning) {
      previous = before_previous;
      returning = false;
    } else if (s != last_left) {
      before_previous = previous;
      previous = last_left;
    }
  }
  void log(std::string_view action) {
    if (action_log) action_log->push_back(action);
  }

  // A `do:` action in the signature Statechart runs transition actions with.
  template <ActionName Name>
  void act(const sc::event_base&) {
    log(Name.view());
  }

  // Called by Statechart for an event the current state does not react to.
  void unconsumed_event(const sc::event_base&) { ++unconsumed; }
};

template <ActionName... Names>
struct Do {
  static void run(IntegrationChart& chart) { (chart.log(Names.view()), ...); }
};

// ---- What every state shares: entry/exit actions, `previous` bookkeeping, the YAML's row kinds.
template <class Derived, State Id, class Entry = Do<>, class Exit = Do<>>
class LifecycleState : public sc::state<Derived, IntegrationChart> {
  using Base = sc::state<Derived, IntegrationChart>;

 public:
  explicit LifecycleState(typename Base::my_context ctx) : Base(ctx) {
    chart().entered(Id);
    Entry::run(chart());
  }
  void exit() {
    Exit::run(chart());
    chart().leaving(Id);
  }

 protected:
  IntegrationChart& chart() { return this->outermost_context(); }

  // `to: Target` (with `do: [Action]` when given).
  template <class Target, ActionName Action = "">
  sc::result go() {
    if constexpr (Action.view().empty()) {
      return this->template transit<Target>();
    } else {
      return this->template transit<Target>(&IntegrationChart::act<Action>,
                                            *this->triggering_event());
    }
  }
  // `to: previous` (with `do: [Action]` when given).
  template <ActionName Action = "">
  sc::result go_back();
  // A row without `to`: the action runs, the state stays, without exit or entry.
  template <ActionName Action>
  sc::result stay() {
    chart().log(Action.view());
    return this->discard_event();
  }
};

struct Authorizing;
struct PartialScopes;
struct Connected;
struct Paused;

// ---- States and the events each reacts to; the rows themselves are in the react() bodies below.
struct Disconnected : LifecycleState<Disconnected, State::disconnected,
                                     Do<"pause_dependent_automations", "revoke_credentials">> {
  using LifecycleState::LifecycleState;
  using reactions = mpl::list<sc::custom_reaction<ConnectRequested>>;
  sc::result react(const ConnectRequested& e);
};

struct Authorizing : LifecycleState<Authorizing, State::authorizing, Do<"open_oauth_session">,
                                    Do<"close_oauth_session">> {
  using LifecycleState::LifecycleState;
  using reactions =
      mpl::list<sc::custom_reaction<AuthorizationGranted>, sc::custom_reaction<AuthorizationDenied>,
                sc::custom_reaction<Timeout>, sc::custom_reaction<ConnectRequested>,
                sc::custom_reaction<DisconnectRequested>>;
  sc::result react(const AuthorizationGranted& e);
  sc::result react(const AuthorizationDenied& e);
  sc::result react(const Timeout& e);
  sc::result react(const ConnectRequested& e);
  sc::result react(const DisconnectRequested& e);
};

// partial-scopes and connected handle the same events the same way; only entry/exit differ.
template <class Derived, State Id, class Entry, class Exit = Do<>>
struct Authorized : LifecycleState<Derived, Id, Entry, Exit> {
  using LifecycleState<Derived, Id, Entry, Exit>::LifecycleState;
  using reactions =
      mpl::list<sc::custom_reaction<ConnectRequested>, sc::custom_reaction<AuthorizationGranted>,
                sc::custom_reaction<AuthorizationDenied>, sc::custom_reaction<DisconnectRequested>,
                sc::custom_reaction<AuthorizationRemoved>, sc::custom_reaction<TokenRefreshFailed>,
                sc::custom_reaction<PlatformUnavailable>, sc::custom_reaction<RefreshTokenRejected>,
                sc::custom_reaction<TokenRefreshed>, sc::custom_reaction<AuthorizationExpiring>>;
  sc::result react(const ConnectRequested& e);
  sc::result react(const AuthorizationGranted& e);
  sc::result react(const AuthorizationDenied& e);
  sc::result react(const DisconnectRequested& e);
  sc::result react(const AuthorizationRemoved& e);
  sc::result react(const TokenRefreshFailed& e);
  sc::result react(const PlatformUnavailable& e);
  sc::result react(const RefreshTokenRejected& e);
  sc::result react(const TokenRefreshed& e);
  sc::result react(const AuthorizationExpiring& e);
};

struct PartialScopes : Authorized<PartialScopes, State::partial_scopes,
                                  Do<"raise_missing_scopes_issue",
                                     "resume_integration_paused_automations", "schedule_sync">,
                                  Do<"clear_missing_scopes_issue">> {
  using Authorized::Authorized;
};

struct Connected
    : Authorized<
          Connected, State::connected,
          Do<"clear_connection_issues", "resume_integration_paused_automations", "schedule_sync">> {
  using Authorized::Authorized;
};

struct Paused
    : LifecycleState<Paused, State::paused, Do<"schedule_recovery">, Do<"cancel_recovery">> {
  using LifecycleState::LifecycleState;
  using reactions =
      mpl::list<sc::custom_reaction<TokenRefreshed>, sc::custom_reaction<PlatformRecovered>,
                sc::custom_reaction<TokenRefreshFailed>, sc::custom_reaction<PlatformUnavailable>,
                sc::custom_reaction<RefreshTokenRejected>,
                sc::custom_reaction<AuthorizationRemoved>, sc::custom_reaction<ConnectRequested>,
                sc::custom_reaction<DisconnectRequested>,
                sc::custom_reaction<AuthorizationExpiring>>;
  sc::result react(const TokenRefreshed& e);
  sc::result react(const PlatformRecovered& e);
  sc::result react(const TokenRefreshFailed& e);
  sc::result react(const PlatformUnavailable& e);
  sc::result react(const RefreshTokenRejected& e);
  sc::result react(const AuthorizationRemoved& e);
  sc::result react(const ConnectRequested& e);
  sc::result react(const DisconnectRequested& e);
  sc::result react(const AuthorizationExpiring& e);
};

template <class Derived, State Id, class Entry, class Exit>
template <ActionName Action>
sc::result LifecycleState<Derived, Id, Entry, Exit>::go_back() {
  chart().returning = true;
  switch (chart().previous) {
    case State::disconnected:
      return go<Disconnected, Action>();
    case State::authorizing:
      return go<Authorizing, Action>();
    case State::partial_scopes:
      return go<PartialScopes, Action>();
    case State::connected:
      return go<Connected, Action>();
    case State::paused:
      return go<Paused, Action>();
  }
  return this->forward_event();
}

// ---- The rows, state by state, in the YAML's order.
inline sc::result Disconnected::react(const ConnectRequested& e) {
  if (e.owner) return go<Authorizing>();
  return stay<"refuse_not_owner">();
}

inline sc::result Authorizing::react(const AuthorizationGranted& e) {
  if (e.personal) return go_back<"refuse_personal_account">();
  if (e.mismatch) return go_back<"refuse_business_mismatch">();
  if (e.in_use) return go_back<"refuse_account_in_use">();
  if (e.all_scopes) return go<Connected, "store_credentials">();
  return go<PartialScopes, "store_credentials">();
}
inline sc::result Authorizing::react(const AuthorizationDenied&) {
  return go_back<"record_consent_denied">();
}
inline sc::result Authorizing::react(const Timeout&) {
  return go_back<"record_authorization_expired">();
}
inline sc::result Authorizing::react(const ConnectRequested& e) {
  if (e.owner) return go<Authorizing>();
  return stay<"refuse_not_owner">();
}
inline sc::result Authorizing::react(const DisconnectRequested& e) {
  if (e.owner) return go<Disconnected>();
  return stay<"refuse_not_owner">();
}

// A reconnect stays: the session opens without leaving the state, and its grant lands here.
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const ConnectRequested& e) {
  if (e.owner) return this->template stay<"open_oauth_session">();
  return this->template stay<"refuse_not_owner">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const AuthorizationGranted& e) {
  if (e.personal) return this->template stay<"refuse_personal_account">();
  if (e.mismatch) return this->template stay<"refuse_business_mismatch">();
  if (e.in_use) return this->template stay<"refuse_account_in_use">();
  if (e.all_scopes) return this->template go<Connected, "store_credentials">();
  return this->template go<PartialScopes, "store_credentials">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const AuthorizationDenied&) {
  return this->template stay<"record_consent_denied">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const DisconnectRequested& e) {
  if (e.owner) return this->template go<Disconnected>();
  return this->template stay<"refuse_not_owner">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const AuthorizationRemoved&) {
  return this->template go<Disconnected, "raise_authorization_removed_issue">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const TokenRefreshFailed&) {
  return this->template go<Paused>();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const PlatformUnavailable&) {
  return this->template go<Paused>();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const RefreshTokenRejected&) {
  return this->template go<Disconnected, "raise_reconnect_issue">();
}
template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const TokenRefreshed&) {
  return this->template stay<"store_credentials">();
}

template <class Derived, State Id, class Entry, class Exit>
sc::result Authorized<Derived, Id, Entry, Exit>::react(const AuthorizationExpiring&) {
  return this->template stay<"raise_authorization_expiring_issue">();
}
inline sc::result Paused::react(const AuthorizationExpiring&) {
  return stay<"raise_authorization_expiring_issue">();
}
inline sc::result Paused::react(const TokenRefreshed&) {
  return go_back<"store_credentials">();
}
inline sc::result Paused::react(const PlatformRecovered&) {
  return go_back();
}
inline sc::result Paused::react(const TokenRefreshFailed&) {
  return stay<"schedule_recovery">();
}
inline sc::result Paused::react(const PlatformUnavailable&) {
  return stay<"schedule_recovery">();
}
inline sc::result Paused::react(const RefreshTokenRejected&) {
  return go<Disconnected, "raise_reconnect_issue">();
}
inline sc::result Paused::react(const AuthorizationRemoved&) {
  return go<Disconnected, "raise_authorization_removed_issue">();
}
inline sc::result Paused::react(const ConnectRequested& e) {
  if (e.owner) return go<Authorizing>();
  return stay<"refuse_not_owner">();
}
inline sc::result Paused::react(const DisconnectRequested& e) {
  if (e.owner) return go<Disconnected>();
  return stay<"refuse_not_owner">();
}

// Delivers a generated event as its Statechart event type.
inline void fire(IntegrationChart& chart, const GeneratedEvent& e) {
  const EventFlags& f = e.flags;
  switch (e.event) {
    case Event::connect_requested:
      return chart.process_event(ConnectRequested(f));
    case Event::authorization_granted:
      return chart.process_event(AuthorizationGranted(f));
    case Event::authorization_denied:
      return chart.process_event(AuthorizationDenied(f));
    case Event::disconnect_requested:
      return chart.process_event(DisconnectRequested(f));
    case Event::authorization_removed:
      return chart.process_event(AuthorizationRemoved(f));
    case Event::authorization_expiring:
      return chart.process_event(AuthorizationExpiring(f));
    case Event::token_refresh_failed:
      return chart.process_event(TokenRefreshFailed(f));
    case Event::refresh_token_rejected:
      return chart.process_event(RefreshTokenRejected(f));
    case Event::token_refreshed:
      return chart.process_event(TokenRefreshed(f));
    case Event::platform_unavailable:
      return chart.process_event(PlatformUnavailable(f));
    case Event::platform_recovered:
      return chart.process_event(PlatformRecovered(f));
    case Event::timeout:
      return chart.process_event(Timeout(f));
  }
}

// The active state as Statechart itself knows it (not the chart's own bookkeeping).
inline State active_state(const IntegrationChart& chart) {
  if (chart.state_downcast<const Authorizing*>()) return State::authorizing;
  if (chart.state_downcast<const PartialScopes*>()) return State::partial_scopes;
  if (chart.state_downcast<const Connected*>()) return State::connected;
  if (chart.state_downcast<const Paused*>()) return State::paused;
  return State::disconnected;
}

// The largest state object, one of which is alive (on the heap) while the chart runs.
inline constexpr std::size_t kLargestStateSize =
    std::max({sizeof(Disconnected), sizeof(Authorizing), sizeof(PartialScopes), sizeof(Connected),
              sizeof(Paused)});

}  // namespace sparks::oracle::statechart_lifecycle

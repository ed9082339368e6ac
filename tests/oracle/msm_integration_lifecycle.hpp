#pragma once
// flows/lifecycle/integration.yaml written by hand with Boost.MSM: the reference the YAML machine
// is checked against (tests/unit/lifecycle_differential_test.cpp) and measured against
// (bench/bench_lifecycle.cpp). Keep it in step with the YAML, row for row.
//
// Three things the YAML says that MSM says differently:
// - Rows for the same state and event are alternatives tried top down in the YAML; MSM tries them
//   bottom up. Every alternative below therefore also carries the negation of the guards above it,
//   so at most one row can match and the order of rows no longer matters.
// - `to: previous` names its target only at run time; an MSM target is a type. The machine keeps
//   `previous` itself and has one row per state it can be returning to, guarded by CameFrom<...>.
// - A row without `to` is an MSM internal transition (target `none`): no exit, no entry.
//
// Actions only append their names to the machine's action log (a template parameter), so the
// differential test can compare what ran, and the benchmark can discard it at no cost.
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/mpl/back_inserter.hpp>
#include <boost/mpl/copy.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "oracle/lifecycle_events.hpp"

namespace sparks::oracle::msm_lifecycle {

namespace mpl = boost::mpl;
namespace msmf = boost::msm::front;
using msmf::none;
using msmf::Row;

// ---- Events: one type per YAML event, each carrying its guard outcomes.
struct ConnectRequested : EventFlags {};
struct AuthorizationGranted : EventFlags {};
struct AuthorizationDenied : EventFlags {};
struct DisconnectRequested : EventFlags {};
struct AuthorizationRemoved : EventFlags {};
struct AuthorizationExpiring : EventFlags {};
struct TokenRefreshFailed : EventFlags {};
struct RefreshTokenRejected : EventFlags {};
struct TokenRefreshed : EventFlags {};
struct PlatformUnavailable : EventFlags {};
struct PlatformRecovered : EventFlags {};
struct Timeout : EventFlags {};  // `after: 10m`

// ---- Actions.
// Runs YAML actions in order; each only records its name in the machine's log.
template <ActionName... Names>
struct Do {
  template <class Fsm>
  static void run(Fsm& fsm) {
    (fsm.log(Names.view()), ...);
  }
  // The signature MSM calls a row's action with.
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    run(fsm);
  }
};

struct DiscardActions {
  void operator()(std::string_view) const {}
};
struct RecordActions {
  std::vector<std::string_view> names;
  void operator()(std::string_view name) { names.push_back(name); }
};

// ---- Guards: the YAML's five, reading the event's flags; CameFrom reads the machine's `previous`.
struct ActorIsOwner {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return e.owner;
  }
};
struct AccountIsPersonal {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return e.personal;
  }
};
struct BusinessMismatch {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return e.mismatch;
  }
};
struct AccountInUse {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return e.in_use;
  }
};
struct AllScopesGranted {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm&, Source&, Target&) const {
    return e.all_scopes;
  }
};
template <State S>
struct CameFrom {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event&, Fsm& fsm, Source&, Target&) const {
    return fsm.previous == S;
  }
};
template <class Guard>
struct Not {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm& fsm, Source& s, Target& t) const {
    return !Guard{}(e, fsm, s, t);
  }
};
template <class... Guards>
struct All {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& e, Fsm& fsm, Source& s, Target& t) const {
    return (Guards{}(e, fsm, s, t) && ...);
  }
};

// The YAML's alternatives for one state and event, each made exclusive of those above it.
using Owner = ActorIsOwner;
using NotOwner = Not<ActorIsOwner>;
using Personal = AccountIsPersonal;
using Mismatch = All<Not<AccountIsPersonal>, BusinessMismatch>;
using InUse = All<Not<AccountIsPersonal>, Not<BusinessMismatch>, AccountInUse>;
using Complete =
    All<Not<AccountIsPersonal>, Not<BusinessMismatch>, Not<AccountInUse>, AllScopesGranted>;
using Incomplete =
    All<Not<AccountIsPersonal>, Not<BusinessMismatch>, Not<AccountInUse>, Not<AllScopesGranted>>;

// ---- States: entry and exit actions as in the YAML, plus the bookkeeping behind `previous`.
template <State Id, class Entry = Do<>, class Exit = Do<>>
struct LifecycleState : msmf::state<> {
  template <class Event, class Fsm>
  void on_entry(const Event&, Fsm& fsm) {
    fsm.entered(Id);
    Entry::run(fsm);
  }
  template <class Event, class Fsm>
  void on_exit(const Event&, Fsm& fsm) {
    Exit::run(fsm);
    fsm.leaving(Id);
  }
};

struct Disconnected
    : LifecycleState<State::disconnected, Do<"pause_dependent_automations", "revoke_credentials">> {
};
struct Authorizing
    : LifecycleState<State::authorizing, Do<"open_oauth_session">, Do<"close_oauth_session">> {};
struct PartialScopes : LifecycleState<State::partial_scopes,
                                      Do<"raise_missing_scopes_issue",
                                         "resume_integration_paused_automations", "schedule_sync">,
                                      Do<"clear_missing_scopes_issue">> {};
struct Connected
    : LifecycleState<
          State::connected,
          Do<"clear_connection_issues", "resume_integration_paused_automations", "schedule_sync">> {
};
struct Paused : LifecycleState<State::paused, Do<"schedule_recovery">, Do<"cancel_recovery">> {};

// A `to: previous` row's action: marks the transition as a return (so that entering the target
// restores its own way back, see IntegrationLifecycleDef::entered), then runs the row's `do`.
template <class Action>
struct Returning {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& e, Fsm& fsm, Source& s, Target& t) const {
    fsm.returning = true;
    if constexpr (!std::is_same_v<Action, none>) Action{}(e, fsm, s, t);
  }
};

// `to: previous`: one row per state the machine can return to, each guarded by CameFrom<it>. Every
// state is listed, even where the YAML makes one unlikely, since the YAML machine allows them all.
template <class Source, class Event, class Action, class... Guards>
using ToPrevious = mpl::vector<
    Row<Source, Event, Disconnected, Returning<Action>,
        All<Guards..., CameFrom<State::disconnected>>>,
    Row<Source, Event, Authorizing, Returning<Action>,
        All<Guards..., CameFrom<State::authorizing>>>,
    Row<Source, Event, PartialScopes, Returning<Action>,
        All<Guards..., CameFrom<State::partial_scopes>>>,
    Row<Source, Event, Connected, Returning<Action>, All<Guards..., CameFrom<State::connected>>>,
    Row<Source, Event, Paused, Returning<Action>, All<Guards..., CameFrom<State::paused>>>>;

// mpl::vector takes at most 20 types, so the table is a concatenation of shorter vectors.
template <class Table, class... More>
struct Concat {
  using type = Table;
};
template <class Table, class Next, class... More>
struct Concat<Table, Next, More...>
    : Concat<typename mpl::copy<Next, mpl::back_inserter<Table>>::type, More...> {};

// ---- The machine.

// MSM's switches are member typedefs, looked up by presence; the machine gets them by inheriting
// one of these. Lean: no exception handling around actions and no queue for events sent from inside
// actions, neither of which the YAML machine has. MsmDefaults: MSM as it comes.
struct Lean {
  using no_exception_thrown = int;
  using no_message_queue = int;
};
struct MsmDefaults {};

template <class Log, class Options = Lean>
struct IntegrationLifecycleDef : msmf::state_machine_def<IntegrationLifecycleDef<Log, Options>>,
                                 Options {
  using initial_state = Disconnected;

  // `previous` is the state the current one was entered from; a state re-entering itself keeps it.
  // Returning to `previous` restores that state's own way back, `before_previous`.
  State previous = State::disconnected;
  State before_previous = State::disconnected;
  State last_left = State::disconnected;
  bool returning = false;  // set by a `to: previous` row's action, between exit and entry
  [[no_unique_address]] Log log;

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

  // An event the current state does not handle, or whose guards all fail, is ignored, as in YAML.
  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}

  // One line per YAML row, in the YAML's order; ToPrevious<...> stands for a `to: previous` row.
  // clang-format off
  using Rows = typename Concat<
    mpl::vector<
      //  from           on                    to              do                                      guard
      Row<Disconnected,  ConnectRequested,     Authorizing,    none,                                   Owner>,
      Row<Disconnected,  ConnectRequested,     none,           Do<"refuse_not_owner">,                 NotOwner>>,

    ToPrevious<Authorizing, AuthorizationGranted,              Do<"refuse_personal_account">,          Personal>,
    ToPrevious<Authorizing, AuthorizationGranted,              Do<"refuse_business_mismatch">,         Mismatch>,
    ToPrevious<Authorizing, AuthorizationGranted,              Do<"refuse_account_in_use">,            InUse>,
    mpl::vector<
      Row<Authorizing,   AuthorizationGranted, Connected,      Do<"store_credentials">,                Complete>,
      Row<Authorizing,   AuthorizationGranted, PartialScopes,  Do<"store_credentials">,                Incomplete>>,
    ToPrevious<Authorizing, AuthorizationDenied,               Do<"record_consent_denied">>,
    ToPrevious<Authorizing, Timeout,                           Do<"record_authorization_expired">>,
    mpl::vector<
      Row<Authorizing,   ConnectRequested,     Authorizing,    none,                                   Owner>,
      Row<Authorizing,   ConnectRequested,     none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<Authorizing,   DisconnectRequested,  Disconnected,   none,                                   Owner>,
      Row<Authorizing,   DisconnectRequested,  none,           Do<"refuse_not_owner">,                 NotOwner>,

      Row<PartialScopes, ConnectRequested,     none,           Do<"open_oauth_session">,               Owner>,
      Row<PartialScopes, ConnectRequested,     none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<PartialScopes, AuthorizationGranted, none,           Do<"refuse_personal_account">,          Personal>,
      Row<PartialScopes, AuthorizationGranted, none,           Do<"refuse_business_mismatch">,         Mismatch>,
      Row<PartialScopes, AuthorizationGranted, none,           Do<"refuse_account_in_use">,            InUse>,
      Row<PartialScopes, AuthorizationGranted, Connected,      Do<"store_credentials">,                Complete>,
      Row<PartialScopes, AuthorizationGranted, PartialScopes,  Do<"store_credentials">,                Incomplete>,
      Row<PartialScopes, AuthorizationDenied,  none,           Do<"record_consent_denied">>>,
    mpl::vector<
      Row<PartialScopes, DisconnectRequested,  Disconnected,   none,                                   Owner>,
      Row<PartialScopes, DisconnectRequested,  none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<PartialScopes, AuthorizationExpiring, none,          Do<"raise_authorization_expiring_issue">>,
      Row<PartialScopes, AuthorizationRemoved, Disconnected,   Do<"raise_authorization_removed_issue">>,
      Row<PartialScopes, TokenRefreshFailed,   Paused>,
      Row<PartialScopes, PlatformUnavailable,  Paused>,
      Row<PartialScopes, RefreshTokenRejected, Disconnected,   Do<"raise_reconnect_issue">>,
      Row<PartialScopes, TokenRefreshed,       none,           Do<"store_credentials">>>,

    mpl::vector<
      Row<Connected,     ConnectRequested,     none,           Do<"open_oauth_session">,               Owner>,
      Row<Connected,     ConnectRequested,     none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<Connected,     AuthorizationGranted, none,           Do<"refuse_personal_account">,          Personal>,
      Row<Connected,     AuthorizationGranted, none,           Do<"refuse_business_mismatch">,         Mismatch>,
      Row<Connected,     AuthorizationGranted, none,           Do<"refuse_account_in_use">,            InUse>,
      Row<Connected,     AuthorizationGranted, Connected,      Do<"store_credentials">,                Complete>,
      Row<Connected,     AuthorizationGranted, PartialScopes,  Do<"store_credentials">,                Incomplete>,
      Row<Connected,     AuthorizationDenied,  none,           Do<"record_consent_denied">>>,
    mpl::vector<
      Row<Connected,     DisconnectRequested,  Disconnected,   none,                                   Owner>,
      Row<Connected,     DisconnectRequested,  none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<Connected,     AuthorizationExpiring, none,          Do<"raise_authorization_expiring_issue">>,
      Row<Connected,     AuthorizationRemoved, Disconnected,   Do<"raise_authorization_removed_issue">>,
      Row<Connected,     TokenRefreshFailed,   Paused>,
      Row<Connected,     PlatformUnavailable,  Paused>,
      Row<Connected,     RefreshTokenRejected, Disconnected,   Do<"raise_reconnect_issue">>,
      Row<Connected,     TokenRefreshed,       none,           Do<"store_credentials">>>,

    ToPrevious<Paused,   TokenRefreshed,                       Do<"store_credentials">>,
    ToPrevious<Paused,   PlatformRecovered,                    none>,
    mpl::vector<
      Row<Paused,        TokenRefreshFailed,   none,           Do<"schedule_recovery">>,
      Row<Paused,        PlatformUnavailable,  none,           Do<"schedule_recovery">>,
      Row<Paused,        RefreshTokenRejected, Disconnected,   Do<"raise_reconnect_issue">>,
      Row<Paused,        AuthorizationExpiring, none,          Do<"raise_authorization_expiring_issue">>,
      Row<Paused,        AuthorizationRemoved, Disconnected,   Do<"raise_authorization_removed_issue">>,
      Row<Paused,        ConnectRequested,     Authorizing,    none,                                   Owner>,
      Row<Paused,        ConnectRequested,     none,           Do<"refuse_not_owner">,                 NotOwner>,
      Row<Paused,        DisconnectRequested,  Disconnected,   none,                                   Owner>,
      Row<Paused,        DisconnectRequested,  none,           Do<"refuse_not_owner">,                 NotOwner>>
  >::type;
  // clang-format on

  struct transition_table : Rows {};
};

template <class Log, class Options = Lean>
using IntegrationLifecycle = boost::msm::back::state_machine<IntegrationLifecycleDef<Log, Options>>;

// Delivers a generated event as its MSM event type. The YAML machine takes events as numbers; an
// MSM machine needs the type, so a host fed from the outside world would switch like this too.
template <class Machine>
boost::msm::back::HandledEnum fire(Machine& machine, const GeneratedEvent& e) {
  const EventFlags& f = e.flags;
  switch (e.event) {
    case Event::connect_requested:
      return machine.process_event(ConnectRequested{f});
    case Event::authorization_granted:
      return machine.process_event(AuthorizationGranted{f});
    case Event::authorization_denied:
      return machine.process_event(AuthorizationDenied{f});
    case Event::disconnect_requested:
      return machine.process_event(DisconnectRequested{f});
    case Event::authorization_removed:
      return machine.process_event(AuthorizationRemoved{f});
    case Event::authorization_expiring:
      return machine.process_event(AuthorizationExpiring{f});
    case Event::token_refresh_failed:
      return machine.process_event(TokenRefreshFailed{f});
    case Event::refresh_token_rejected:
      return machine.process_event(RefreshTokenRejected{f});
    case Event::token_refreshed:
      return machine.process_event(TokenRefreshed{f});
    case Event::platform_unavailable:
      return machine.process_event(PlatformUnavailable{f});
    case Event::platform_recovered:
      return machine.process_event(PlatformRecovered{f});
    case Event::timeout:
      return machine.process_event(Timeout{f});
  }
  return boost::msm::back::HANDLED_FALSE;
}

// The active state as MSM itself knows it (not the machine's own bookkeeping), for comparisons.
template <class Machine>
State active_state(const Machine& machine) {
  using Table = typename Machine::stt;
  const int id = machine.current_state()[0];
  using boost::msm::back::get_state_id;
  if (id == get_state_id<Table, Disconnected>::value) return State::disconnected;
  if (id == get_state_id<Table, Authorizing>::value) return State::authorizing;
  if (id == get_state_id<Table, PartialScopes>::value) return State::partial_scopes;
  if (id == get_state_id<Table, Connected>::value) return State::connected;
  return State::paused;
}

}  // namespace sparks::oracle::msm_lifecycle

#pragma once
// The vocabulary of flows/lifecycle/integration.yaml as the hand-written reference machines
// ("oracles": msm_integration_lifecycle.hpp, statechart_integration_lifecycle.hpp) see it, and a
// seeded generator of random event sequences. The differential test drives the YAML machine and the
// oracles with the same sequences; the benchmark replays one such sequence through each machine.
//
// Guards in the YAML look at the event's payload and the actor. Here an event carries the outcome
// of each guard as a flag, so that all machines decide from the same data and a failing sequence
// can be replayed from its seed alone.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecycle/registry.hpp"

namespace sparks::oracle {

// States and events in the order the YAML lists them; names are the YAML's.
enum class State : std::uint8_t { disconnected, authorizing, partial_scopes, connected, paused };
inline constexpr std::size_t kStateCount = 5;
inline constexpr std::array<std::string_view, kStateCount> kStateNames = {
    "disconnected", "authorizing", "partial-scopes", "connected", "paused"};

enum class Event : std::uint8_t {
  connect_requested,
  authorization_granted,
  authorization_denied,
  disconnect_requested,
  authorization_removed,
  authorization_expiring,
  token_refresh_failed,
  refresh_token_rejected,
  token_refreshed,
  platform_unavailable,
  platform_recovered,
  timeout,  // `after: 10m` rows; the YAML machine calls this event "after"
};
inline constexpr std::size_t kEventCount = 12;
inline constexpr std::array<std::string_view, kEventCount> kEventNames = {
    "connect_requested",    "authorization_granted",  "authorization_denied",
    "disconnect_requested", "authorization_removed",  "authorization_expiring",
    "token_refresh_failed", "refresh_token_rejected", "token_refreshed",
    "platform_unavailable", "platform_recovered",     "after"};

constexpr std::string_view name_of(State state) {
  return kStateNames[std::size_t(state)];
}
constexpr std::string_view name_of(Event event) {
  return kEventNames[std::size_t(event)];
}

// Every action the YAML names (entry, exit and `do`), so that tests and benchmarks can register
// them.
inline constexpr std::array<std::string_view, 21> kActionNames = {
    "pause_dependent_automations",
    "revoke_credentials",
    "open_oauth_session",
    "close_oauth_session",
    "raise_missing_scopes_issue",
    "resume_integration_paused_automations",
    "schedule_sync",
    "clear_missing_scopes_issue",
    "clear_connection_issues",
    "schedule_recovery",
    "cancel_recovery",
    "refuse_not_owner",
    "refuse_personal_account",
    "refuse_business_mismatch",
    "refuse_account_in_use",
    "store_credentials",
    "record_consent_denied",
    "record_authorization_expired",
    "raise_authorization_removed_issue",
    "raise_reconnect_issue",
    "raise_authorization_expiring_issue",
};

// An action name usable as a template argument, so that the oracles' tables can say
// Do<"store_credentials"> (C++20 class-type template parameter).
template <std::size_t N>
struct ActionName {
  constexpr ActionName(const char (&text)[N]) {  // implicit on purpose, for the syntax above
    for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
  }
  constexpr std::string_view view() const { return {chars, N - 1}; }
  char chars[N];
};

// The outcome of each of the YAML's guards for one event.
struct EventFlags {
  bool owner = false;       // actor_is_owner
  bool personal = false;    // account_is_personal
  bool mismatch = false;    // business_mismatch
  bool in_use = false;      // account_in_use
  bool all_scopes = false;  // all_scopes_granted
};

struct GeneratedEvent {
  Event event = Event::connect_requested;
  EventFlags flags;
};

// How often each event comes and how often each guard holds, in percent.
struct EventMix {
  std::array<std::uint32_t, kEventCount> weights;
  std::uint32_t owner_percent;
  std::uint32_t personal_percent;
  std::uint32_t mismatch_percent;
  std::uint32_t in_use_percent;
  std::uint32_t all_scopes_percent;
};

// Every event and every guard outcome equally likely: reaches every row, including events that a
// state ignores, which the machines must agree on too.
inline constexpr EventMix kUniformMix = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 50, 50, 50, 50, 50};

// Roughly what production sees: most OAuth callbacks are complete grants from business accounts,
// tokens refresh, the platform wobbles and recovers, owners sometimes reconnect or disconnect.
// Steered away from events the current state ignores (as bench/bench_lifecycle.cpp does), it makes
// a run in which most events move the machine and the rest are guarded or internal rows.
inline constexpr EventMix kRealisticMix = {
    // connect granted denied disconnect removed expiring refresh_failed rejected refreshed
    // unavailable recovered timeout
    {2, 6, 1, 1, 1, 1, 2, 1, 3, 2, 3, 1}, 90, 10, 5, 3, 75};

// Deterministic for a given seed on every platform: SplitMix64 and modulo arithmetic only (the
// standard distributions are free to differ between library implementations).
class EventGenerator {
 public:
  EventGenerator(std::uint64_t seed, const EventMix& mix) : state_(seed), mix_(mix) {
    for (std::uint32_t w : mix_.weights) total_weight_ += w;
  }

  GeneratedEvent next() {
    GeneratedEvent out;
    std::uint64_t pick = below(total_weight_);
    std::size_t i = 0;
    while (pick >= mix_.weights[i]) pick -= mix_.weights[i++];
    out.event = static_cast<Event>(i);
    out.flags.owner = below(100) < mix_.owner_percent;
    out.flags.personal = below(100) < mix_.personal_percent;
    out.flags.mismatch = below(100) < mix_.mismatch_percent;
    out.flags.in_use = below(100) < mix_.in_use_percent;
    out.flags.all_scopes = below(100) < mix_.all_scopes_percent;
    return out;
  }

  std::vector<GeneratedEvent> take(std::size_t count) {
    std::vector<GeneratedEvent> out(count);
    for (auto& e : out) e = next();
    return out;
  }

 private:
  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // The bias of a plain modulo is below 1e-17 for the small bounds used here.
  std::uint64_t below(std::uint64_t bound) { return next_u64() % bound; }

  std::uint64_t state_;
  EventMix mix_;
  std::uint64_t total_weight_ = 0;
};

inline std::string to_string(const GeneratedEvent& e) {
  std::string out(name_of(e.event));
  out += '{';
  if (e.flags.owner) out += " owner";
  if (e.flags.personal) out += " personal";
  if (e.flags.mismatch) out += " mismatch";
  if (e.flags.in_use) out += " in_use";
  if (e.flags.all_scopes) out += " all_scopes";
  out += " }";
  return out;
}

// What Firing::context points to when tests and benchmarks fire the YAML machine.
struct FiringContext {
  EventFlags flags;
  std::vector<std::string_view>* actions = nullptr;  // recording actions append their names here
};

// The YAML's five guards, reading the flags of the event being fired. The oracles read the same
// flags from their event objects, so every machine's guards do the same work.
inline void add_flag_guards(lifecycle::Registry& registry) {
  using lifecycle::Firing;
  registry.add_guard("actor_is_owner", [](const Firing& f) {
    return static_cast<const FiringContext*>(f.context)->flags.owner;
  });
  registry.add_guard("account_is_personal", [](const Firing& f) {
    return static_cast<const FiringContext*>(f.context)->flags.personal;
  });
  registry.add_guard("business_mismatch", [](const Firing& f) {
    return static_cast<const FiringContext*>(f.context)->flags.mismatch;
  });
  registry.add_guard("account_in_use", [](const Firing& f) {
    return static_cast<const FiringContext*>(f.context)->flags.in_use;
  });
  registry.add_guard("all_scopes_granted", [](const Firing& f) {
    return static_cast<const FiringContext*>(f.context)->flags.all_scopes;
  });
}

// One function per action name, appending it to FiringContext::actions: a registry takes plain
// function pointers, which cannot carry the name.
template <std::size_t I>
void record_action(const lifecycle::Firing& firing) {
  static_cast<const FiringContext*>(firing.context)->actions->push_back(kActionNames[I]);
}
template <std::size_t... I>
void add_recording_actions(lifecycle::Registry& registry, std::index_sequence<I...>) {
  (registry.add_action(std::string(kActionNames[I]), &record_action<I>), ...);
}
// Every action of kActionNames, recording.
inline void add_recording_actions(lifecycle::Registry& registry) {
  add_recording_actions(registry, std::make_index_sequence<kActionNames.size()>());
}

}  // namespace sparks::oracle

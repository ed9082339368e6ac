// The shipped flows/lifecycle/integration.yaml, loaded and compiled as the engine does, against the
// same lifecycle written by hand with Boost.MSM and Boost.Statechart (tests/oracle/). Fed the same
// events, the three must agree after every event on the state, on `previous`, on whether the event
// was handled, and on which actions ran in which order. Random sequences find the corners nobody
// thought of; the scenarios below pin the behaviour the product's help page describes.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecycle/loader.hpp"
#include "lifecycle/machine.hpp"
#include "oracle/lifecycle_events.hpp"
#include "oracle/msm_integration_lifecycle.hpp"
#include "oracle/statechart_integration_lifecycle.hpp"

namespace sparks::lifecycle {
namespace {

using oracle::Event;
using oracle::EventFlags;
using oracle::FiringContext;
using oracle::GeneratedEvent;
using oracle::name_of;
using oracle::State;
using Actions = std::vector<std::string_view>;

// ---- The YAML machine, with guards reading the event's flags and actions recording their names.

struct ShippedLifecycle {
  std::optional<Machine> machine;
  std::string problems;  // the loader's diagnostics, when it refused
  std::array<EventId, oracle::kEventCount> event_ids{};  // oracle::Event → the machine's id
};

// Loaded once for the whole file.
const ShippedLifecycle& shipped() {
  static const ShippedLifecycle loaded = [] {
    Registry registry;
    oracle::add_flag_guards(registry);
    oracle::add_recording_actions(registry);

    ShippedLifecycle out;
    LoadResult result =
        load_lifecycle_file(SPARKS_SOURCE_DIR "/flows/lifecycle/integration.yaml", registry);
    for (const auto& d : result.diagnostics) out.problems += d.to_string() + "\n";
    if (!result.definition) return out;
    out.machine = Machine::compile(*result.definition, registry);
    for (std::size_t i = 0; i < oracle::kEventCount; ++i) {
      const auto id = out.machine->event_id(oracle::kEventNames[i]);
      if (!id) {
        out.problems += "the YAML has no event '" + std::string(oracle::kEventNames[i]) + "'\n";
        out.machine.reset();
        return out;
      }
      out.event_ids[i] = *id;
    }
    return out;
  }();
  return loaded;
}

#define ASSERT_SHIPPED_LOADS() \
  ASSERT_TRUE(shipped().machine) << "flows/lifecycle/integration.yaml:\n" << shipped().problems

// ---- The three machines side by side.

struct Observation {
  std::string_view state;
  std::string_view previous;
  std::string_view before_previous;
  bool handled = false;
  Actions actions;

  bool operator==(const Observation&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Observation& o) {
  out << "state=" << o.state << " previous=" << o.previous
      << " before_previous=" << o.before_previous << (o.handled ? " handled" : " ignored")
      << " actions=[";
  for (std::size_t i = 0; i < o.actions.size(); ++i) out << (i ? ", " : "") << o.actions[i];
  return out << "]";
}

class ThreeMachines {
 public:
  ThreeMachines() : yaml_(*shipped().machine), instance_(yaml_.start()) {
    // The oracles run the initial state's entry actions when they start; Machine::start does not
    // run any, so start logging afterwards.
    msm_.start();
    msm_.log.names.clear();
    chart_.initiate();
    chart_.action_log = &chart_actions_;
  }

  // Fires `e` at all three; describes the disagreement if they do not agree afterwards.
  std::optional<std::string> fire(const GeneratedEvent& e) {
    yaml_actions_.clear();
    msm_.log.names.clear();
    chart_actions_.clear();

    FiringContext context{e.flags, &yaml_actions_};
    const FireResult result =
        yaml_.fire(instance_, shipped().event_ids[std::size_t(e.event)], &context);
    yaml_seen_ = {yaml_.state_name(instance_.state), yaml_.state_name(instance_.previous),
                  yaml_.state_name(instance_.before_previous), result.handled, yaml_actions_};

    const auto handled = oracle::msm_lifecycle::fire(msm_, e);
    const Observation msm_seen{name_of(oracle::msm_lifecycle::active_state(msm_)),
                               name_of(msm_.previous), name_of(msm_.before_previous),
                               handled == boost::msm::back::HANDLED_TRUE, msm_.log.names};

    const std::uint64_t unconsumed_before = chart_.unconsumed;
    oracle::statechart_lifecycle::fire(chart_, e);
    const Observation chart_seen{name_of(oracle::statechart_lifecycle::active_state(chart_)),
                                 name_of(chart_.previous), name_of(chart_.before_previous),
                                 chart_.unconsumed == unconsumed_before, chart_actions_};

    if (yaml_seen_ == msm_seen && yaml_seen_ == chart_seen) return std::nullopt;
    std::ostringstream out;
    out << "after " << oracle::to_string(e) << "\n  YAML:       " << yaml_seen_
        << "\n  MSM:        " << msm_seen << "\n  Statechart: " << chart_seen;
    return out.str();
  }

  const Observation& yaml() const { return yaml_seen_; }

 private:
  const Machine& yaml_;
  Instance instance_;
  Actions yaml_actions_;
  Observation yaml_seen_;
  oracle::msm_lifecycle::IntegrationLifecycle<oracle::msm_lifecycle::RecordActions> msm_;
  oracle::statechart_lifecycle::IntegrationChart chart_;
  Actions chart_actions_;
};

TEST(LifecycleDifferential, ShippedYamlHasTheOraclesVocabulary) {
  ASSERT_SHIPPED_LOADS();
  const Machine& m = *shipped().machine;
  EXPECT_EQ(m.name(), "integration");
  ASSERT_EQ(m.state_count(), oracle::kStateCount);
  for (std::size_t i = 0; i < oracle::kStateCount; ++i)
    EXPECT_TRUE(m.state_id(oracle::kStateNames[i])) << oracle::kStateNames[i];
  EXPECT_EQ(m.event_count(), oracle::kEventCount - 1);  // the time-out event is not listed
  EXPECT_EQ(m.state_name(m.initial()), "disconnected");
  EXPECT_EQ(m.timeout_of(*m.state_id("authorizing")), std::chrono::minutes(10));
}

// Random sequences: every event in every state with every guard outcome (uniform mix), and
// realistic runs that go deep (reconnects from paused, refusals back to partial-scopes). A failure
// names its mix and seed: oracle::EventGenerator(seed, mix) replays the sequence.
TEST(LifecycleDifferential, RandomSequencesAgreeWithMsmAndStatechart) {
  ASSERT_SHIPPED_LOADS();
  constexpr std::uint64_t kSequences = 5000;
  constexpr int kEventsPerSequence = 50;
  constexpr int kMaxReported = 5;
  const std::pair<const char*, oracle::EventMix> mixes[] = {{"uniform", oracle::kUniformMix},
                                                            {"realistic", oracle::kRealisticMix}};

  int failures = 0;
  std::set<std::string_view> actions_seen;
  std::set<std::pair<std::string_view, Event>> handled_seen;  // (state before, event)
  for (const auto& [mix_name, mix] : mixes) {
    for (std::uint64_t seed = 1; seed <= kSequences && failures < kMaxReported; ++seed) {
      ThreeMachines machines;
      oracle::EventGenerator generator(seed, mix);
      std::string history;
      std::string_view state = "disconnected";
      for (int step = 0; step < kEventsPerSequence; ++step) {
        const GeneratedEvent e = generator.next();
        history += "\n  " + std::to_string(step) + ": " + oracle::to_string(e);
        if (auto disagreement = machines.fire(e)) {
          ADD_FAILURE() << "mix " << mix_name << ", seed " << seed << ", event " << step << ": "
                        << *disagreement << "\nsequence:" << history;
          ++failures;
          break;
        }
        if (machines.yaml().handled) handled_seen.emplace(state, e.event);
        actions_seen.insert(machines.yaml().actions.begin(), machines.yaml().actions.end());
        state = machines.yaml().state;
      }
    }
  }

  // The sequences are worth something only if they exercised the whole file: every action ran,
  // and every (state, event) pair that the YAML handles was handled at least once: 1 in
  // disconnected, 5 in authorizing, 10 in partial-scopes, 10 in connected, 9 in paused.
  EXPECT_EQ(actions_seen.size(), oracle::kActionNames.size());
  EXPECT_EQ(handled_seen.size(), 35u);
}

// ---- Scenarios from the product's help page, step by step, the oracles agreeing at every step.

GeneratedEvent owner(Event e, EventFlags flags = {}) {
  flags.owner = true;
  return {e, flags};
}
GeneratedEvent someone_else(Event e) {
  return {e, EventFlags{}};
}

struct Step {
  GeneratedEvent event;
  State expected_state;
  Actions expected_actions;
};

void run(ThreeMachines& machines, const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    SCOPED_TRACE(oracle::to_string(step.event));
    if (auto disagreement = machines.fire(step.event)) FAIL() << *disagreement;
    EXPECT_EQ(machines.yaml().state, name_of(step.expected_state));
    EXPECT_EQ(machines.yaml().actions, step.expected_actions);
  }
}

constexpr std::string_view kResume = "resume_integration_paused_automations";

TEST(LifecycleScenario, PartialScopesThenReconnectWithEveryScope) {
  ASSERT_SHIPPED_LOADS();
  ThreeMachines machines;
  run(machines,
      {
          {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.all_scopes = false}),
           State::partial_scopes,
           {"close_oauth_session", "store_credentials", "raise_missing_scopes_issue", kResume,
            "schedule_sync"}},
          // A reconnect opens a session and stays partially connected until its grant.
          {owner(Event::connect_requested), State::partial_scopes, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.all_scopes = true}),
           State::connected,
           {"clear_missing_scopes_issue", "store_credentials", "clear_connection_issues", kResume,
            "schedule_sync"}},
      });
}

TEST(LifecycleScenario, RefusedAccountGoesBackToWhereItCameFrom) {
  ASSERT_SHIPPED_LOADS();
  ThreeMachines machines;
  run(machines,
      {
          // A personal account on the first connect: back to disconnected.
          {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.personal = true, .all_scopes = true}),
           State::disconnected,
           {"close_oauth_session", "refuse_personal_account", "pause_dependent_automations",
            "revoke_credentials"}},
          // An account another workspace holds is refused the same way.
          {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.in_use = true, .all_scopes = true}),
           State::disconnected,
           {"close_oauth_session", "refuse_account_in_use", "pause_dependent_automations",
            "revoke_credentials"}},
          // Connected, then a reconnect with a personal account: refused without leaving
          // connected, which keeps working on its grant throughout.
          {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.all_scopes = true}),
           State::connected,
           {"close_oauth_session", "store_credentials", "clear_connection_issues", kResume,
            "schedule_sync"}},
          {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.personal = true, .all_scopes = true}),
           State::connected,
           {"refuse_personal_account"}},
          // A Shop of another business is refused the same way; personal wins when both hold.
          {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.mismatch = true, .all_scopes = true}),
           State::connected,
           {"refuse_business_mismatch"}},
          {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.personal = true, .mismatch = true}),
           State::connected,
           {"refuse_personal_account"}},
          // And an account another workspace holds; so is a denied consent.
          {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.in_use = true, .all_scopes = true}),
           State::connected,
           {"refuse_account_in_use"}},
          {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
          {owner(Event::authorization_denied), State::connected, {"record_consent_denied"}},
      });
}

TEST(LifecycleScenario, PausedRecoversToTheStateItPaused) {
  ASSERT_SHIPPED_LOADS();
  ThreeMachines machines;
  run(machines, {
                    {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
                    {owner(Event::authorization_granted, {.all_scopes = true}),
                     State::connected,
                     {"close_oauth_session", "store_credentials", "clear_connection_issues",
                      kResume, "schedule_sync"}},
                    {owner(Event::platform_unavailable), State::paused, {"schedule_recovery"}},
                    // More trouble while paused stays paused: no exit, no entry.
                    {owner(Event::token_refresh_failed), State::paused, {"schedule_recovery"}},
                    {owner(Event::platform_recovered),
                     State::connected,
                     {"cancel_recovery", "clear_connection_issues", kResume, "schedule_sync"}},
                    // The same from partial-scopes comes back to partial-scopes, not to connected.
                    {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
                    {owner(Event::authorization_granted),
                     State::partial_scopes,
                     {"store_credentials", "raise_missing_scopes_issue", kResume, "schedule_sync"}},
                    {owner(Event::token_refresh_failed),
                     State::paused,
                     {"clear_missing_scopes_issue", "schedule_recovery"}},
                    {owner(Event::token_refreshed),
                     State::partial_scopes,
                     {"cancel_recovery", "store_credentials", "raise_missing_scopes_issue", kResume,
                      "schedule_sync"}},
                    // A rejected refresh token is not transient: straight to disconnected.
                    {owner(Event::platform_unavailable),
                     State::paused,
                     {"clear_missing_scopes_issue", "schedule_recovery"}},
                    {owner(Event::refresh_token_rejected),
                     State::disconnected,
                     {"cancel_recovery", "raise_reconnect_issue", "pause_dependent_automations",
                      "revoke_credentials"}},
                });
}

TEST(LifecycleScenario, AuthorizingTimesOutBackToPrevious) {
  ASSERT_SHIPPED_LOADS();
  ThreeMachines machines;
  run(machines, {
                    {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
                    {owner(Event::timeout),
                     State::disconnected,
                     {"close_oauth_session", "record_authorization_expired",
                      "pause_dependent_automations", "revoke_credentials"}},
                    // Time-outs mean nothing outside authorizing.
                    {owner(Event::timeout), State::disconnected, {}},
                    {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
                    {owner(Event::authorization_granted, {.all_scopes = true}),
                     State::connected,
                     {"close_oauth_session", "store_credentials", "clear_connection_issues",
                      kResume, "schedule_sync"}},
                    {owner(Event::timeout), State::connected, {}},
                    // A reconnect stays connected: its session expires unused, and no time-out
                    // of the lifecycle's is involved.
                    {owner(Event::connect_requested), State::connected, {"open_oauth_session"}},
                    {owner(Event::timeout), State::connected, {}},
                    // Reconnecting from paused goes through authorizing; a second Connect click
                    // re-enters it and it still times out back to paused: re-entering authorizing
                    // does not lose the way back.
                    {owner(Event::platform_unavailable), State::paused, {"schedule_recovery"}},
                    {owner(Event::connect_requested),
                     State::authorizing,
                     {"cancel_recovery", "open_oauth_session"}},
                    {owner(Event::connect_requested),
                     State::authorizing,
                     {"close_oauth_session", "open_oauth_session"}},
                    {owner(Event::timeout),
                     State::paused,
                     {"close_oauth_session", "record_authorization_expired", "schedule_recovery"}},
                    // And recovery from there still returns to connected.
                    {owner(Event::platform_recovered),
                     State::connected,
                     {"cancel_recovery", "clear_connection_issues", kResume, "schedule_sync"}},
                });
}

TEST(LifecycleScenario, OnlyTheOwnerConnectsOrDisconnects) {
  ASSERT_SHIPPED_LOADS();
  ThreeMachines machines;
  run(machines,
      {
          {someone_else(Event::connect_requested), State::disconnected, {"refuse_not_owner"}},
          {owner(Event::connect_requested), State::authorizing, {"open_oauth_session"}},
          {owner(Event::authorization_granted, {.all_scopes = true}),
           State::connected,
           {"close_oauth_session", "store_credentials", "clear_connection_issues", kResume,
            "schedule_sync"}},
          {someone_else(Event::disconnect_requested), State::connected, {"refuse_not_owner"}},
          {someone_else(Event::connect_requested), State::connected, {"refuse_not_owner"}},
          {owner(Event::disconnect_requested),
           State::disconnected,
           {"pause_dependent_automations", "revoke_credentials"}},
      });
}

}  // namespace
}  // namespace sparks::lifecycle

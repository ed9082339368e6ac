// The compiled Machine's two ways of running actions (lifecycle/registry.hpp): one call per action
// through the functions a registry names (what lifecycle_differential_test.cpp checks against the
// oracles), or one call per transition into the host with the numbers of every action it runs (how
// the engine and the benchmark run them). Fed the same events, both must run the same actions in
// the same order and move the machine alike; the host hears from the machine once per transition
// that runs actions, and never for one that runs none.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecycle/loader.hpp"
#include "lifecycle/machine.hpp"
#include "oracle/lifecycle_events.hpp"

namespace sparks::lifecycle {
namespace {

using oracle::FiringContext;
using Actions = std::vector<std::string_view>;

// What the host saw: every call, each with the actions it was handed.
struct HostCalls {
  std::vector<Actions> calls;
};
struct HostContext {
  FiringContext flags;  // first: the oracles' guards read the context as a FiringContext
  HostCalls* host = nullptr;
};

void record_host_actions(std::span<const ActionId> ids, const Firing& firing) {
  Actions names;
  for (ActionId id : ids) names.push_back(oracle::kActionNames.at(id));
  static_cast<const HostContext*>(firing.context)->host->calls.push_back(std::move(names));
}

enum class Kind { per_action, host };

Machine compile_shipped(Kind kind) {
  Registry registry;
  oracle::add_flag_guards(registry);
  if (kind == Kind::host) {
    registry.add_actions(oracle::kActionNames, record_host_actions);
  } else {
    oracle::add_recording_actions(registry);
  }
  LoadResult loaded =
      load_lifecycle_file(SPARKS_SOURCE_DIR "/flows/lifecycle/integration.yaml", registry);
  if (!loaded.definition) throw std::runtime_error("the shipped lifecycle did not load");
  return Machine::compile(*loaded.definition, registry);
}

EventId event_id(const Machine& machine, oracle::Event e) {
  return *machine.event_id(oracle::name_of(e));
}

TEST(LifecycleMachine, AnInstanceStaysThreeBytes) {
  EXPECT_EQ(sizeof(Instance), 4u);
}

TEST(LifecycleMachine, HostRunActionsRunWhatPerActionFunctionsRun) {
  const Machine per_action = compile_shipped(Kind::per_action);
  const Machine host = compile_shipped(Kind::host);
  Instance a = per_action.start();
  Instance b = host.start();
  oracle::EventGenerator generator(20240602, oracle::kUniformMix);
  for (int i = 0; i < 20000; ++i) {
    const oracle::GeneratedEvent e = generator.next();
    Actions ran;
    FiringContext context{e.flags, &ran};
    const FireResult expected = per_action.fire(a, event_id(per_action, e.event), &context);

    HostCalls calls;
    HostContext host_context{{e.flags}, &calls};
    const FireResult result = host.fire(b, event_id(host, e.event), &host_context);

    Actions host_ran;
    for (const Actions& call : calls.calls)
      host_ran.insert(host_ran.end(), call.begin(), call.end());
    ASSERT_EQ(host_ran, ran) << "event " << i << ": " << oracle::to_string(e);
    ASSERT_EQ(result.handled, expected.handled) << "event " << i;
    ASSERT_EQ(result.from, expected.from) << "event " << i;
    ASSERT_EQ(result.to, expected.to) << "event " << i;
    ASSERT_EQ(result.entered, expected.entered) << "event " << i;
    ASSERT_EQ(b.state, a.state) << "event " << i;
    ASSERT_EQ(b.previous, a.previous) << "event " << i;
    ASSERT_EQ(b.before_previous, a.before_previous) << "event " << i;
    for (const Actions& call : calls.calls) ASSERT_FALSE(call.empty()) << "event " << i;
  }
}

// authorizing → connected: exit, `do` and entry arrive together, in that order, in one call.
TEST(LifecycleMachine, TheHostGetsATransitionsActionsInOneCall) {
  const Machine host = compile_shipped(Kind::host);
  Instance instance = host.start();
  HostCalls calls;
  HostContext context{{oracle::EventFlags{.owner = true}}, &calls};
  ASSERT_TRUE(
      host.fire(instance, event_id(host, oracle::Event::connect_requested), &context).handled);
  calls.calls.clear();
  context.flags.flags = {.owner = true, .all_scopes = true};
  const FireResult result =
      host.fire(instance, event_id(host, oracle::Event::authorization_granted), &context);
  ASSERT_TRUE(result.handled);
  EXPECT_EQ(host.state_name(result.to), "connected");
  ASSERT_EQ(calls.calls.size(), 1u);
  EXPECT_EQ(calls.calls[0],
            (Actions{"close_oauth_session", "store_credentials", "clear_connection_issues",
                     "resume_integration_paused_automations", "schedule_sync"}));
}

// partial-scopes → paused on platform_unavailable runs clear_missing_scopes_issue and
// schedule_recovery; paused → previous (partial-scopes) runs cancel_recovery, then the entry of the
// state it returned to, which only then is known: two calls.
TEST(LifecycleMachine, ReturningToPreviousHandsOverTheEntryOfTheStateReturnedTo) {
  const Machine host = compile_shipped(Kind::host);
  Instance instance = host.start();
  HostCalls calls;
  HostContext context{{oracle::EventFlags{.owner = true}}, &calls};
  using oracle::Event;
  for (Event e :
       {Event::connect_requested, Event::authorization_granted, Event::platform_unavailable})
    ASSERT_TRUE(host.fire(instance, event_id(host, e), &context).handled);
  EXPECT_EQ(host.state_name(instance.state), "paused");
  calls.calls.clear();
  const FireResult result =
      host.fire(instance, event_id(host, Event::platform_recovered), &context);
  ASSERT_TRUE(result.handled);
  EXPECT_EQ(host.state_name(result.to), "partial-scopes");
  ASSERT_EQ(calls.calls.size(), 2u);
  EXPECT_EQ(calls.calls[0], (Actions{"cancel_recovery"}));
  EXPECT_EQ(calls.calls[1], (Actions{"raise_missing_scopes_issue",
                                     "resume_integration_paused_automations", "schedule_sync"}));
}

// A door (tests/data/lifecycle/valid.yaml, smaller): the host hears of a transition that runs an
// action, not of one that runs none, nor of an event the state ignores.
TEST(LifecycleMachine, NoCallForATransitionWithoutActionsOrForAnIgnoredEvent) {
  constexpr std::string_view kDoor = R"(lifecycle:
  name: door
  version: 1
  initial: closed
  states:
    closed:
    open:
      entry: [notify]
  events:
    open_requested: "someone pulls the handle"
    close_requested: "someone pushes the door"
  transitions:
    - { from: closed, on: open_requested, guard: allowed, to: open }
    - { from: closed, on: open_requested }
    - { from: open, on: close_requested, to: closed }
)";
  static constexpr std::array<std::string_view, 1> kNames = {"notify"};
  static int host_calls = 0;
  static bool allowed = false;
  Registry registry;
  registry.add_guard("allowed", [](const Firing&) { return allowed; });
  registry.add_actions(kNames, [](std::span<const ActionId>, const Firing&) { ++host_calls; });
  LoadResult loaded = load_lifecycle("door.yaml", kDoor, registry);
  std::string problems;
  for (const auto& d : loaded.diagnostics) problems += d.to_string() + "\n";
  ASSERT_TRUE(loaded.definition) << problems;
  const Machine door = Machine::compile(*loaded.definition, registry);
  Instance instance = door.start();
  const EventId open = *door.event_id("open_requested");
  const EventId close = *door.event_id("close_requested");

  EXPECT_FALSE(door.fire(instance, close, nullptr).handled);  // closed ignores it
  const FireResult refused = door.fire(instance, open, nullptr);
  EXPECT_TRUE(refused.handled);  // the guard says no: the fallback stays, running nothing
  EXPECT_FALSE(refused.entered);
  EXPECT_EQ(door.state_name(instance.state), "closed");
  EXPECT_EQ(host_calls, 0);

  allowed = true;
  EXPECT_TRUE(door.fire(instance, open, nullptr).entered);  // the entry of open: notify
  EXPECT_EQ(door.state_name(instance.state), "open");
  EXPECT_EQ(host_calls, 1);
  EXPECT_TRUE(door.fire(instance, close, nullptr).entered);  // no action
  EXPECT_EQ(door.state_name(instance.state), "closed");
  EXPECT_EQ(host_calls, 1);
}

TEST(LifecycleMachine, ARegistryTakesOneKindOfAction) {
  static constexpr std::array<std::string_view, 1> kNames = {"notify"};
  Registry host;
  host.add_actions(kNames, [](std::span<const ActionId>, const Firing&) {});
  EXPECT_TRUE(host.knows_action("notify"));
  EXPECT_FALSE(host.knows_action("log"));
  EXPECT_THROW(host.add_action("log", [](const Firing&) {}), std::logic_error);

  Registry per_action;
  per_action.add_action("log", [](const Firing&) {});
  EXPECT_THROW(per_action.add_actions(kNames, [](std::span<const ActionId>, const Firing&) {}),
               std::logic_error);
}

}  // namespace
}  // namespace sparks::lifecycle

// What one lifecycle event costs: the YAML-defined machine the engine runs (flows/lifecycle/
// integration.yaml, loaded and compiled), against the same lifecycle written by hand with Boost.MSM
// and with Boost.Statechart (tests/oracle/). docs/performance.md: YAML ≤ 10 ns per
// transition and ≤ 2× MSM.
//
// All three replay the same pre-generated cycle of events (two workloads, see Workload below). One
// benchmark iteration is one event, so the reported time per iteration (and the "ns_per_transition"
// counter) is the cost of one event. The work is the same in all three: guards read the event's
// flags, actions do nothing (MSM inlines them away; the YAML machine hands each transition's
// actions to the host in one call, as the engine has it, and the host's loop over them folds away;
// BM_LifecycleYamlPerAction calls each action through its function pointer). After every event
// the machine is forced out to memory, as the machine of a real integration is between two of its
// events.
//
// MSM runs twice: BM_LifecycleMsm switches off its exception handling and event queue, which the
// YAML machine does not have either (the fair comparison); BM_LifecycleMsmDefaults is MSM as it
// comes, the configuration of the reference figures in docs/performance.md.
//
// Counters:
//   ns_per_transition   the cost of one event, in nanoseconds (the console shows it with an "s")
//   bytes_per_instance  what each live integration needs besides the shared definition:
//                       YAML: sizeof(lifecycle::Instance);
//                       MSM: sizeof(the back-end state machine);
//                       Statechart: sizeof(the state_machine) + sizeof(its largest state class),
//                       the one state object it keeps on the heap (allocator overhead not counted)
//   state_changes       the share of the cycle's events that move the machine to another state
//   handled             the share handled at all (the rest are ignored in the state they arrive in)
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecycle/loader.hpp"
#include "lifecycle/machine.hpp"
#include "oracle/lifecycle_events.hpp"
#include "oracle/msm_integration_lifecycle.hpp"
#include "oracle/statechart_integration_lifecycle.hpp"
#include "util/resources.hpp"

namespace {

using namespace sparks;
using oracle::Event;
using oracle::GeneratedEvent;
namespace msm_lc = oracle::msm_lifecycle;
namespace chart_lc = oracle::statechart_lifecycle;

constexpr std::size_t kCycleLength = 4096;  // a power of two: the next index is a mask away
constexpr std::uint64_t kCycleSeed = 20240601;

void no_op(const lifecycle::Firing&) {}

// How the engine runs its actions (integrations/lifecycle_bindings.cpp): the machine hands each
// transition's actions to the host in one call, and the host dispatches on each action's number.
// Here every action does nothing, and the compiler folds the loop away, as MSM's inlining does.
void run_no_ops(std::span<const lifecycle::ActionId> actions, const lifecycle::Firing& firing) {
  for ([[maybe_unused]] lifecycle::ActionId id : actions) no_op(firing);
}

// The shipped lifecycle, from the copy compiled into the engine, with the oracles' guards and
// actions that do nothing: run by the host one transition at a time, as the engine runs them, or
// (BM_LifecycleYamlPerAction) one call per action through the machine's own table.
enum class Actions { host, per_action };

lifecycle::Machine compile_yaml_machine(Actions actions) {
  lifecycle::Registry registry;
  oracle::add_flag_guards(registry);
  if (actions == Actions::host) {
    registry.add_actions(oracle::kActionNames, run_no_ops);
  } else {
    for (std::string_view name : oracle::kActionNames)
      registry.add_action(std::string(name), no_op);
  }
  const char* path = "flows/lifecycle/integration.yaml";
  const auto text = resources::find(path);
  if (!text) {
    std::fprintf(stderr, "%s is not embedded in the engine\n", path);
    std::exit(1);
  }
  lifecycle::LoadResult loaded = lifecycle::load_lifecycle(path, *text, registry);
  if (!loaded.definition) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", d.to_string().c_str());
    std::exit(1);
  }
  return lifecycle::Machine::compile(*loaded.definition, registry);
}

const lifecycle::Machine& yaml_machine(Actions actions = Actions::host) {
  static const lifecycle::Machine host = compile_yaml_machine(Actions::host);
  static const lifecycle::Machine per_action = compile_yaml_machine(Actions::per_action);
  return actions == Actions::host ? host : per_action;
}

lifecycle::EventId yaml_event_id(Event e) {
  return *yaml_machine().event_id(oracle::name_of(e));
}

// Two workloads, each a cycle of kCycleLength events that every pass starts from disconnected:
// - realistic: the realistic mix, steered away from events that the current state ignores (such an
//   event is redrawn), and closed by a final event that leads back to disconnected. The branch
//   predictor cannot learn it, as it cannot learn the events of many live integrations;
// - tour: one fixed walk through the lifecycle, repeated. Every branch is predicted, which shows
//   the least each machine can cost per event, the case in which MSM's inlining counts most.
// The YAML machine does the steering: an event is tried on a copy of its 4-byte Instance (a copy of
// the MSM back-end here did not carry its active state over). The three machines agree on every
// event (tests/unit/lifecycle_differential_test.cpp).
enum class Workload { realistic, tour };

std::vector<GeneratedEvent> realistic_cycle() {
  const lifecycle::Machine& machine = yaml_machine();
  lifecycle::Instance instance = machine.start();
  auto fire = [&](lifecycle::Instance& target, const GeneratedEvent& e) {
    oracle::FiringContext context{e.flags};
    return machine.fire(target, yaml_event_id(e.event), &context);
  };
  oracle::EventGenerator generator(kCycleSeed, oracle::kRealisticMix);
  std::vector<GeneratedEvent> out;
  while (out.size() < kCycleLength - 1) {
    GeneratedEvent e = generator.next();
    // In disconnected only 2 of the mix's 24 parts are handled; 64 draws nearly always find one.
    for (int redraw = 0; redraw < 64; ++redraw) {
      lifecycle::Instance probe = instance;
      if (fire(probe, e).handled) break;
      e = generator.next();
    }
    fire(instance, e);
    out.push_back(e);
  }
  // From every state but disconnected the owner's Disconnect leads there; in disconnected, a
  // Connect by someone else is refused without leaving it.
  const bool home = machine.state_name(instance.state) == "disconnected";
  out.push_back({home ? Event::connect_requested : Event::disconnect_requested,
                 oracle::EventFlags{.owner = !home}});
  return out;
}

std::vector<GeneratedEvent> tour_cycle() {
  constexpr oracle::EventFlags kOwner{.owner = true};
  constexpr oracle::EventFlags kSomeoneElse{};
  constexpr oracle::EventFlags kEveryScope{.owner = true, .all_scopes = true};
  constexpr oracle::EventFlags kPersonal{.owner = true, .personal = true};
  const GeneratedEvent tour[] = {
      {Event::connect_requested, kOwner},           // → authorizing
      {Event::authorization_granted, kEveryScope},  // → connected
      {Event::token_refreshed, kOwner},             // stays
      {Event::platform_unavailable, kOwner},        // → paused
      {Event::platform_recovered, kOwner},          // → previous: connected
      {Event::connect_requested, kOwner},           // a reconnect: stays, opens a session
      {Event::authorization_granted, kOwner},       // → partial-scopes
      {Event::token_refresh_failed, kOwner},        // → paused
      {Event::token_refreshed, kOwner},             // → previous: partial-scopes
      {Event::connect_requested, kSomeoneElse},     // refused, stays
      {Event::disconnect_requested, kOwner},        // → disconnected
      {Event::connect_requested, kOwner},           // → authorizing
      {Event::authorization_granted, kPersonal},    // refused → previous: disconnected
      {Event::connect_requested, kOwner},           // → authorizing
      {Event::timeout, kOwner},                     // → previous: disconnected
      {Event::connect_requested, kSomeoneElse},     // refused, stays
  };
  static_assert(kCycleLength % std::size(tour) == 0);
  std::vector<GeneratedEvent> out;
  while (out.size() < kCycleLength) out.insert(out.end(), std::begin(tour), std::end(tour));
  return out;
}

const std::vector<GeneratedEvent>& event_cycle(Workload workload) {
  static const std::vector<GeneratedEvent> realistic = realistic_cycle();
  static const std::vector<GeneratedEvent> tour = tour_cycle();
  return workload == Workload::realistic ? realistic : tour;
}

void report(benchmark::State& state, Workload workload, std::size_t bytes_per_instance) {
  state.SetItemsProcessed(state.iterations());
  // An inverted rate is seconds per unit; counting each iteration as 1e-9 units gives nanoseconds.
  state.counters["ns_per_transition"] = benchmark::Counter(
      1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_instance"] = double(bytes_per_instance);

  // What the cycle asks of the machines, measured on the YAML machine outside the timed loop.
  const auto [state_changes, handled] = [workload] {
    const lifecycle::Machine& machine = yaml_machine();
    lifecycle::Instance instance = machine.start();
    std::size_t changes = 0, handled_count = 0;
    for (const GeneratedEvent& e : event_cycle(workload)) {
      oracle::FiringContext context{e.flags};
      const lifecycle::EventId id = yaml_event_id(e.event);
      const lifecycle::FireResult result = machine.fire(instance, id, &context);
      changes += result.changed_state();
      handled_count += result.handled;
    }
    return std::pair{double(changes) / kCycleLength, double(handled_count) / kCycleLength};
  }();
  state.counters["state_changes"] = state_changes;
  state.counters["handled"] = handled;
}

void run_yaml(benchmark::State& state, Workload workload, Actions actions) {
  const lifecycle::Machine& machine = yaml_machine(actions);
  // Prepared outside the timed loop: the machine's event id and the context its guards read.
  struct Prepared {
    lifecycle::EventId id;
    oracle::FiringContext context;
  };
  std::vector<Prepared> events;
  for (const GeneratedEvent& e : event_cycle(workload))
    events.push_back({yaml_event_id(e.event), {e.flags}});

  lifecycle::Instance instance = machine.start();
  std::size_t next = 0;
  for (auto _ : state) {
    Prepared& e = events[next];
    next = (next + 1) & (kCycleLength - 1);
    machine.fire(instance, e.id, &e.context);
    benchmark::DoNotOptimize(instance);
  }
  benchmark::DoNotOptimize(instance.state);
  report(state, workload, sizeof(lifecycle::Instance));
}
// BM_LifecycleYaml: as the engine runs it. BM_LifecycleYamlPerAction: one call per action.
void BM_LifecycleYaml(benchmark::State& state, Workload workload) {
  run_yaml(state, workload, Actions::host);
}
void BM_LifecycleYamlPerAction(benchmark::State& state, Workload workload) {
  run_yaml(state, workload, Actions::per_action);
}

template <class Options>
void run_msm(benchmark::State& state, Workload workload) {
  const std::vector<GeneratedEvent>& events = event_cycle(workload);
  msm_lc::IntegrationLifecycle<msm_lc::DiscardActions, Options> machine;
  machine.start();
  std::size_t next = 0;
  for (auto _ : state) {
    const GeneratedEvent& e = events[next];
    next = (next + 1) & (kCycleLength - 1);
    msm_lc::fire(machine, e);
    benchmark::DoNotOptimize(machine);
  }
  benchmark::DoNotOptimize(machine.current_state()[0]);
  report(state, workload, sizeof(machine));
}
// BM_LifecycleMsm: MSM without exception handling or event queue, as lean as the YAML machine.
// BM_LifecycleMsmDefaults: MSM as it comes, for comparison with figures measured that way.
void BM_LifecycleMsm(benchmark::State& state, Workload workload) {
  run_msm<msm_lc::Lean>(state, workload);
}
void BM_LifecycleMsmDefaults(benchmark::State& state, Workload workload) {
  run_msm<msm_lc::MsmDefaults>(state, workload);
}

void BM_LifecycleStatechart(benchmark::State& state, Workload workload) {
  const std::vector<GeneratedEvent>& events = event_cycle(workload);
  chart_lc::IntegrationChart chart;
  chart.initiate();
  std::size_t next = 0;
  for (auto _ : state) {
    const GeneratedEvent& e = events[next];
    next = (next + 1) & (kCycleLength - 1);
    chart_lc::fire(chart, e);
    benchmark::DoNotOptimize(chart);
  }
  benchmark::DoNotOptimize(chart.previous);
  report(state, workload, sizeof(chart) + chart_lc::kLargestStateSize);
}

BENCHMARK_CAPTURE(BM_LifecycleYaml, realistic, Workload::realistic);
BENCHMARK_CAPTURE(BM_LifecycleYamlPerAction, realistic, Workload::realistic);
BENCHMARK_CAPTURE(BM_LifecycleMsm, realistic, Workload::realistic);
BENCHMARK_CAPTURE(BM_LifecycleMsmDefaults, realistic, Workload::realistic);
BENCHMARK_CAPTURE(BM_LifecycleStatechart, realistic, Workload::realistic);
BENCHMARK_CAPTURE(BM_LifecycleYaml, tour, Workload::tour);
BENCHMARK_CAPTURE(BM_LifecycleYamlPerAction, tour, Workload::tour);
BENCHMARK_CAPTURE(BM_LifecycleMsm, tour, Workload::tour);
BENCHMARK_CAPTURE(BM_LifecycleMsmDefaults, tour, Workload::tour);
BENCHMARK_CAPTURE(BM_LifecycleStatechart, tour, Workload::tour);

}  // namespace

BENCHMARK_MAIN();

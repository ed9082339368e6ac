// The lifecycle loader: every broken file in tests/data/lifecycle/ is refused with the exact
// positions and messages a person would need to fix it; the shipped lifecycle loads clean.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"
#include "lifecycle/machine.hpp"
#include "util/resources.hpp"

namespace sparks::lifecycle {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// The guards and actions the test files may name (the files describe a door, not an integration).
const Registry& door_registry() {
  static const Registry registry = [] {
    Registry r;
    r.add_guard("is_owner", [](const Firing&) { return true; });
    r.add_guard("is_admin", [](const Firing&) { return true; });
    r.add_action("notify", [](const Firing&) {});
    r.add_action("log", [](const Firing&) {});
    return r;
  }();
  return registry;
}

std::string data_file(const std::string& name) {
  return std::string(SPARKS_TEST_DATA_DIR) + "/lifecycle/" + name;
}

std::string shipped_lifecycle() {
  return std::string(SPARKS_SOURCE_DIR) + "/flows/lifecycle/integration.yaml";
}

std::string listing(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += "\n  " + d.to_string();
  return out;
}

// ---------------------------------------------------------------------------------------------
// One row per broken file: every diagnostic it must produce, in order, and nothing else.

struct Expected {
  int line;
  int column;
  std::string message;  // the whole message, or a distinctive part of it
};

struct BrokenFile {
  std::string file;
  std::vector<Expected> expected;
};

void PrintTo(const BrokenFile& broken, std::ostream* os) {
  *os << broken.file;
}

class BrokenLifecycle : public ::testing::TestWithParam<BrokenFile> {};

TEST_P(BrokenLifecycle, IsRefusedWithEveryProblemAtItsPlace) {
  const BrokenFile& broken = GetParam();
  const LoadResult result = load_lifecycle_file(data_file(broken.file), door_registry());

  EXPECT_FALSE(result.definition.has_value());
  ASSERT_EQ(result.diagnostics.size(), broken.expected.size()) << listing(result.diagnostics);
  for (std::size_t i = 0; i < broken.expected.size(); ++i) {
    const Diagnostic& got = result.diagnostics[i];
    const Expected& want = broken.expected[i];
    EXPECT_EQ(got.file, data_file(broken.file));
    EXPECT_EQ(got.line, want.line) << got.to_string();
    EXPECT_EQ(got.column, want.column) << got.to_string();
    EXPECT_THAT(got.message, HasSubstr(want.message)) << got.to_string();
  }
}

const BrokenFile kBrokenFiles[] = {
    // YAML itself
    {"syntax_error.yaml", {{5, 14, "end of sequence flow not found"}}},
    {"duplicate_key.yaml",
     {{9, 5, "duplicate key 'closed' (first defined at line 6)"},
      {14, 53, "duplicate key 'to' (first defined at line 14, column 43)"}}},

    // The schema
    {"schema_wrong_type.yaml",
     {{3, 12, "lifecycle.version: must be a whole number, not the string 'one'"},
      {7, 14, "lifecycle.states.closed.entry: must be a list, not the string 'notify'"},
      {9, 14, "lifecycle.states.open.final: must be true or false, not the string 'yes'"},
      {13, 47, "lifecycle.transitions[0].to: must be a string, not a list"},
      {14, 45, "lifecycle.transitions[1].to: must be a string, not the number 42"}}},
    {"schema_unknown_field.yaml",
     {{5, 3,
       "unknown field 'colour' in lifecycle (allowed: 'name', 'version', 'initial', 'states', "
       "'events', 'transitions')"},
      {9, 7, "unknown field 'on_enter' in lifecycle.states.closed"},
      {14, 53, "unknown field 'when' in lifecycle.transitions[0]"},
      {14, 69, "unknown field 'then' in lifecycle.transitions[0]"}}},
    {"schema_missing_field.yaml",
     {{2, 3, "lifecycle: missing required field 'version'"},
      {11, 7, "lifecycle.transitions[1]: missing required field 'from'"},
      {12, 7, "lifecycle.transitions[2]: needs one of 'on' or 'after'"}}},
    {"schema_bad_duration.yaml",
     {{9, 30, "lifecycle.transitions[0].after: '10x' is not a duration"},
      {10, 28, "lifecycle.transitions[1].after: must be a string, not the number 30"},
      {11, 28, "lifecycle.transitions[2].after: '1.5h' is not a duration"}}},
    {"schema_on_and_after.yaml",
     {{11, 7, "lifecycle.transitions[0]: give only one of 'on' or 'after'"}}},
    {"schema_bad_name.yaml",
     {{7, 5, "'Open Wide' in lifecycle.states is not a name"},
      {11, 47, "lifecycle.transitions[0].to: 'Open Wide' is not a name"}}},
    {"schema_bad_card.yaml",
     {{7, 13, "lifecycle.states.closed.card: missing required field 'dot'"},
      {9, 14, "lifecycle.states.open.means: must be a list, not the string 'live'"},
      {10, 43,
       "unknown field 'colour' in lifecycle.states.open.card (allowed: 'status', 'dot', "
       "'dot_if_ever_connected')"}}},

    // Meaning
    {"missing_initial.yaml",
     {{2, 3, "no initial state: add 'initial:' naming the state a new machine starts in"}}},
    {"unknown_initial.yaml",
     {{4, 12, "initial state 'clossed' is not declared under 'states' (did you mean 'closed'?)"}}},
    {"unknown_from.yaml", {{12, 15, "unknown state 'opened' in 'from' (did you mean 'open'?)"}}},
    {"unknown_to.yaml",
     {{12, 37, "unknown state 'ajar' in 'to' (name a declared state, or 'previous')"}}},
    {"undeclared_event.yaml",
     {{12, 25, "event 'toggel' is not declared under 'events' (did you mean 'toggle'?)"}}},
    {"unknown_guard.yaml", {{11, 42, "unknown guard 'is_ownr' (did you mean 'is_owner'?)"}}},
    {"unknown_action.yaml",
     {{7, 23, "unknown action 'ring_bell' in the entry actions of state 'closed'"},
      {9, 14, "unknown action 'lgo' in the exit actions of state 'open' (did you mean 'log'?)"},
      {13, 55, "unknown action 'launch_rockets'"}}},
    {"unreachable_state.yaml",
     {{10, 5,
       "state 'attic' is unreachable: no transition from the initial state 'closed' leads to it"},
      {11, 5, "state 'cellar' is unreachable"}}},
    {"no_way_out.yaml",
     {{8, 5,
       "state 'bricked-up' has no way out: add a transition from it, or mark it 'final: true'"}}},
    {"unhandled_event.yaml", {{10, 5, "event 'knock' is declared but no transition handles it"}}},
    {"no_fallback.yaml",
     {{12, 7, "event 'toggle' in state 'closed' has guarded rows but no unguarded fallback row"},
      {14, 7,
       "timeout 'after 1m' in state 'open' has guarded rows but no unguarded fallback row"}}},
    {"shadowed_row.yaml",
     {{12, 7,
       "row can never run: the unguarded row at line 11 above already handles event 'toggle' in "
       "'closed'"},
      {13, 7, "row can never run: the unguarded row at line 11 above"}}},
    {"unknown_meaning.yaml",
     {{7, 38, "unknown dot colour 'gren' (did you mean 'green'?)"},
      {9, 15, "unknown meaning 'liv' in state 'open' (did you mean 'live'?)"},
      {9, 39,
       "unknown meaning 'windy' in state 'open' (known: 'live', 'holds_events', "
       "'awaiting_authorization', 'keeps_credentials')"},
      {10, 66, "unknown dot colour 'purple' (known: 'green', 'yellow', 'red', 'grey')"}}},
    {"contradicting_meanings.yaml",
     {{7, 15,
       "the initial state 'closed' cannot mean 'keeps_credentials': a new integration has no "
       "connection, credentials or OAuth session"},
      {7, 34, "the initial state 'closed' cannot mean 'awaiting_authorization'"},
      {9, 15,
       "state 'open' is live but does not keep credentials: add 'keeps_credentials' (a live "
       "state sends actions with them)"},
      {11, 40,
       "state 'ajar' cannot both be live and hold events: held events wait for a live state"}}},
    {"timeout_lengths.yaml",
     {{14, 28,
       "state 'open' has timeouts of different lengths (30s at line 13, 1m here): a state has "
       "one timeout"}}},

    // Unrelated mistakes in one file are all reported, in the order of the file.
    {"many_problems.yaml",
     {{8, 15, "unknown action 'ring_bell'"},
      {10, 5, "state 'attic' is unreachable"},
      {10, 5, "state 'attic' has no way out"},
      {13, 5, "event 'knock' is declared but no transition handles it"},
      {15, 42, "unknown guard 'is_ownr'"},
      {17, 37, "unknown state 'ajar' in 'to'"},
      {18, 25, "event 'slam' is not declared under 'events'"}}},
};

std::string test_name(const ::testing::TestParamInfo<BrokenFile>& info) {
  std::string name = info.param.file.substr(0, info.param.file.find('.'));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(DataFiles, BrokenLifecycle, ::testing::ValuesIn(kBrokenFiles), test_name);

// ---------------------------------------------------------------------------------------------
// Files that load.

TEST(LifecycleLoader, ValidFileLoadsWithNamesAndPositions) {
  const LoadResult result = load_lifecycle_file(data_file("valid.yaml"), door_registry());
  ASSERT_TRUE(result.diagnostics.empty()) << listing(result.diagnostics);
  ASSERT_TRUE(result.definition.has_value());
  const Definition& def = *result.definition;

  EXPECT_EQ(def.file, data_file("valid.yaml"));
  EXPECT_EQ(def.name, "door");
  EXPECT_EQ(def.version, 1);
  EXPECT_EQ(def.initial, "closed");

  ASSERT_EQ(def.states.size(), 4u);
  EXPECT_EQ(def.states[0].name, "closed");
  EXPECT_EQ(def.states[0].entry, std::vector<std::string>{"notify"});
  EXPECT_EQ(def.states[0].pos.line, 8);
  EXPECT_EQ(def.states[0].pos.column, 5);
  EXPECT_EQ(def.states[1].exit, std::vector<std::string>{"log"});
  EXPECT_EQ(def.states[2].name, "jammed");  // written as `jammed:` with nothing after it
  EXPECT_TRUE(def.states[2].entry.empty());
  EXPECT_FALSE(def.states[2].final);
  EXPECT_TRUE(def.states[3].final);

  ASSERT_EQ(def.events.size(), 4u);
  EXPECT_EQ(def.events[0].name, "open_requested");
  EXPECT_EQ(def.events[0].description, "someone pulls the handle");
  EXPECT_EQ(def.events[0].pos.line, 18);

  ASSERT_EQ(def.transitions.size(), 8u);
  const TransitionDef& guarded = def.transitions[0];
  EXPECT_EQ(guarded.from, "closed");
  EXPECT_EQ(guarded.event, "open_requested");
  EXPECT_EQ(guarded.guard, "is_owner");
  EXPECT_EQ(guarded.to, "open");
  EXPECT_EQ(guarded.actions, std::vector<std::string>{"log"});
  EXPECT_EQ(guarded.pos.line, 24);
  EXPECT_EQ(guarded.pos.column, 7);
  EXPECT_FALSE(def.transitions[1].to.has_value());  // no `to`: stays
  const TransitionDef& timeout = def.transitions[3];
  EXPECT_TRUE(timeout.event.empty());
  EXPECT_EQ(timeout.after, std::chrono::milliseconds(30s));
  EXPECT_EQ(def.transitions[5].to, std::string(kTargetPrevious));
}

TEST(LifecycleLoader, LoadedDefinitionCompiles) {
  const LoadResult result = load_lifecycle_file(data_file("valid.yaml"), door_registry());
  ASSERT_TRUE(result.definition.has_value()) << listing(result.diagnostics);
  const Machine machine = Machine::compile(*result.definition, door_registry());
  EXPECT_EQ(machine.state_count(), 4u);
  EXPECT_EQ(machine.timeout_of(*machine.state_id("open")), std::chrono::milliseconds(30s));
}

TEST(LifecycleLoader, ShippedLifecycleLoadsCleanWithTheEngineRegistry) {
  const LoadResult result = load_lifecycle_file(shipped_lifecycle(), runtime::lifecycle_registry());
  ASSERT_TRUE(result.diagnostics.empty()) << listing(result.diagnostics);
  ASSERT_TRUE(result.definition.has_value());
  EXPECT_EQ(result.definition->name, "integration");
  EXPECT_EQ(result.definition->initial, "disconnected");
  EXPECT_EQ(result.definition->states.size(), 5u);
  EXPECT_EQ(result.definition->events.size(), 11u);
}

TEST(LifecycleLoader, ShippedLifecycleSaysWhatEachStateMeans) {
  const LoadResult result = load_lifecycle_file(shipped_lifecycle(), runtime::lifecycle_registry());
  ASSERT_TRUE(result.definition.has_value()) << listing(result.diagnostics);
  const Machine machine = Machine::compile(*result.definition, runtime::lifecycle_registry());
  // For each state: live, holds_events, awaiting_authorization, keeps_credentials.
  const std::map<std::string, std::array<bool, 4>> expected{
      {"disconnected", {false, false, false, false}},
      {"authorizing", {false, false, true, false}},
      {"partial-scopes", {true, false, false, true}},
      {"connected", {true, false, false, true}},
      {"paused", {false, true, false, true}}};
  const std::array kOrder{Meaning::live, Meaning::holds_events, Meaning::awaiting_authorization,
                          Meaning::keeps_credentials};
  for (const auto& [name, meanings] : expected) {
    const StateId state = machine.state_id(name).value();
    for (std::size_t i = 0; i < kOrder.size(); ++i)
      EXPECT_EQ(machine.means(state, kOrder[i]), meanings[i])
          << name << " / " << info_of(kOrder[i]).name;
  }
  const CardLook& disconnected = machine.card(*machine.state_id("disconnected"));
  EXPECT_EQ(disconnected.status, "Disconnected");
  EXPECT_EQ(disconnected.dot_for(false), Dot::grey);
  EXPECT_EQ(disconnected.dot_for(true), Dot::red);
  EXPECT_EQ(machine.card(*machine.state_id("partial-scopes")).status, "Partially connected");
}

TEST(LifecycleLoader, RenamedCopyOfTheShippedLifecycleLoadsWithTheSameMeanings) {
  const LoadResult shipped =
      load_lifecycle_file(shipped_lifecycle(), runtime::lifecycle_registry());
  const LoadResult renamed =
      load_lifecycle_file(data_file("renamed-states.yaml"), runtime::lifecycle_registry());
  ASSERT_TRUE(shipped.definition && renamed.definition) << listing(renamed.diagnostics);
  ASSERT_EQ(renamed.definition->states.size(), shipped.definition->states.size());
  for (std::size_t i = 0; i < shipped.definition->states.size(); ++i) {
    const StateDef& before = shipped.definition->states[i];
    const StateDef& after = renamed.definition->states[i];
    EXPECT_NE(after.name, before.name) << "every state is renamed";
    for (const MeaningInfo& meaning : kMeanings)
      EXPECT_EQ(after.means.has(meaning.meaning), before.means.has(meaning.meaning)) << after.name;
    ASSERT_TRUE(after.card && before.card);
    EXPECT_EQ(after.card->status, before.card->status);
  }
}

TEST(LifecycleLoader, WhatTheHostRequiresIsChecked) {
  // The engine needs a live state, a state awaiting authorization, and a card for every state.
  Registry registry = door_registry();
  registry.require_meaning(Meaning::live);
  registry.require_meaning(Meaning::awaiting_authorization);
  registry.require_cards();
  const LoadResult result = load_lifecycle_file(data_file("unmet_requirements.yaml"), registry);
  EXPECT_FALSE(result.definition.has_value());
  ASSERT_EQ(result.diagnostics.size(), 3u) << listing(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].line, 6);
  EXPECT_THAT(result.diagnostics[0].message,
              HasSubstr("no state means 'live' (flows run, actions are sent"));
  EXPECT_EQ(result.diagnostics[1].line, 6);
  EXPECT_THAT(result.diagnostics[1].message, HasSubstr("no state means 'awaiting_authorization'"));
  EXPECT_EQ(result.diagnostics[2].to_string(),
            data_file("unmet_requirements.yaml") +
                ":8:5: error: state 'open' has no 'card': say how the integration card shows it, "
                "e.g. card: { status: \"Connected\", dot: green }");

  // Without those requirements (a door is not an integration) the same file loads.
  EXPECT_TRUE(load_lifecycle_file(data_file("unmet_requirements.yaml"), door_registry())
                  .diagnostics.empty());
}

TEST(LifecycleLoader, AMisspeltMeaningIsNotAlsoReportedAsMissing) {
  Registry registry = door_registry();
  registry.require_meaning(Meaning::live);
  const LoadResult result = load_lifecycle_file(data_file("unknown_meaning.yaml"), registry);
  for (const Diagnostic& d : result.diagnostics)
    EXPECT_THAT(d.message, ::testing::Not(HasSubstr("no state means"))) << d.to_string();
}

TEST(LifecycleLoader, EmbeddedCopyOfTheShippedLifecycleLoadsClean) {
  const auto text = resources::find("flows/lifecycle/integration.yaml");
  ASSERT_TRUE(text.has_value());
  const LoadResult result =
      load_lifecycle("integration.yaml", *text, runtime::lifecycle_registry());
  EXPECT_TRUE(result.diagnostics.empty()) << listing(result.diagnostics);
}

TEST(LifecycleLoader, UnknownNamesAreRefusedWhenTheRegistryLacksThem) {
  // The shipped file against an empty registry: every guard and action is unknown.
  const LoadResult result = load_lifecycle_file(shipped_lifecycle(), Registry{});
  EXPECT_FALSE(result.definition.has_value());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_THAT(result.diagnostics.front().message, HasSubstr("unknown action"));
}

TEST(LifecycleLoader, UnreadableFileIsOneDiagnosticAtTheWholeFile) {
  const LoadResult result = load_lifecycle_file(data_file("no_such_file.yaml"), door_registry());
  EXPECT_FALSE(result.definition.has_value());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            data_file("no_such_file.yaml") + ":0:0: error: cannot read file");
}

TEST(LifecycleLoader, DirectoryIsNotReadableAsAFile) {
  const LoadResult result = load_lifecycle_file(SPARKS_TEST_DATA_DIR, door_registry());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message, "cannot read file");
}

TEST(LifecycleLoader, EmptyTextIsRefusedAtTheWholeFile) {
  const LoadResult result = load_lifecycle("empty.yaml", "", door_registry());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 0);
  EXPECT_THAT(result.diagnostics[0].message, HasSubstr("must be a mapping, not empty"));
}

TEST(LifecycleLoader, TooLongDurationIsRefused) {
  const LoadResult result = load_lifecycle("long.yaml",
                                           "lifecycle:\n"
                                           "  name: door\n"
                                           "  version: 1\n"
                                           "  initial: closed\n"
                                           "  states:\n"
                                           "    closed:\n"
                                           "  transitions:\n"
                                           "    - { from: closed, after: 99999999999999999999d }\n",
                                           door_registry());
  ASSERT_EQ(result.diagnostics.size(), 1u) << listing(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].line, 8);
  EXPECT_EQ(result.diagnostics[0].column, 30);
  EXPECT_THAT(result.diagnostics[0].message, HasSubstr("is too long"));
}

// ---------------------------------------------------------------------------------------------
// Durations

TEST(ParseDuration, AcceptsAWholeNumberAndAUnit) {
  EXPECT_EQ(parse_duration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), std::chrono::milliseconds(30'000));
  EXPECT_EQ(parse_duration("10m"), std::chrono::milliseconds(600'000));
  EXPECT_EQ(parse_duration("2h"), std::chrono::milliseconds(7'200'000));
  EXPECT_EQ(parse_duration("1d"), std::chrono::milliseconds(86'400'000));
  EXPECT_EQ(parse_duration("0s"), std::chrono::milliseconds(0));
  EXPECT_EQ(parse_duration("007m"), std::chrono::milliseconds(420'000));
}

TEST(ParseDuration, RefusesAnythingElse) {
  for (const char* text : {"", "10", "ms", "10x", "10M", "-5s", "+5s", "1.5h", " 10m", "10m ",
                           "10 m", "1h30m", "99999999999999999999d", "9223372036854775807d"}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << "'" << text << "'";
  }
}

// ---------------------------------------------------------------------------------------------
// `sparks check`: the kind of a file is told by its top-level key.

TEST(CheckFile, LifecycleIsRecognisedByItsTopLevelKey) {
  const check::CheckResult result = check::check_file(shipped_lifecycle());
  EXPECT_TRUE(result.ok()) << listing(result.diagnostics);
  EXPECT_EQ(result.kind, "lifecycle");
}

TEST(CheckFile, LifecycleProblemsComeFromTheLoader) {
  // check_file uses the engine's registry, which knows none of the door's names.
  const check::CheckResult result = check::check_file(data_file("unknown_to.yaml"));
  EXPECT_EQ(result.kind, "lifecycle");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(listing(result.diagnostics), HasSubstr(":12:37: error: unknown state 'ajar'"));
}

TEST(CheckFile, UnknownTopLevelKeyIsReportedAtTheKey) {
  const check::CheckResult result = check::check_file(data_file("not_a_lifecycle.yaml"));
  EXPECT_EQ(result.kind, "");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 2);
  EXPECT_EQ(result.diagnostics[0].column, 1);
  EXPECT_EQ(result.diagnostics[0].message,
            "unknown kind of file: top-level key 'workflow' (known: 'flow:', 'lifecycle:', "
            "'plugin:', 'sparks:')");
}

TEST(CheckFile, EmptyFileIsReportedAtItsStart) {
  const check::CheckResult result = check::check_text("empty.yaml", "# nothing here\n");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "empty.yaml:1:1: error: expected a top-level key telling the kind of file "
            "('flow:', 'lifecycle:', 'plugin:', 'sparks:')");
}

TEST(CheckFile, SyntaxErrorIsReportedBeforeTheKindIsKnown) {
  const check::CheckResult result = check::check_file(data_file("syntax_error.yaml"));
  EXPECT_EQ(result.kind, "");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].line, 5);
}

TEST(CheckFile, MissingFileIsOneDiagnostic) {
  const check::CheckResult result = check::check_file(data_file("no_such_file.yaml"));
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            data_file("no_such_file.yaml") + ":0:0: error: cannot read file");
}

}  // namespace
}  // namespace sparks::lifecycle

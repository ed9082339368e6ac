#pragma once
// A lifecycle definition compiled into flat tables: firing an event is an index lookup
// (state × event → a short run of candidate rows), guards and actions are function pointers.
// The compiled Machine is immutable and shared; each integration owns only an Instance (3 bytes).
// Beside the tables, each state keeps what it means to the engine and how the card shows it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/definition.hpp"
#include "lifecycle/meaning.hpp"
#include "lifecycle/registry.hpp"

namespace sparks::lifecycle {

// The live part of one integration's machine: its state, and the way back for `to: previous`.
// `previous` is the state the current one was entered from; `before_previous` is the one *that*
// was entered from, so that returning restores the way back of the state returned to
// (paused → authorizing → refused → paused still returns to connected on recovery).
struct Instance {
  StateId state;
  StateId previous;
  StateId before_previous;
};

struct FireResult {
  bool handled = false;  // false: no row for this state and event, or every guard said no
  StateId from = 0;
  StateId to = 0;
  bool entered = false;  // the row left and (re-)entered a state: exit and entry actions ran
  bool changed_state() const { return from != to; }
};

class Machine {
 public:
  // `definition` must have passed the loader's checks; names it uses must be in `registry`.
  static Machine compile(const Definition& definition, const Registry& registry);

  Instance start() const { return {initial_, initial_, initial_}; }

  // Runs the first row whose guard holds: exit actions of the source, the row's `do`, entry actions
  // of the target (exit and entry are skipped for a row without `to`). Not thread-safe per
  // Instance; the engine calls it on the integration's workspace strand.
  FireResult fire(Instance& instance, EventId event, void* context) const;

  // Time-outs (`after:`) arrive as this event, fired by the engine's timers.
  EventId timeout_event() const { return static_cast<EventId>(event_names_.size()); }
  std::optional<std::chrono::milliseconds> timeout_of(StateId state) const;

  // What a state means to the engine, and how the integration card shows it: the engine asks
  // these, never a state's name. A state without `card:` shows its name on a grey dot.
  bool means(StateId state, Meaning meaning) const { return meanings_.at(state).has(meaning); }
  const CardLook& card(StateId state) const { return cards_.at(state); }

  std::optional<StateId> state_id(std::string_view name) const;
  std::optional<EventId> event_id(std::string_view name) const;  // also "after" for time-outs
  std::string_view state_name(StateId id) const { return state_names_.at(id); }
  std::string_view event_name(EventId id) const;
  std::size_t state_count() const { return state_names_.size(); }
  std::size_t event_count() const { return event_names_.size(); }  // without the time-out event
  StateId initial() const { return initial_; }
  const std::string& name() const { return name_; }

 private:
  // Targets that are not states.
  static constexpr StateId kPrevious = 0xFF;
  static constexpr StateId kStay = 0xFE;

  struct Range {
    std::uint16_t begin = 0;
    std::uint16_t count = 0;
  };
  struct Candidate {
    GuardFn guard;  // nullptr: unguarded
    StateId target;
    // Everything the row runs, flattened at compile time into one run of actions_: for a row that
    // stays, its `do`; for a fixed target, exit(from) + do + entry(target); for `previous`,
    // exit(from) + do (the entry depends on where it returns to and runs separately).
    Range actions;
  };
  struct StateInfo {
    Range entry;  // into actions_
    Range exit;
    std::optional<std::chrono::milliseconds> timeout;
  };

  void run(Range range, const Firing& firing) const {
    const ActionFn* action = actions_.data() + range.begin;
    for (const ActionFn* end = action + range.count; action != end; ++action) (*action)(firing);
  }
  Range append_actions(const std::vector<std::string>& names, const Registry& registry);
  void append_copy(Range range);  // appends a copy of actions already in actions_

  std::string name_;
  StateId initial_ = 0;
  std::size_t columns_ = 0;   // events + 1 (the time-out event)
  std::vector<Range> slots_;  // [state * columns_ + event] → candidates_
  std::vector<Candidate> candidates_;
  std::vector<ActionFn> actions_;
  std::vector<StateInfo> states_;
  // Apart from states_, which `fire` reads: these are for the engine's questions only.
  std::vector<Meanings> meanings_;
  std::vector<CardLook> cards_;
  std::vector<std::string> state_names_;
  std::vector<std::string> event_names_;
};

}  // namespace sparks::lifecycle

#pragma once
// A lifecycle definition compiled into flat tables: firing an event is an index lookup
// (state × event → a short run of candidate rows), guards are function pointers, and a row's
// actions a run of action numbers handed to the host in one call (Registry::add_actions) or, for a
// registry of per-action functions, called one by one.
// The compiled Machine is immutable and shared; each integration owns only an Instance (4 bytes).
// Beside the tables, each state keeps what it means to the engine and how the card shows it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
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
// Four bytes, aligned as one word, and written as one: a reader of the whole Instance right after
// an event (the next event, a copy) loads what one store left, never three stores' bytes stitched
// together, which stalls the load for as long as the rest of the event takes.
struct alignas(4) Instance {
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
  // Instance; the engine calls it on the integration's workspace strand. Defined below, inline:
  // it is the hot path, and a caller that ignores the result does not pay for building it.
  [[gnu::always_inline]] FireResult fire(Instance& instance, EventId event, void* context) const;

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
  static constexpr std::uint16_t kUnhandled = 0xFFFF;  // a cell without rows

  // One transition row, 16 bytes; a (state, event) cell is its rows back to back in rows_, tried
  // in the order of the file.
  struct Row {
    GuardFn guard;  // nullptr: unguarded
    StateId target;
    bool last;  // no alternative follows: this guard failing leaves the event unhandled
    // Everything the row runs, flattened at compile time into one run of action_ids_: for a row
    // that stays, its `do`; for a fixed target, exit(from) + do + entry(target); for `previous`,
    // exit(from) + do (the entry depends on where it returns to and runs from entries_).
    std::uint8_t action_count;
    std::uint16_t actions;
  };
  struct Entry {
    std::uint16_t actions = 0;  // into action_ids_
    std::uint8_t action_count = 0;
  };

  // The whole word at once, padding included: one store (see Instance).
  static void store(Instance& instance, const Instance& value) {
    std::memcpy(&instance, &value, sizeof instance);
  }
  // One call into the host for all of a transition's actions when it runs them itself
  // (Registry::add_actions), else one call per action.
  void run(std::uint16_t begin, std::uint8_t count, const Firing& firing) const {
    if (count == 0) return;
    const ActionId* id = action_ids_.data() + begin;
    if (run_actions_) [[likely]] {
      run_actions_({id, count}, firing);
      return;
    }
    for (const ActionId* end = id + count; id != end; ++id) action_fns_[*id](firing);
  }
  std::vector<ActionId> resolve_actions(const std::vector<std::string>& names,
                                        const Registry& registry);
  std::uint16_t append_actions(const std::vector<ActionId>& ids);
  void append_row(const TransitionDef& row, StateId from, bool last, const Registry& registry);

  std::string name_;
  StateId initial_ = 0;
  std::uint8_t columns_ = 0;          // events + 1 (the time-out event)
  std::vector<std::uint16_t> cells_;  // [state * columns_ + event] → rows_, or kUnhandled
  std::vector<Row> rows_;
  std::vector<ActionId> action_ids_;
  std::vector<Entry> entries_;          // each state's entry actions, for `to: previous`
  RunActionsFn run_actions_ = nullptr;  // the host's, when it runs its actions itself
  std::vector<ActionFn> action_fns_;    // else: ActionId → the action, numbered at compile
  // Per state, for compiling rows and for the engine's questions; `fire` does not read these.
  std::vector<std::vector<ActionId>> entry_actions_;
  std::vector<std::vector<ActionId>> exit_actions_;
  std::vector<std::optional<std::chrono::milliseconds>> timeouts_;
  std::vector<Meanings> meanings_;
  std::vector<CardLook> cards_;
  std::vector<std::string> state_names_;
  std::vector<std::string> event_names_;
};

[[gnu::always_inline]] inline FireResult Machine::fire(Instance& instance, EventId event,
                                                       void* context) const {
  const StateId from = instance.state;
  const std::uint16_t cell = cells_[std::size_t(from) * columns_ + event];
  if (cell == kUnhandled) return {false, from, from, false};
  for (const Row* row = rows_.data() + cell;; ++row) {
    const StateId to = row->target == kStay       ? from
                       : row->target == kPrevious ? instance.previous
                                                  : row->target;
    const Firing firing{event, from, to, context};
    if (row->guard && !row->guard(firing)) {
      if (row->last) return {false, from, from, false};
      continue;
    }
    run(row->actions, row->action_count, firing);
    if (row->target == kStay) return {true, from, to, false};
    if (row->target == kPrevious) {
      // Returning: that state's own way back.
      store(instance, {to, instance.before_previous, instance.before_previous});
      const Entry entry = entries_[to];
      run(entry.actions, entry.action_count, firing);
      return {true, from, to, true};
    }
    // Moving on pushes the way back one level; re-entering the same state leaves it as it is.
    if (to != from) store(instance, {to, from, instance.previous});
    return {true, from, to, true};
  }
}

}  // namespace sparks::lifecycle

#include "lifecycle/machine.hpp"

#include <stdexcept>

namespace sparks::lifecycle {

namespace {
constexpr std::string_view kTimeoutEventName = "after";
}

Machine::Range Machine::append_actions(const std::vector<std::string>& names,
                                       const Registry& registry) {
  Range range{static_cast<std::uint16_t>(actions_.size()),
              static_cast<std::uint16_t>(names.size())};
  for (const auto& name : names) {
    ActionFn fn = registry.action(name);
    if (!fn) throw std::logic_error("lifecycle: unknown action '" + name + "' reached compile");
    actions_.push_back(fn);
  }
  return range;
}

void Machine::append_copy(Range range) {
  for (std::uint16_t i = 0; i < range.count; ++i) actions_.push_back(actions_[range.begin + i]);
}

Machine Machine::compile(const Definition& definition, const Registry& registry) {
  Machine m;
  m.name_ = definition.name;
  if (definition.states.size() >= kStay || definition.events.size() >= 0xFF)
    throw std::logic_error("lifecycle: too many states or events to compile");

  for (const auto& state : definition.states) m.state_names_.push_back(state.name);
  for (const auto& event : definition.events) m.event_names_.push_back(event.name);
  m.initial_ = *m.state_id(definition.initial);
  m.columns_ = m.event_names_.size() + 1;

  for (const auto& state : definition.states) {
    StateInfo info;
    info.entry = m.append_actions(state.entry, registry);
    info.exit = m.append_actions(state.exit, registry);
    m.states_.push_back(info);
    m.meanings_.push_back(state.means);
    m.cards_.push_back(state.card.value_or(CardLook{state.name, Dot::grey, std::nullopt}));
  }

  // Group rows by (state, event) keeping their order in the file: alternatives are tried top down.
  std::vector<std::vector<const TransitionDef*>> grouped(m.state_names_.size() * m.columns_);
  for (const auto& row : definition.transitions) {
    const StateId from = *m.state_id(row.from);
    EventId event = m.timeout_event();
    if (row.after) {
      m.states_[from].timeout = *row.after;
    } else {
      event = *m.event_id(row.event);
    }
    grouped[from * m.columns_ + event].push_back(&row);
  }

  m.slots_.resize(grouped.size());
  for (std::size_t slot = 0; slot < grouped.size(); ++slot) {
    m.slots_[slot].begin = static_cast<std::uint16_t>(m.candidates_.size());
    m.slots_[slot].count = static_cast<std::uint16_t>(grouped[slot].size());
    for (const TransitionDef* row : grouped[slot]) {
      Candidate c;
      c.guard = row->guard.empty() ? nullptr : registry.guard(row->guard);
      if (!row->guard.empty() && !c.guard)
        throw std::logic_error("lifecycle: unknown guard '" + row->guard + "' reached compile");
      if (!row->to) {
        c.target = kStay;
      } else if (*row->to == kTargetPrevious) {
        c.target = kPrevious;
      } else {
        c.target = *m.state_id(*row->to);
      }
      // One run per row: exit of the source, the row's `do`, entry of a fixed target.
      const StateId from = static_cast<StateId>(slot / m.columns_);
      const std::size_t begin = m.actions_.size();
      if (c.target != kStay) m.append_copy(m.states_[from].exit);
      m.append_actions(row->actions, registry);
      if (c.target != kStay && c.target != kPrevious) m.append_copy(m.states_[c.target].entry);
      c.actions = {static_cast<std::uint16_t>(begin),
                   static_cast<std::uint16_t>(m.actions_.size() - begin)};
      m.candidates_.push_back(c);
    }
  }
  return m;
}

FireResult Machine::fire(Instance& instance, EventId event, void* context) const {
  const StateId from = instance.state;
  const Range slot = slots_[from * columns_ + event];
  const Candidate* c = candidates_.data() + slot.begin;
  for (const Candidate* end = c + slot.count; c != end; ++c) {
    const StateId to = c->target == kStay       ? from
                       : c->target == kPrevious ? instance.previous
                                                : c->target;
    const Firing firing{event, from, to, context};
    if (c->guard && !c->guard(firing)) continue;
    run(c->actions, firing);
    if (c->target == kStay) return {true, from, to, false};
    if (c->target == kPrevious) {
      instance.previous = instance.before_previous;  // returning: that state's own way back
    } else if (to != from) {
      // Re-entering the same state keeps the way back; moving on pushes it one level.
      instance.before_previous = instance.previous;
      instance.previous = from;
    }
    instance.state = to;
    if (c->target == kPrevious) run(states_[to].entry, firing);
    return {true, from, to, true};
  }
  return {false, from, from, false};
}

std::optional<std::chrono::milliseconds> Machine::timeout_of(StateId state) const {
  return states_.at(state).timeout;
}

std::optional<StateId> Machine::state_id(std::string_view name) const {
  for (std::size_t i = 0; i < state_names_.size(); ++i)
    if (state_names_[i] == name) return static_cast<StateId>(i);
  return std::nullopt;
}

std::optional<EventId> Machine::event_id(std::string_view name) const {
  if (name == kTimeoutEventName) return timeout_event();
  for (std::size_t i = 0; i < event_names_.size(); ++i)
    if (event_names_[i] == name) return static_cast<EventId>(i);
  return std::nullopt;
}

std::string_view Machine::event_name(EventId id) const {
  return id == timeout_event() ? kTimeoutEventName : std::string_view(event_names_.at(id));
}

}  // namespace sparks::lifecycle

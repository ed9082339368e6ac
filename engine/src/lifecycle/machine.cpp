#include "lifecycle/machine.hpp"

#include <algorithm>
#include <stdexcept>

namespace sparks::lifecycle {

namespace {
constexpr std::string_view kTimeoutEventName = "after";
}

// An action's number: the host's (Registry::add_actions), or one the machine gives it here.
std::vector<ActionId> Machine::resolve_actions(const std::vector<std::string>& names,
                                               const Registry& registry) {
  std::vector<ActionId> ids;
  for (const auto& name : names) {
    if (run_actions_) {
      const auto id = registry.action_id(name);
      if (!id) throw std::logic_error("lifecycle: unknown action '" + name + "' reached compile");
      ids.push_back(*id);
      continue;
    }
    ActionFn fn = registry.action(name);
    if (!fn) throw std::logic_error("lifecycle: unknown action '" + name + "' reached compile");
    auto known = std::find(action_fns_.begin(), action_fns_.end(), fn);
    if (known == action_fns_.end()) {
      if (action_fns_.size() > 0xFF) throw std::logic_error("lifecycle: too many actions");
      known = action_fns_.insert(action_fns_.end(), fn);
    }
    ids.push_back(static_cast<ActionId>(known - action_fns_.begin()));
  }
  return ids;
}

std::uint16_t Machine::append_actions(const std::vector<ActionId>& ids) {
  if (ids.size() > 0xFF || action_ids_.size() + ids.size() >= kUnhandled)
    throw std::logic_error("lifecycle: too many actions to compile");
  const auto begin = static_cast<std::uint16_t>(action_ids_.size());
  action_ids_.insert(action_ids_.end(), ids.begin(), ids.end());
  return begin;
}

// One row: its guard and target, and its run of actions: exit of the source, the row's `do`, entry
// of a fixed target.
void Machine::append_row(const TransitionDef& row, StateId from, bool last,
                         const Registry& registry) {
  Row out{};
  if (!row.guard.empty()) {
    out.guard = registry.guard(row.guard);
    if (!out.guard)
      throw std::logic_error("lifecycle: unknown guard '" + row.guard + "' reached compile");
  }
  if (!row.to) {
    out.target = kStay;
  } else if (*row.to == kTargetPrevious) {
    out.target = kPrevious;
  } else {
    out.target = *state_id(*row.to);
  }
  out.last = last;
  std::vector<ActionId> ids;
  if (out.target != kStay) ids = exit_actions_[from];
  const std::vector<ActionId> own = resolve_actions(row.actions, registry);
  ids.insert(ids.end(), own.begin(), own.end());
  if (out.target != kStay && out.target != kPrevious)
    ids.insert(ids.end(), entry_actions_[out.target].begin(), entry_actions_[out.target].end());
  out.actions = append_actions(ids);
  out.action_count = static_cast<std::uint8_t>(ids.size());
  rows_.push_back(out);
}

Machine Machine::compile(const Definition& definition, const Registry& registry) {
  Machine m;
  m.name_ = definition.name;
  m.run_actions_ = registry.run_actions();
  if (definition.states.size() >= kStay || definition.events.size() >= 0xFF)
    throw std::logic_error("lifecycle: too many states or events to compile");

  for (const auto& state : definition.states) m.state_names_.push_back(state.name);
  for (const auto& event : definition.events) m.event_names_.push_back(event.name);
  m.initial_ = *m.state_id(definition.initial);
  m.columns_ = static_cast<std::uint8_t>(m.event_names_.size() + 1);

  for (const auto& state : definition.states) {
    m.entry_actions_.push_back(m.resolve_actions(state.entry, registry));
    m.exit_actions_.push_back(m.resolve_actions(state.exit, registry));
    m.timeouts_.emplace_back();
    m.meanings_.push_back(state.means);
    m.cards_.push_back(state.card.value_or(CardLook{state.name, Dot::grey, std::nullopt}));
  }

  // Group rows by (state, event) keeping their order in the file: alternatives are tried top down.
  std::vector<std::vector<const TransitionDef*>> grouped(m.state_names_.size() * m.columns_);
  for (const auto& row : definition.transitions) {
    const StateId from = *m.state_id(row.from);
    EventId event = m.timeout_event();
    if (row.after) {
      m.timeouts_[from] = *row.after;
    } else {
      event = *m.event_id(row.event);
    }
    grouped[from * m.columns_ + event].push_back(&row);
  }

  m.cells_.assign(grouped.size(), kUnhandled);
  for (std::size_t cell = 0; cell < grouped.size(); ++cell) {
    if (grouped[cell].empty()) continue;
    if (m.rows_.size() + grouped[cell].size() >= kUnhandled)
      throw std::logic_error("lifecycle: too many transitions to compile");
    m.cells_[cell] = static_cast<std::uint16_t>(m.rows_.size());
    const auto from = static_cast<StateId>(cell / m.columns_);
    for (const TransitionDef* row : grouped[cell])
      m.append_row(*row, from, row == grouped[cell].back(), registry);
  }
  // The entry actions `to: previous` runs once it knows where it returned to.
  for (const auto& entry : m.entry_actions_)
    m.entries_.push_back({m.append_actions(entry), static_cast<std::uint8_t>(entry.size())});
  return m;
}

std::optional<std::chrono::milliseconds> Machine::timeout_of(StateId state) const {
  return timeouts_.at(state);
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

#pragma once
// Guards and actions that lifecycle YAML may name, and what the host needs every lifecycle it runs
// to declare. The engine registers its own (runtime/), plugins and tests add theirs; the loader
// refuses a file that names one the registry does not know, or lacks what it requires.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/meaning.hpp"

namespace sparks::lifecycle {

using StateId = std::uint8_t;
using EventId = std::uint8_t;

// What a guard or action sees when it runs. `context` is whatever the caller of Machine::fire
// passed (the engine passes the integration being moved and the transaction collecting its
// effects).
struct Firing {
  EventId event;
  StateId from;
  StateId to;  // equal to `from` for a row that stays
  void* context;
};

// Plain function pointers, not std::function: firing a transition stays a few indirect calls.
using GuardFn = bool (*)(const Firing&);
using ActionFn = void (*)(const Firing&);

// A host may instead run its actions itself, a transition at a time: it numbers them (ActionId)
// and receives every action one transition runs, in order, in one call. The machine then makes one
// indirect call per transition rather than one per action, and the host can dispatch on the
// numbers with a switch whose cases the compiler inlines (integrations/lifecycle_bindings.cpp).
using ActionId = std::uint8_t;
using RunActionsFn = void (*)(std::span<const ActionId> actions, const Firing&);

class Registry {
 public:
  void add_guard(std::string name, GuardFn fn) { guards_[std::move(name)] = fn; }
  void add_action(std::string name, ActionFn fn) {
    if (run_actions_) throw std::logic_error("lifecycle: a registry's actions are of one kind");
    actions_[std::move(name)] = fn;
  }
  // Every action at once, run by `run`: names[i] is ActionId i. Replaces add_action.
  void add_actions(std::span<const std::string_view> names, RunActionsFn run) {
    if (!actions_.empty() || run_actions_ || names.size() > 0xFF)
      throw std::logic_error("lifecycle: a registry's actions are of one kind, added once");
    for (std::size_t i = 0; i < names.size(); ++i)
      action_ids_[std::string(names[i])] = static_cast<ActionId>(i);
    run_actions_ = run;
  }

  // nullptr when the name is unknown.
  GuardFn guard(std::string_view name) const { return find(guards_, name); }
  ActionFn action(std::string_view name) const { return find(actions_, name); }
  bool knows_action(std::string_view name) const {
    return run_actions_ ? action_ids_.contains(name) : actions_.contains(name);
  }
  // Set only for actions added with add_actions.
  RunActionsFn run_actions() const { return run_actions_; }
  std::optional<ActionId> action_id(std::string_view name) const {
    auto it = action_ids_.find(name);
    return it == action_ids_.end() ? std::nullopt : std::optional<ActionId>(it->second);
  }

  std::vector<std::string> guard_names() const { return names(guards_); }
  std::vector<std::string> action_names() const {
    return run_actions_ ? names(action_ids_) : names(actions_);
  }

  // Some state must mean `meaning` (the host cannot work without one), and, with require_cards,
  // every state must say how the integration card shows it.
  void require_meaning(Meaning meaning) { required_meanings_.push_back(meaning); }
  void require_cards() { cards_required_ = true; }
  const std::vector<Meaning>& required_meanings() const { return required_meanings_; }
  bool cards_required() const { return cards_required_; }

 private:
  template <typename Fn>
  static Fn find(const std::map<std::string, Fn, std::less<>>& map, std::string_view name) {
    auto it = map.find(name);
    return it == map.end() ? nullptr : it->second;
  }
  template <typename Fn>
  static std::vector<std::string> names(const std::map<std::string, Fn, std::less<>>& map) {
    std::vector<std::string> out;
    for (const auto& [name, fn] : map) out.push_back(name);
    return out;
  }

  std::map<std::string, GuardFn, std::less<>> guards_;
  std::map<std::string, ActionFn, std::less<>> actions_;
  std::map<std::string, ActionId, std::less<>> action_ids_;
  RunActionsFn run_actions_ = nullptr;
  std::vector<Meaning> required_meanings_;
  bool cards_required_ = false;
};

}  // namespace sparks::lifecycle

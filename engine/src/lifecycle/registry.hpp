#pragma once
// Guards and actions that lifecycle YAML may name, and what the host needs every lifecycle it runs
// to declare. The engine registers its own (runtime/), plugins and tests add theirs; the loader
// refuses a file that names one the registry does not know, or lacks what it requires.
#include <cstdint>
#include <map>
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

class Registry {
 public:
  void add_guard(std::string name, GuardFn fn) { guards_[std::move(name)] = fn; }
  void add_action(std::string name, ActionFn fn) { actions_[std::move(name)] = fn; }

  // nullptr when the name is unknown.
  GuardFn guard(std::string_view name) const { return find(guards_, name); }
  ActionFn action(std::string_view name) const { return find(actions_, name); }

  std::vector<std::string> guard_names() const { return names(guards_); }
  std::vector<std::string> action_names() const { return names(actions_); }

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
  std::vector<Meaning> required_meanings_;
  bool cards_required_ = false;
};

}  // namespace sparks::lifecycle

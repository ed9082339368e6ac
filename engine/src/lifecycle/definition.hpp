#pragma once
// The lifecycle as loaded from YAML and checked: names and source positions, nothing compiled yet.
// The loader (loader.hpp) produces it; Machine::compile (machine.hpp) turns it into flat tables.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lifecycle/meaning.hpp"

namespace sparks::lifecycle {

struct SourcePos {
  int line = 0;  // 1-based
  int column = 0;
};

// Pseudo-targets a transition row may name instead of a state.
inline constexpr std::string_view kTargetPrevious = "previous";

struct StateDef {
  std::string name;
  std::vector<std::string> entry;  // action names, run in order when the state is entered
  std::vector<std::string> exit;   // action names, run in order when the state is left
  bool final = false;              // a final state needs no way out
  Meanings means;                  // what the state means to the engine (`means:`)
  std::optional<CardLook> card;    // how the integration card shows it (`card:`)
  SourcePos pos;
};

struct EventDef {
  std::string name;
  std::string description;
  SourcePos pos;
};

struct TransitionDef {
  std::string from;
  std::string event;                               // empty for a timeout row
  std::optional<std::chrono::milliseconds> after;  // set for a timeout row (`after: 10m`)
  std::string guard;                               // empty: unguarded
  std::optional<std::string> to;                   // a state, "previous", or none (stay)
  std::vector<std::string> actions;                // `do:`, run between exit and entry
  SourcePos pos;
};

struct Definition {
  std::string file;  // where it was loaded from, for messages
  std::string name;
  int version = 1;
  std::string initial;
  std::vector<StateDef> states;
  std::vector<EventDef> events;
  std::vector<TransitionDef> transitions;
};

}  // namespace sparks::lifecycle

#include "lifecycle/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <tuple>

#include "util/read_file.hpp"
#include "util/suggestion.hpp"
#include "yaml/parse.hpp"
#include "yaml/schema.hpp"

namespace sparks::lifecycle {

namespace {

constexpr std::string_view kSchema = "schemas/lifecycle.schema.json";

// ---------------------------------------------------------------------------------------------
// Building the Definition from a document that passed the schema, keeping the positions that the
// checks below point at.

SourcePos pos_of(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

// Positions of the parts of a row; the row's own position is in TransitionDef::pos.
struct RowSource {
  SourcePos from, on, after, guard, to;
  std::vector<SourcePos> actions;
  bool timeout = false;    // an `after:` row, even when its duration could not be read
  std::string after_text;  // as written ("10m"), for messages
};

struct StateSource {
  std::vector<SourcePos> entry, exit;
  std::vector<std::pair<Meaning, SourcePos>> means;  // the known meanings, where each was written
};

// The Definition plus where each of its names was written.
struct Source {
  Definition definition;
  SourcePos lifecycle;  // the `lifecycle:` mapping, for what is missing from it
  SourcePos initial;
  bool has_initial = false;
  SourcePos states_at;              // the `states:` mapping, for what no state declares
  bool unknown_meaning = false;     // one was reported: what no state declares may be that one
  std::vector<StateSource> states;  // parallel to definition.states
  std::vector<RowSource> rows;      // parallel to definition.transitions
};

void read_actions(const YAML::Node& list, std::vector<std::string>& names,
                  std::vector<SourcePos>& positions) {
  if (!list || !list.IsSequence()) return;  // absent (an invalid node) or empty
  for (const auto& item : list) {
    names.push_back(item.Scalar());
    positions.push_back(pos_of(item.Mark()));
  }
}

// " (did you mean 'x'?)", or the whole vocabulary when no known name is close.
std::string suggestion(std::string_view name, const std::vector<std::string>& known) {
  std::string hint = did_you_mean(name, known);
  if (!hint.empty()) return hint;
  for (const std::string& candidate : known)
    hint += (hint.empty() ? "" : ", ") + ("'" + candidate + "'");
  return " (known: " + hint + ")";
}

// `means: [live, keeps_credentials]`: names from the engine's vocabulary (meaning.hpp).
void read_means(const std::string& file, const YAML::Node& list, StateDef& state,
                StateSource& where, bool& unknown, Diagnostics& out) {
  if (!list || !list.IsSequence()) return;  // absent (an invalid node) or empty
  for (const auto& item : list) {
    const SourcePos pos = pos_of(item.Mark());
    if (const auto meaning = meaning_named(item.Scalar())) {
      state.means.add(*meaning);
      where.means.emplace_back(*meaning, pos);
      continue;
    }
    unknown = true;
    out.push_back({file, pos.line, pos.column,
                   "unknown meaning '" + item.Scalar() + "' in state '" + state.name + "'" +
                       suggestion(item.Scalar(), meaning_names())});
  }
}

std::optional<Dot> read_dot(const std::string& file, const YAML::Node& value, Diagnostics& out) {
  if (const auto dot = dot_named(value.Scalar())) return dot;
  const SourcePos pos = pos_of(value.Mark());
  out.push_back(
      {file, pos.line, pos.column,
       "unknown dot colour '" + value.Scalar() + "'" + suggestion(value.Scalar(), dot_names())});
  return std::nullopt;
}

// `card: { status: "Connected", dot: green, dot_if_ever_connected: red }`.
void read_card(const std::string& file, const YAML::Node& card, StateDef& state, Diagnostics& out) {
  if (!card || !card.IsMap()) return;  // absent (an invalid node)
  CardLook look;
  look.status = card["status"].Scalar();
  if (const auto dot = read_dot(file, card["dot"], out)) look.dot = *dot;
  if (const YAML::Node ever = card["dot_if_ever_connected"])
    look.dot_if_ever_connected = read_dot(file, ever, out);
  state.card = std::move(look);
}

void read_states(const std::string& file, const YAML::Node& states, Source& source,
                 Diagnostics& out) {
  source.states_at = pos_of(states.Mark());
  for (const auto& entry : states) {
    StateDef state;
    StateSource where;
    state.name = entry.first.Scalar();
    state.pos = pos_of(entry.first.Mark());
    const YAML::Node& body = entry.second;
    if (body.IsMap()) {  // `name:` with nothing after it is a state without actions
      read_means(file, body["means"], state, where, source.unknown_meaning, out);
      read_card(file, body["card"], state, out);
      read_actions(body["entry"], state.entry, where.entry);
      read_actions(body["exit"], state.exit, where.exit);
      if (const YAML::Node is_final = body["final"]) state.final = is_final.as<bool>();
    }
    source.definition.states.push_back(std::move(state));
    source.states.push_back(std::move(where));
  }
}

void read_events(const YAML::Node& events, Source& source) {
  if (!events || !events.IsMap()) return;  // absent (an invalid node) or empty
  for (const auto& entry : events) {
    EventDef event;
    event.name = entry.first.Scalar();
    event.pos = pos_of(entry.first.Mark());
    if (entry.second.IsScalar()) event.description = entry.second.Scalar();
    source.definition.events.push_back(std::move(event));
  }
}

void read_rows(const std::string& file, const YAML::Node& rows, Source& source, Diagnostics& out) {
  for (const auto& node : rows) {
    TransitionDef row;
    RowSource where;
    row.pos = pos_of(node.Mark());
    row.from = node["from"].Scalar();
    where.from = pos_of(node["from"].Mark());
    if (const YAML::Node on = node["on"]) {
      row.event = on.Scalar();
      where.on = pos_of(on.Mark());
    }
    if (const YAML::Node after = node["after"]) {
      where.after = pos_of(after.Mark());
      where.timeout = true;
      where.after_text = after.Scalar();
      row.after = parse_duration(where.after_text);
      if (!row.after) {
        out.push_back({file, where.after.line, where.after.column,
                       "duration '" + where.after_text + "' is too long"});
      }
    }
    if (const YAML::Node guard = node["guard"]) {
      row.guard = guard.Scalar();
      where.guard = pos_of(guard.Mark());
    }
    if (const YAML::Node to = node["to"]) {
      row.to = to.Scalar();
      where.to = pos_of(to.Mark());
    }
    read_actions(node["do"], row.actions, where.actions);
    source.definition.transitions.push_back(std::move(row));
    source.rows.push_back(std::move(where));
  }
}

Source build(const std::string& file, const YAML::Node& root, Diagnostics& out) {
  Source source;
  source.definition.file = file;
  const YAML::Node lifecycle = root["lifecycle"];
  source.lifecycle = pos_of(lifecycle.Mark());
  source.definition.name = lifecycle["name"].Scalar();

  const YAML::Node version = lifecycle["version"];
  const auto number = version.as<long long>(0);
  if (number < 1 || number > std::numeric_limits<int>::max()) {
    out.push_back({file, pos_of(version.Mark()).line, pos_of(version.Mark()).column,
                   "version " + version.Scalar() + " is not a whole number from 1 to " +
                       std::to_string(std::numeric_limits<int>::max())});
  } else {
    source.definition.version = static_cast<int>(number);
  }

  if (const YAML::Node initial = lifecycle["initial"]) {
    source.definition.initial = initial.Scalar();
    source.initial = pos_of(initial.Mark());
    source.has_initial = true;
  }
  read_states(file, lifecycle["states"], source, out);
  read_events(lifecycle["events"], source);
  read_rows(file, lifecycle["transitions"], source, out);
  return source;
}

// ---------------------------------------------------------------------------------------------
// The checks a schema cannot express.

class Checker {
 public:
  Checker(const Source& source, const Registry& registry, Diagnostics& out)
      : source_(source), def_(source.definition), registry_(registry), out_(out) {
    for (const StateDef& state : def_.states) state_names_.push_back(state.name);
    for (const EventDef& event : def_.events) event_names_.push_back(event.name);
    guard_names_ = registry.guard_names();
    action_names_ = registry.action_names();
  }

  void run() {
    check_initial();
    check_row_names();
    check_state_actions();
    check_reachable();
    check_way_out();
    check_events_handled();
    check_alternatives();
    check_one_timeout_per_state();
    check_meanings();
    check_required();
  }

 private:
  void report(SourcePos pos, std::string message) {
    out_.push_back({def_.file, pos.line, pos.column, std::move(message)});
  }

  bool is_state(std::string_view name) const {
    return std::find(state_names_.begin(), state_names_.end(), name) != state_names_.end();
  }
  bool is_event(std::string_view name) const {
    return std::find(event_names_.begin(), event_names_.end(), name) != event_names_.end();
  }

  void check_initial() {
    if (!source_.has_initial) {
      report(source_.lifecycle,
             "no initial state: add 'initial:' naming the state a new machine starts in");
    } else if (!is_state(def_.initial)) {
      report(source_.initial, "initial state '" + def_.initial +
                                  "' is not declared under 'states'" +
                                  did_you_mean(def_.initial, state_names_));
    }
  }

  void check_actions(const std::vector<std::string>& names, const std::vector<SourcePos>& where,
                     const std::string& context) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (registry_.knows_action(names[i])) continue;
      report(where[i],
             "unknown action '" + names[i] + "'" + context + did_you_mean(names[i], action_names_));
    }
  }

  void check_row_names() {
    for (std::size_t i = 0; i < def_.transitions.size(); ++i) {
      const TransitionDef& row = def_.transitions[i];
      const RowSource& where = source_.rows[i];
      if (!is_state(row.from)) {
        report(where.from,
               "unknown state '" + row.from + "' in 'from'" + did_you_mean(row.from, state_names_));
      }
      if (row.to && *row.to != kTargetPrevious && !is_state(*row.to)) {
        report(where.to, "unknown state '" + *row.to +
                             "' in 'to' (name a declared state, or 'previous')" +
                             did_you_mean(*row.to, state_names_));
      }
      if (!where.timeout && !is_event(row.event)) {
        report(where.on, "event '" + row.event + "' is not declared under 'events'" +
                             did_you_mean(row.event, event_names_));
      }
      if (!row.guard.empty() && !registry_.guard(row.guard)) {
        report(where.guard,
               "unknown guard '" + row.guard + "'" + did_you_mean(row.guard, guard_names_));
      }
      check_actions(row.actions, where.actions, "");
    }
  }

  void check_state_actions() {
    for (std::size_t i = 0; i < def_.states.size(); ++i) {
      const StateDef& state = def_.states[i];
      check_actions(state.entry, source_.states[i].entry,
                    " in the entry actions of state '" + state.name + "'");
      check_actions(state.exit, source_.states[i].exit,
                    " in the exit actions of state '" + state.name + "'");
    }
  }

  // `to: previous` never makes a state reachable: it returns to a state the machine was in before,
  // which must have been entered some other way (or be the initial state). So only rows that name
  // their target count.
  void check_reachable() {
    if (!is_state(def_.initial)) return;  // already reported; nothing to start from
    std::set<std::string> reached{def_.initial};
    std::queue<std::string> to_visit;
    to_visit.push(def_.initial);
    while (!to_visit.empty()) {
      const std::string state = to_visit.front();
      to_visit.pop();
      for (const TransitionDef& row : def_.transitions) {
        if (row.from != state || !row.to || !is_state(*row.to)) continue;
        if (reached.insert(*row.to).second) to_visit.push(*row.to);
      }
    }
    for (const StateDef& state : def_.states) {
      if (reached.count(state.name)) continue;
      report(state.pos, "state '" + state.name + "' is unreachable: no transition from the " +
                            "initial state '" + def_.initial + "' leads to it");
    }
  }

  void check_way_out() {
    for (const StateDef& state : def_.states) {
      if (state.final) continue;
      const bool has_row =
          std::any_of(def_.transitions.begin(), def_.transitions.end(),
                      [&](const TransitionDef& row) { return row.from == state.name; });
      if (has_row) continue;
      report(state.pos, "state '" + state.name +
                            "' has no way out: add a transition from it, or mark it 'final: true'");
    }
  }

  void check_events_handled() {
    for (const EventDef& event : def_.events) {
      const bool handled =
          std::any_of(def_.transitions.begin(), def_.transitions.end(),
                      [&](const TransitionDef& row) { return row.event == event.name; });
      if (handled) continue;
      report(event.pos, "event '" + event.name + "' is declared but no transition handles it");
    }
  }

  // How a row's trigger is named in messages: "event 'x'" or "timeout 'after 10m'".
  std::string trigger_of(std::size_t row) const {
    const TransitionDef& def = def_.transitions[row];
    if (source_.rows[row].timeout) return "timeout 'after " + source_.rows[row].after_text + "'";
    return "event '" + def.event + "'";
  }

  // Rows with the same `from` and trigger (an event, or any timeout) in file order: the
  // alternatives the machine tries top to bottom.
  std::vector<std::vector<std::size_t>> alternatives() const {
    std::map<std::pair<std::string, std::string>, std::size_t> group_of;
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < def_.transitions.size(); ++i) {
      const TransitionDef& row = def_.transitions[i];
      // A timeout row's trigger is named with a character no event name can contain.
      std::pair key{row.from, source_.rows[i].timeout ? std::string("<after>") : row.event};
      auto [it, inserted] = group_of.emplace(key, groups.size());
      if (inserted) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    return groups;
  }

  // Every row but the last needs a guard (else the ones below it never run), and the last needs
  // none (else the trigger can go unhandled when every guard says no).
  void check_alternatives() {
    for (const std::vector<std::size_t>& group : alternatives()) {
      std::optional<std::size_t> unguarded;
      for (std::size_t row : group) {
        const TransitionDef& def = def_.transitions[row];
        if (unguarded) {
          const TransitionDef& fallback = def_.transitions[*unguarded];
          report(def.pos, "row can never run: the unguarded row at line " +
                              std::to_string(fallback.pos.line) + " above already handles " +
                              trigger_of(row) + " in '" + def.from + "'");
        } else if (def.guard.empty()) {
          unguarded = row;
        }
      }
      if (!unguarded) {
        const TransitionDef& last = def_.transitions[group.back()];
        report(last.pos, trigger_of(group.back()) + " in state '" + last.from +
                             "' has guarded rows but no unguarded fallback row");
      }
    }
  }

  // A state has one deadline: all its `after:` rows must agree on how long it is.
  void check_one_timeout_per_state() {
    std::map<std::string, std::size_t> first_timeout;
    for (std::size_t i = 0; i < def_.transitions.size(); ++i) {
      const TransitionDef& row = def_.transitions[i];
      if (!row.after) continue;
      auto [it, inserted] = first_timeout.emplace(row.from, i);
      if (inserted) continue;
      const TransitionDef& first = def_.transitions[it->second];
      if (*first.after == *row.after) continue;
      report(source_.rows[i].after, "state '" + row.from + "' has timeouts of different lengths (" +
                                        source_.rows[it->second].after_text + " at line " +
                                        std::to_string(first.pos.line) + ", " +
                                        source_.rows[i].after_text +
                                        " here): a state has one timeout");
    }
  }

  // What states mean must make sense to the engine that acts on it (meaning.hpp).
  void check_meanings() {
    for (std::size_t i = 0; i < def_.states.size(); ++i) {
      const StateDef& state = def_.states[i];
      const auto& where = source_.states[i].means;
      const auto at = [&](Meaning meaning) {
        for (const auto& [m, pos] : where)
          if (m == meaning) return pos;
        return state.pos;
      };
      const std::string name = "state '" + state.name + "'";
      if (state.name == def_.initial) {
        for (const auto& [meaning, pos] : where)
          report(pos, "the initial " + name + " cannot mean '" +
                          std::string(info_of(meaning).name) +
                          "': a new integration has no connection, credentials or OAuth session");
      }
      if (state.means.has(Meaning::live) && !state.means.has(Meaning::keeps_credentials)) {
        report(at(Meaning::live), name + " is live but does not keep credentials: add " +
                                      "'keeps_credentials' (a live state sends actions with them)");
      }
      if (state.means.has(Meaning::live) && state.means.has(Meaning::holds_events)) {
        report(at(Meaning::holds_events),
               name + " cannot both be live and hold events: held events wait for a live state");
      }
    }
  }

  // What the host running this lifecycle needs from it (Registry::require_*).
  void check_required() {
    // After a misspelt meaning, the one missing is most likely that one: reported already.
    const auto required =
        source_.unknown_meaning ? std::vector<Meaning>{} : registry_.required_meanings();
    for (const Meaning meaning : required) {
      const bool declared = std::any_of(def_.states.begin(), def_.states.end(),
                                        [&](const StateDef& s) { return s.means.has(meaning); });
      if (declared) continue;
      const MeaningInfo& info = info_of(meaning);
      report(source_.states_at, "no state means '" + std::string(info.name) + "' (" +
                                    std::string(info.what) +
                                    "), and the engine needs one: add it to a state's 'means'");
    }
    if (!registry_.cards_required()) return;
    for (const StateDef& state : def_.states) {
      if (state.card) continue;
      report(state.pos, "state '" + state.name +
                            "' has no 'card': say how the integration card shows it, e.g. "
                            "card: { status: \"Connected\", dot: green }");
    }
  }

  const Source& source_;
  const Definition& def_;
  const Registry& registry_;
  Diagnostics& out_;
  std::vector<std::string> state_names_;
  std::vector<std::string> event_names_;
  std::vector<std::string> guard_names_;
  std::vector<std::string> action_names_;
};

void sort_by_position(Diagnostics& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  static constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  const std::size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string_view::npos) return std::nullopt;
  std::int64_t count = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + digits, count);
  if (error != std::errc() || end != text.data() + digits) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  for (const auto& [name, milliseconds] : kUnits) {
    if (unit != name) continue;
    if (count > std::numeric_limits<std::int64_t>::max() / milliseconds) return std::nullopt;
    return std::chrono::milliseconds(count * milliseconds);
  }
  return std::nullopt;
}

LoadResult load_lifecycle(const std::string& file_name, std::string_view text,
                          const Registry& registry) {
  LoadResult result;
  yaml::ParseResult parsed = yaml::parse(file_name, text);
  if (!parsed.diagnostics.empty()) {
    result.diagnostics = std::move(parsed.diagnostics);
    return result;
  }
  // Past the schema the document has the expected shape, which the build below relies on; a
  // document without it would only produce confusing follow-on errors, so stop here.
  result.diagnostics = yaml::validate_yaml(file_name, parsed.root, kSchema);
  if (!result.diagnostics.empty()) return result;

  Source source = build(file_name, parsed.root, result.diagnostics);
  Checker(source, registry, result.diagnostics).run();
  sort_by_position(result.diagnostics);
  if (result.diagnostics.empty()) result.definition = std::move(source.definition);
  return result;
}

LoadResult load_lifecycle_file(const std::filesystem::path& path, const Registry& registry) {
  std::optional<std::string> text = read_text_file(path);
  if (!text) {
    LoadResult result;
    result.diagnostics.push_back({path.string(), 0, 0, "cannot read file"});
    return result;
  }
  return load_lifecycle(path.string(), *text, registry);
}

}  // namespace sparks::lifecycle

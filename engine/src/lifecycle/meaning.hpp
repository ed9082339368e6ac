#pragma once
// What a lifecycle state means to the engine, and how the integration card shows it. States are
// named freely in the YAML; the engine never looks at those names, only at what each state
// declares here (`means:` and `card:`, docs/lifecycle.md). The vocabulary is fixed: the engine
// defines what it does for each meaning.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::lifecycle {

enum class Meaning : std::uint8_t {
  live,                    // flows run, actions are sent, the connection is synced and refreshed
  holds_events,            // trigger events are kept and run once live again; outbox steps wait
  awaiting_authorization,  // an OAuth callback is expected: Connect leads here, the callback lands
  keeps_credentials,       // the integration has a connection: its credentials are kept
};

struct MeaningInfo {
  Meaning meaning;
  std::string_view name;  // as written in `means:`
  std::string_view what;  // what the engine does for it, for messages
};

inline constexpr std::array<MeaningInfo, 4> kMeanings{{
    {Meaning::live, "live", "flows run, actions are sent, sync and token refresh run"},
    {Meaning::holds_events, "holds_events",
     "trigger events are kept and run when the integration is live again; outbox steps wait"},
    {Meaning::awaiting_authorization, "awaiting_authorization",
     "Connect must lead here, and only here is the platform's OAuth callback accepted"},
    {Meaning::keeps_credentials, "keeps_credentials",
     "the credentials are kept and refreshed, the card shows the granted scopes, and the account's "
     "business is what the workspace's other platform is checked against"},
}};

inline std::optional<Meaning> meaning_named(std::string_view name) {
  for (const MeaningInfo& info : kMeanings)
    if (info.name == name) return info.meaning;
  return std::nullopt;
}

inline const MeaningInfo& info_of(Meaning meaning) {
  return kMeanings[static_cast<std::size_t>(meaning)];
}

inline std::vector<std::string> meaning_names() {
  std::vector<std::string> names;
  for (const MeaningInfo& info : kMeanings) names.emplace_back(info.name);
  return names;
}

// The meanings of one state, one bit each: asking is a shift and a mask.
class Meanings {
 public:
  void add(Meaning meaning) { bits_ |= bit(meaning); }
  bool has(Meaning meaning) const { return (bits_ & bit(meaning)) != 0; }
  bool empty() const { return bits_ == 0; }

 private:
  static std::uint8_t bit(Meaning meaning) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(meaning));
  }
  std::uint8_t bits_ = 0;
};

// The integration card's dot.
enum class Dot : std::uint8_t { green, yellow, red, grey };

inline constexpr std::array<std::string_view, 4> kDotNames{"green", "yellow", "red", "grey"};

inline std::string_view name_of(Dot dot) {
  return kDotNames[static_cast<std::size_t>(dot)];
}

inline std::optional<Dot> dot_named(std::string_view name) {
  for (std::size_t i = 0; i < kDotNames.size(); ++i)
    if (kDotNames[i] == name) return static_cast<Dot>(i);
  return std::nullopt;
}

inline std::vector<std::string> dot_names() {
  return {kDotNames.begin(), kDotNames.end()};
}

// How the integration card shows a state: its status words and dot. `dot_if_ever_connected`
// replaces `dot` once the integration has been connected at least once, so that a lost
// connection (red) looks different from one never made (grey).
struct CardLook {
  std::string status;
  Dot dot = Dot::grey;
  std::optional<Dot> dot_if_ever_connected;

  Dot dot_for(bool ever_connected) const {
    return ever_connected && dot_if_ever_connected ? *dot_if_ever_connected : dot;
  }
};

}  // namespace sparks::lifecycle

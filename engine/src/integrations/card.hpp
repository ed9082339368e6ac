#pragma once
// The integration card (docs/http-api.md "A card"): what a person sees on Settings → Integrations,
// computed from an integration's stored facts. A pure function, so every rule of the help page
// (status words, dot colours, webhook health) is tested without a clock or a server.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "sparks/engine.hpp"

namespace sparks::runtime {

// How long the webhook may stay silent before the card points to troubleshooting.
inline constexpr std::chrono::minutes kWebhookPatience{10};

struct CardFacts {
  std::string platform;
  std::string state;  // a lifecycle state name
  bool ever_connected =
      false;  // distinguishes "connection lost" (red) from "never connected" (grey)
  std::optional<boost::json::object> account;  // {id, name, type, business_id}
  std::vector<std::string> granted_scopes;
  std::vector<std::string> missing_scopes;
  std::optional<Clock::time_point> connected_at;         // entered connected/partial-scopes
  std::optional<Clock::time_point> last_sync;            // last successful sync
  std::optional<Clock::time_point> last_webhook;         // last verified webhook event
  std::optional<Clock::time_point> unreported_activity;  // sync saw activity no webhook reported
  std::vector<IssueView> issues;                         // stored issues (missing_scopes, …)
};

boost::json::object make_card(const CardFacts& facts, Clock::time_point now);

// "Connected", "Partially connected", "Authorizing", "Paused", "Disconnected".
std::string_view status_text(std::string_view state);
// "green", "yellow", "grey", "red".
std::string_view dot_colour(std::string_view state, bool ever_connected);

std::string rfc3339(Clock::time_point t);  // "2026-11-24T19:41:38Z"

}  // namespace sparks::runtime

#pragma once
// The integration card (docs/http-api.md "A card"): what a person sees on Settings → Integrations,
// computed from an integration's stored facts and what the lifecycle says of its state. A pure
// function, so every rule of the help page (status words, dot colours, webhook health) is tested
// without a clock or a server.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lifecycle/machine.hpp"
#include "sparks/engine.hpp"

namespace sparks::runtime {

// How long the webhook may stay silent before the card points to troubleshooting.
inline constexpr std::chrono::minutes kWebhookPatience{10};

struct CardFacts {
  std::string platform;
  std::string platform_name;  // as people know it: "TikTok"
  std::string state;          // the lifecycle state's name, reported as it is
  lifecycle::CardLook look;   // how the lifecycle shows that state: status words, dot colours
  bool live = false;          // the state means `live`: webhook health counts from going live
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
  // A reconnect is in progress: it goes on working on its current grant meanwhile.
  bool reauthorizing = false;
};

boost::json::object make_card(const CardFacts& facts, Clock::time_point now);

// Fills the facts that come from the lifecycle: the state's name, its look, whether it is live.
void describe_state(CardFacts& facts, const lifecycle::Machine& machine, lifecycle::StateId state);

// The status words the lifecycle gives `state` ("Connected", "Partially connected", …).
std::string_view status_text(const lifecycle::Machine& machine, lifecycle::StateId state);
// "green", "yellow", "grey", "red", as the lifecycle colours `state`.
std::string_view dot_colour(const lifecycle::Machine& machine, lifecycle::StateId state,
                            bool ever_connected);

std::string rfc3339(Clock::time_point t);  // "2026-11-24T19:41:38Z"

}  // namespace sparks::runtime

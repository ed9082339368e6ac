#pragma once
// What the engine's lifecycle guards and actions see and produce. Guards read the event; actions
// only *record* effects here, and the engine writes them in the same transaction as the transition
// (so a crash never leaves a transition without its effects, or effects without their transition).
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sparks/engine.hpp"

namespace sparks::runtime {

struct IssueToRaise {
  std::string code;
  std::string message;
  std::string troubleshooting;
};

// Work for the integration's connector once the transition is durable (OAuth session, revoke,
// sync).
enum class FollowUp {
  open_oauth_session,
  close_oauth_session,
  revoke_credentials,
  store_credentials,
  schedule_sync,
  schedule_recovery,
  cancel_recovery,
};

struct Effects {
  std::vector<IssueToRaise> raise;
  std::vector<std::string> clear;  // issue codes
  bool pause_dependents = false;
  bool resume_dependents = false;
  bool clear_credentials = false;
  std::optional<std::string> refusal;
  // The workspace that holds the account an authorization was refused for (account_in_use): the
  // card names it to that workspace's owners only.
  std::optional<std::string> account_holder;
  std::vector<FollowUp> follow_ups;
};

struct TransitionContext {
  const IntegrationKey& key;
  const std::string& platform_name;  // as people know it: its plugin's display name
  const Actor& actor;
  const boost::json::object& payload;
  Effects effects;
};

}  // namespace sparks::runtime

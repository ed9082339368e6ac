#pragma once
// What the integration lifecycle stores: each integration's current state, the history of its
// transitions, its pending `after:` deadline, the issues shown on its card, and the pausing and
// resuming of the automations that depend on it.
//
// States are stored by name; mapping them to a compiled machine's ids is the runtime's job.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/scope.hpp"

namespace sparks::store {

struct IntegrationRow {
  std::string workspace_id;
  std::string platform;
  std::string state;
  std::string previous_state;
  std::string before_previous_state;
  std::optional<std::string> account_json;
  std::int64_t updated_at_ms = 0;
};

struct TransitionRow {
  std::string workspace_id;
  std::string platform;
  std::string from_state;
  std::string to_state;
  std::string event;
  std::string actor;
  std::int64_t at_ms = 0;
};

struct TimerRow {
  std::string workspace_id;
  std::string platform;
  std::string state;  // the state whose `after:` armed the deadline
  std::int64_t deadline_ms = 0;
};

struct IssueRow {
  std::string code;
  std::string message;
  std::string troubleshooting;
  std::int64_t raised_at_ms = 0;
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class LifecycleRecords {
 public:
  // The scope's integrations, ordered by workspace and platform.
  virtual std::vector<IntegrationRow> load_integrations(const Scope& scope) = 0;

  // Inserts the integration or overwrites its state, account and time.
  virtual void save_integration(const IntegrationRow& integration) = 0;

  virtual void append_transition(const TransitionRow& transition) = 0;

  // One integration's transitions, oldest first.
  virtual std::vector<TransitionRow> load_transitions(std::string_view workspace_id,
                                                      std::string_view platform) = 0;

  // Sets the integration's one pending deadline, replacing any earlier one.
  virtual void set_timer(const TimerRow& timer) = 0;

  virtual void clear_timer(std::string_view workspace_id, std::string_view platform) = 0;

  // The scope's pending deadlines, soonest first.
  virtual std::vector<TimerRow> load_timers(const Scope& scope) = 0;

  // Raises the issue, or updates the text of one already raised under the same code while keeping
  // the time it was first raised.
  virtual void raise_issue(std::string_view workspace_id, std::string_view platform,
                           const IssueRow& issue) = 0;

  virtual void clear_issue(std::string_view workspace_id, std::string_view platform,
                           std::string_view code) = 0;

  virtual void clear_issues(std::string_view workspace_id, std::string_view platform,
                            std::span<const std::string> codes) = 0;

  virtual void clear_all_issues(std::string_view workspace_id, std::string_view platform) = 0;

  // One integration's open issues, oldest first.
  virtual std::vector<IssueRow> load_issues(std::string_view workspace_id,
                                            std::string_view platform) = 0;

  // Pauses every live automation of the workspace that requires `platform`, recording `platform` as
  // the one that paused it. Drafts and already paused automations are left as they are. Returns how
  // many were paused.
  virtual int pause_dependent_automations(std::string_view workspace_id,
                                          std::string_view platform) = 0;

  // Resumes the automations that `platform` paused, and only those: never one a person paused,
  // never a draft. An automation that also requires one of `platforms_still_down` (other
  // integrations of the workspace that cannot serve it yet) stays paused, now on behalf of that
  // platform, so that its own recovery resumes it. Returns how many went live.
  virtual int resume_automations_paused_by(
      std::string_view workspace_id, std::string_view platform,
      std::span<const std::string> platforms_still_down = {}) = 0;

 protected:
  ~LifecycleRecords() = default;
};

}  // namespace sparks::store

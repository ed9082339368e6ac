#pragma once
// The SQL behind the integration lifecycle: each integration's current state, the history of its
// transitions, its pending `after:` deadline, the issues shown on its card, and the pausing and
// resuming of the automations that depend on it. Every function takes the connection to run on,
// so that it can run inside a Writer batch or on a read connection at start.
//
// States are stored by name; mapping them to a compiled machine's ids is the runtime's job.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

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

// --- integrations --------------------------------------------------------------------------------

// Every integration of every workspace, ordered by workspace and platform.
std::vector<IntegrationRow> load_integrations(SQLite::Database& db);
// Inserts the integration or overwrites its state, account and time.
void save_integration(SQLite::Database& db, const IntegrationRow& integration);

// --- transitions ---------------------------------------------------------------------------------

void append_transition(SQLite::Database& db, const TransitionRow& transition);
// One integration's transitions, oldest first.
std::vector<TransitionRow> load_transitions(SQLite::Database& db, std::string_view workspace_id,
                                            std::string_view platform);

// --- timers --------------------------------------------------------------------------------------

// Sets the integration's one pending deadline, replacing any earlier one.
void set_timer(SQLite::Database& db, const TimerRow& timer);
void clear_timer(SQLite::Database& db, std::string_view workspace_id, std::string_view platform);
// Every pending deadline, soonest first.
std::vector<TimerRow> load_timers(SQLite::Database& db);

// --- issues --------------------------------------------------------------------------------------

// Raises the issue, or updates the text of one already raised under the same code while keeping
// the time it was first raised.
void raise_issue(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                 const IssueRow& issue);
void clear_issue(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                 std::string_view code);
void clear_issues(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                  std::span<const std::string> codes);
void clear_all_issues(SQLite::Database& db, std::string_view workspace_id,
                      std::string_view platform);
// One integration's open issues, oldest first.
std::vector<IssueRow> load_issues(SQLite::Database& db, std::string_view workspace_id,
                                  std::string_view platform);

// --- dependent automations -----------------------------------------------------------------------

// Pauses every live automation of the workspace that requires `platform`, recording `platform` as
// the one that paused it. Drafts and already paused automations are left as they are. Returns how
// many were paused.
int pause_dependent_automations(SQLite::Database& db, std::string_view workspace_id,
                                std::string_view platform);

// Resumes the automations that `platform` paused, and only those: never one a person paused, never
// a draft. An automation that also requires one of `platforms_still_down` (other integrations of
// the workspace that cannot serve it yet) stays paused, now on behalf of that platform, so that
// its own recovery resumes it. Returns how many went live.
int resume_automations_paused_by(SQLite::Database& db, std::string_view workspace_id,
                                 std::string_view platform,
                                 std::span<const std::string> platforms_still_down = {});

}  // namespace sparks::store

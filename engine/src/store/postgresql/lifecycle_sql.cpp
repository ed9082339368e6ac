#include "store/automation_store.hpp"
#include "store/postgresql/records.hpp"
#include "store/postgresql/scope_sql.hpp"

namespace sparks::store::postgresql {

std::vector<IntegrationRow> Records::load_integrations(const Scope& scope) {
  Params values;
  add_scope(values, scope);
  const Result r = db_.run(
      "SELECT workspace_id, platform, state, previous_state, before_previous_state,"
      " account_json, updated_at_ms FROM integrations WHERE " +
          scope_condition(scope, 1) + " ORDER BY workspace_id, platform",
      values);
  std::vector<IntegrationRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    IntegrationRow& row = rows.emplace_back();
    row.workspace_id = r.text(i, 0);
    row.platform = r.text(i, 1);
    row.state = r.text(i, 2);
    row.previous_state = r.text(i, 3);
    row.before_previous_state = r.text(i, 4);
    row.account_json = r.optional_text(i, 5);
    row.updated_at_ms = r.int64(i, 6);
  }
  return rows;
}

void Records::save_integration(const IntegrationRow& integration) {
  db_.run_later(
      "INSERT INTO integrations (workspace_id, platform, state, previous_state,"
      " before_previous_state, account_json, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)"
      " ON CONFLICT (workspace_id, platform) DO UPDATE SET"
      " state = excluded.state, previous_state = excluded.previous_state,"
      " before_previous_state = excluded.before_previous_state,"
      " account_json = excluded.account_json, updated_at_ms = excluded.updated_at_ms",
      params(integration.workspace_id, integration.platform, integration.state,
             integration.previous_state, integration.before_previous_state,
             integration.account_json, integration.updated_at_ms));
}

void Records::append_transition(const TransitionRow& t) {
  db_.run_later(
      "INSERT INTO lifecycle_transitions (workspace_id, platform, from_state, to_state, event,"
      " actor, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      params(t.workspace_id, t.platform, t.from_state, t.to_state, t.event, t.actor, t.at_ms));
}

std::vector<TransitionRow> Records::load_transitions(std::string_view workspace_id,
                                                     std::string_view platform) {
  const Result r = db_.run(
      "SELECT from_state, to_state, event, actor, at_ms FROM lifecycle_transitions"
      " WHERE workspace_id = $1 AND platform = $2 ORDER BY id",
      params(workspace_id, platform));
  std::vector<TransitionRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    TransitionRow& row = rows.emplace_back();
    row.workspace_id = workspace_id;
    row.platform = platform;
    row.from_state = r.text(i, 0);
    row.to_state = r.text(i, 1);
    row.event = r.text(i, 2);
    row.actor = r.text(i, 3);
    row.at_ms = r.int64(i, 4);
  }
  return rows;
}

void Records::set_timer(const TimerRow& timer) {
  db_.run_later(
      "INSERT INTO lifecycle_timers (workspace_id, platform, state, deadline_ms)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, platform) DO UPDATE SET"
      " state = excluded.state, deadline_ms = excluded.deadline_ms",
      params(timer.workspace_id, timer.platform, timer.state, timer.deadline_ms));
}

void Records::clear_timer(std::string_view workspace_id, std::string_view platform) {
  db_.run_later("DELETE FROM lifecycle_timers WHERE workspace_id = $1 AND platform = $2",
                params(workspace_id, platform));
}

std::vector<TimerRow> Records::load_timers(const Scope& scope) {
  Params values;
  add_scope(values, scope);
  const Result r =
      db_.run("SELECT workspace_id, platform, state, deadline_ms FROM lifecycle_timers WHERE " +
                  scope_condition(scope, 1) + " ORDER BY deadline_ms, workspace_id, platform",
              values);
  std::vector<TimerRow> rows;
  for (int i = 0; i < r.rows(); ++i)
    rows.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.int64(i, 3)});
  return rows;
}

void Records::raise_issue(std::string_view workspace_id, std::string_view platform,
                          const IssueRow& issue) {
  db_.run_later(
      "INSERT INTO integration_issues (workspace_id, platform, code, message, troubleshooting,"
      " raised_at_ms) VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (workspace_id, platform, code) DO UPDATE SET"
      " message = excluded.message, troubleshooting = excluded.troubleshooting",
      params(workspace_id, platform, issue.code, issue.message, issue.troubleshooting,
             issue.raised_at_ms));
}

void Records::clear_issue(std::string_view workspace_id, std::string_view platform,
                          std::string_view code) {
  db_.run_later(
      "DELETE FROM integration_issues WHERE workspace_id = $1 AND platform = $2 AND code = $3",
      params(workspace_id, platform, code));
}

void Records::clear_issues(std::string_view workspace_id, std::string_view platform,
                           std::span<const std::string> codes) {
  for (const std::string& code : codes) clear_issue(workspace_id, platform, code);
}

void Records::clear_all_issues(std::string_view workspace_id, std::string_view platform) {
  db_.run_later("DELETE FROM integration_issues WHERE workspace_id = $1 AND platform = $2",
                params(workspace_id, platform));
}

std::vector<IssueRow> Records::load_issues(std::string_view workspace_id,
                                           std::string_view platform) {
  const Result r = db_.run(
      "SELECT code, message, troubleshooting, raised_at_ms FROM integration_issues"
      " WHERE workspace_id = $1 AND platform = $2 ORDER BY raised_at_ms, code",
      params(workspace_id, platform));
  std::vector<IssueRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    IssueRow& row = rows.emplace_back();
    row.code = r.text(i, 0);
    row.message = r.text(i, 1);
    row.troubleshooting = r.text(i, 2);
    row.raised_at_ms = r.int64(i, 3);
  }
  return rows;
}

int Records::pause_dependent_automations(std::string_view workspace_id, std::string_view platform) {
  // One statement for all dependents, driven by the requirements index.
  return static_cast<int>(db_.run("UPDATE automations SET status = 'paused', paused_by = $2"
                                  " WHERE workspace_id = $1 AND status = 'live' AND id IN"
                                  " (SELECT automation_id FROM automation_requirements"
                                  "  WHERE workspace_id = $1 AND platform = $2)",
                                  params(workspace_id, platform))
                              .affected());
}

int Records::resume_automations_paused_by(std::string_view workspace_id, std::string_view platform,
                                          std::span<const std::string> platforms_still_down) {
  // First hand over what cannot run yet: an automation that also needs another integration that is
  // still down becomes that integration's to resume.
  for (const std::string& other : platforms_still_down) {
    if (other == platform || other == kPausedByPerson) continue;
    db_.run_later(
        "UPDATE automations SET paused_by = $3"
        " WHERE workspace_id = $1 AND status = 'paused' AND paused_by = $2"
        " AND id IN (SELECT automation_id FROM automation_requirements"
        "  WHERE workspace_id = $1 AND platform = $3)",
        params(workspace_id, platform, other));
  }
  // `paused_by = platform` is what keeps person-paused automations and drafts out.
  return static_cast<int>(
      db_.run("UPDATE automations SET status = 'live', paused_by = NULL"
              " WHERE workspace_id = $1 AND status = 'paused' AND paused_by = $2",
              params(workspace_id, platform))
          .affected());
}

}  // namespace sparks::store::postgresql

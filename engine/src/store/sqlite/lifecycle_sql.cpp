
#include <SQLiteCpp/Statement.h>

#include "store/automation_store.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/scope_sql.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

std::vector<IntegrationRow> Records::load_integrations(const Scope& scope) {
  Prepared select(db_,
                  "SELECT workspace_id, platform, state, previous_state, before_previous_state,"
                  " account_json, updated_at_ms FROM integrations WHERE " +
                      scope_condition(scope) + " ORDER BY workspace_id, platform");
  bind_scope(select, 1, scope);
  std::vector<IntegrationRow> rows;
  while (select.executeStep()) {
    IntegrationRow& row = rows.emplace_back();
    row.workspace_id = select.getColumn(0).getString();
    row.platform = select.getColumn(1).getString();
    row.state = select.getColumn(2).getString();
    row.previous_state = select.getColumn(3).getString();
    row.before_previous_state = select.getColumn(4).getString();
    if (!select.getColumn(5).isNull()) row.account_json = select.getColumn(5).getString();
    row.updated_at_ms = select.getColumn(6).getInt64();
  }
  return rows;
}

void Records::save_integration(const IntegrationRow& integration) {
  Prepared upsert(
      db_,
      "INSERT INTO integrations (workspace_id, platform, state, previous_state,"
      " before_previous_state, account_json, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (workspace_id, platform) DO UPDATE SET"
      " state = excluded.state, previous_state = excluded.previous_state,"
      " before_previous_state = excluded.before_previous_state,"
      " account_json = excluded.account_json,"
      " updated_at_ms = excluded.updated_at_ms");
  bind_all(upsert, integration.workspace_id, integration.platform, integration.state,
           integration.previous_state, integration.before_previous_state, integration.account_json,
           integration.updated_at_ms);
  upsert.exec();
}

void Records::append_transition(const TransitionRow& transition) {
  Prepared insert(db_,
                  "INSERT INTO lifecycle_transitions (workspace_id, platform, from_state,"
                  " to_state, event, actor, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, transition.workspace_id, transition.platform, transition.from_state,
           transition.to_state, transition.event, transition.actor, transition.at_ms);
  insert.exec();
}

std::vector<TransitionRow> Records::load_transitions(std::string_view workspace_id,
                                                     std::string_view platform) {
  Prepared select(db_,
                  "SELECT from_state, to_state, event, actor, at_ms"
                  " FROM lifecycle_transitions WHERE workspace_id = ? AND platform = ?"
                  " ORDER BY id");
  bind_all(select, workspace_id, platform);
  std::vector<TransitionRow> rows;
  while (select.executeStep()) {
    TransitionRow& row = rows.emplace_back();
    row.workspace_id = workspace_id;
    row.platform = platform;
    row.from_state = select.getColumn(0).getString();
    row.to_state = select.getColumn(1).getString();
    row.event = select.getColumn(2).getString();
    row.actor = select.getColumn(3).getString();
    row.at_ms = select.getColumn(4).getInt64();
  }
  return rows;
}

void Records::set_timer(const TimerRow& timer) {
  Prepared upsert(db_,
                  "INSERT INTO lifecycle_timers (workspace_id, platform, state, deadline_ms)"
                  " VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, platform) DO UPDATE SET"
                  " state = excluded.state, deadline_ms = excluded.deadline_ms");
  bind_all(upsert, timer.workspace_id, timer.platform, timer.state, timer.deadline_ms);
  upsert.exec();
}

void Records::clear_timer(std::string_view workspace_id, std::string_view platform) {
  Prepared remove(db_, "DELETE FROM lifecycle_timers WHERE workspace_id = ? AND platform = ?");
  bind_all(remove, workspace_id, platform);
  remove.exec();
}

std::vector<TimerRow> Records::load_timers(const Scope& scope) {
  Prepared select(db_,
                  "SELECT workspace_id, platform, state, deadline_ms FROM lifecycle_timers WHERE " +
                      scope_condition(scope) + " ORDER BY deadline_ms, workspace_id, platform");
  bind_scope(select, 1, scope);
  std::vector<TimerRow> rows;
  while (select.executeStep()) {
    TimerRow& row = rows.emplace_back();
    row.workspace_id = select.getColumn(0).getString();
    row.platform = select.getColumn(1).getString();
    row.state = select.getColumn(2).getString();
    row.deadline_ms = select.getColumn(3).getInt64();
  }
  return rows;
}

void Records::raise_issue(std::string_view workspace_id, std::string_view platform,
                          const IssueRow& issue) {
  Prepared upsert(db_,
                  "INSERT INTO integration_issues (workspace_id, platform, code, message,"
                  " troubleshooting, raised_at_ms) VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (workspace_id, platform, code) DO UPDATE SET"
                  " message = excluded.message,"
                  " troubleshooting = excluded.troubleshooting");
  bind_all(upsert, workspace_id, platform, issue.code, issue.message, issue.troubleshooting,
           issue.raised_at_ms);
  upsert.exec();
}

void Records::clear_issue(std::string_view workspace_id, std::string_view platform,
                          std::string_view code) {
  Prepared remove(db_,
                  "DELETE FROM integration_issues"
                  " WHERE workspace_id = ? AND platform = ? AND code = ?");
  bind_all(remove, workspace_id, platform, code);
  remove.exec();
}

void Records::clear_issues(std::string_view workspace_id, std::string_view platform,
                           std::span<const std::string> codes) {
  Prepared remove(db_,
                  "DELETE FROM integration_issues"
                  " WHERE workspace_id = ? AND platform = ? AND code = ?");
  for (const std::string& code : codes) {
    bind_all(remove, workspace_id, platform, code);
    remove.exec();
    remove.reset();
  }
}

void Records::clear_all_issues(std::string_view workspace_id, std::string_view platform) {
  Prepared remove(db_, "DELETE FROM integration_issues WHERE workspace_id = ? AND platform = ?");
  bind_all(remove, workspace_id, platform);
  remove.exec();
}

std::vector<IssueRow> Records::load_issues(std::string_view workspace_id,
                                           std::string_view platform) {
  Prepared select(db_,
                  "SELECT code, message, troubleshooting, raised_at_ms"
                  " FROM integration_issues WHERE workspace_id = ? AND platform = ?"
                  " ORDER BY raised_at_ms, code");
  bind_all(select, workspace_id, platform);
  std::vector<IssueRow> rows;
  while (select.executeStep()) {
    IssueRow& row = rows.emplace_back();
    row.code = select.getColumn(0).getString();
    row.message = select.getColumn(1).getString();
    row.troubleshooting = select.getColumn(2).getString();
    row.raised_at_ms = select.getColumn(3).getInt64();
  }
  return rows;
}

int Records::pause_dependent_automations(std::string_view workspace_id, std::string_view platform) {
  // One statement for all dependents, driven by the requirements index: disconnecting an
  // integration that 10,000 automations need is one UPDATE, not 10,000.
  Prepared pause(db_,
                 "UPDATE automations SET status = 'paused', paused_by = ?2"
                 " WHERE workspace_id = ?1 AND status = 'live' AND id IN"
                 " (SELECT automation_id FROM automation_requirements"
                 "  WHERE workspace_id = ?1 AND platform = ?2)");
  bind_all(pause, workspace_id, platform);
  return pause.exec();
}

int Records::resume_automations_paused_by(std::string_view workspace_id, std::string_view platform,
                                          std::span<const std::string> platforms_still_down) {
  // First hand over what cannot run yet: an automation that also needs another integration that is
  // still down becomes that integration's to resume.
  Prepared hand_over(db_,
                     "UPDATE automations SET paused_by = ?3"
                     " WHERE workspace_id = ?1 AND status = 'paused' AND paused_by = ?2"
                     " AND id IN (SELECT automation_id FROM automation_requirements"
                     "  WHERE workspace_id = ?1 AND platform = ?3)");
  for (const std::string& other : platforms_still_down) {
    if (other == platform || other == kPausedByPerson) continue;
    bind_all(hand_over, workspace_id, platform, other);
    hand_over.exec();
    hand_over.reset();
  }

  // `paused_by = platform` is what keeps person-paused automations and drafts out.
  Prepared resume(db_,
                  "UPDATE automations SET status = 'live', paused_by = NULL"
                  " WHERE workspace_id = ? AND status = 'paused' AND paused_by = ?");
  bind_all(resume, workspace_id, platform);
  return resume.exec();
}

}  // namespace sparks::store::sqlite

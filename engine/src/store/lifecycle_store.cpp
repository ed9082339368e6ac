#include "store/lifecycle_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "store/automation_store.hpp"
#include "store/prepared.hpp"
#include "store/sql_binding.hpp"

namespace sparks::store {

std::vector<IntegrationRow> load_integrations(SQLite::Database& db) {
  Prepared select(db,
                  "SELECT workspace_id, platform, state, previous_state, before_previous_state,"
                  " account_json, updated_at_ms FROM integrations ORDER BY workspace_id, platform");
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

void save_integration(SQLite::Database& db, const IntegrationRow& integration) {
  Prepared upsert(
      db,
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

void append_transition(SQLite::Database& db, const TransitionRow& transition) {
  Prepared insert(db,
                  "INSERT INTO lifecycle_transitions (workspace_id, platform, from_state,"
                  " to_state, event, actor, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, transition.workspace_id, transition.platform, transition.from_state,
           transition.to_state, transition.event, transition.actor, transition.at_ms);
  insert.exec();
}

std::vector<TransitionRow> load_transitions(SQLite::Database& db, std::string_view workspace_id,
                                            std::string_view platform) {
  Prepared select(db,
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

void set_timer(SQLite::Database& db, const TimerRow& timer) {
  Prepared upsert(db,
                  "INSERT INTO lifecycle_timers (workspace_id, platform, state, deadline_ms)"
                  " VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, platform) DO UPDATE SET"
                  " state = excluded.state, deadline_ms = excluded.deadline_ms");
  bind_all(upsert, timer.workspace_id, timer.platform, timer.state, timer.deadline_ms);
  upsert.exec();
}

void clear_timer(SQLite::Database& db, std::string_view workspace_id, std::string_view platform) {
  Prepared remove(db, "DELETE FROM lifecycle_timers WHERE workspace_id = ? AND platform = ?");
  bind_all(remove, workspace_id, platform);
  remove.exec();
}

std::vector<TimerRow> load_timers(SQLite::Database& db) {
  Prepared select(db,
                  "SELECT workspace_id, platform, state, deadline_ms FROM lifecycle_timers"
                  " ORDER BY deadline_ms, workspace_id, platform");
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

void raise_issue(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                 const IssueRow& issue) {
  Prepared upsert(db,
                  "INSERT INTO integration_issues (workspace_id, platform, code, message,"
                  " troubleshooting, raised_at_ms) VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (workspace_id, platform, code) DO UPDATE SET"
                  " message = excluded.message,"
                  " troubleshooting = excluded.troubleshooting");
  bind_all(upsert, workspace_id, platform, issue.code, issue.message, issue.troubleshooting,
           issue.raised_at_ms);
  upsert.exec();
}

void clear_issue(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                 std::string_view code) {
  Prepared remove(db,
                  "DELETE FROM integration_issues"
                  " WHERE workspace_id = ? AND platform = ? AND code = ?");
  bind_all(remove, workspace_id, platform, code);
  remove.exec();
}

void clear_issues(SQLite::Database& db, std::string_view workspace_id, std::string_view platform,
                  std::span<const std::string> codes) {
  Prepared remove(db,
                  "DELETE FROM integration_issues"
                  " WHERE workspace_id = ? AND platform = ? AND code = ?");
  for (const std::string& code : codes) {
    bind_all(remove, workspace_id, platform, code);
    remove.exec();
    remove.reset();
  }
}

void clear_all_issues(SQLite::Database& db, std::string_view workspace_id,
                      std::string_view platform) {
  Prepared remove(db, "DELETE FROM integration_issues WHERE workspace_id = ? AND platform = ?");
  bind_all(remove, workspace_id, platform);
  remove.exec();
}

std::vector<IssueRow> load_issues(SQLite::Database& db, std::string_view workspace_id,
                                  std::string_view platform) {
  Prepared select(db,
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

int pause_dependent_automations(SQLite::Database& db, std::string_view workspace_id,
                                std::string_view platform) {
  // One statement for all dependents, driven by the requirements index: disconnecting an
  // integration that 10,000 automations need is one UPDATE, not 10,000.
  Prepared pause(db,
                 "UPDATE automations SET status = 'paused', paused_by = ?2"
                 " WHERE workspace_id = ?1 AND status = 'live' AND id IN"
                 " (SELECT automation_id FROM automation_requirements"
                 "  WHERE workspace_id = ?1 AND platform = ?2)");
  bind_all(pause, workspace_id, platform);
  return pause.exec();
}

int resume_automations_paused_by(SQLite::Database& db, std::string_view workspace_id,
                                 std::string_view platform,
                                 std::span<const std::string> platforms_still_down) {
  // First hand over what cannot run yet: an automation that also needs another integration that is
  // still down becomes that integration's to resume.
  Prepared hand_over(db,
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
  Prepared resume(db,
                  "UPDATE automations SET status = 'live', paused_by = NULL"
                  " WHERE workspace_id = ? AND status = 'paused' AND paused_by = ?");
  bind_all(resume, workspace_id, platform);
  return resume.exec();
}

}  // namespace sparks::store

#include "store/postgresql/records.hpp"
#include "store/postgresql/scope_sql.hpp"

namespace sparks::store::postgresql {

void Records::save_facts(const IntegrationFactsRow& f) {
  db_.run_later(
      "INSERT INTO integration_facts (workspace_id, platform, account_id, account_json,"
      " granted_scopes, missing_scopes, ever_connected, connected_at_ms, last_sync_ms,"
      " last_webhook_ms, unreported_activity_ms, token_expires_at_ms)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
      " ON CONFLICT (workspace_id, platform) DO UPDATE SET account_id = excluded.account_id,"
      " account_json = excluded.account_json, granted_scopes = excluded.granted_scopes,"
      " missing_scopes = excluded.missing_scopes, ever_connected = excluded.ever_connected,"
      " connected_at_ms = excluded.connected_at_ms, last_sync_ms = excluded.last_sync_ms,"
      " last_webhook_ms = excluded.last_webhook_ms,"
      " unreported_activity_ms = excluded.unreported_activity_ms,"
      " token_expires_at_ms = excluded.token_expires_at_ms",
      params(f.workspace_id, f.platform, f.account_id, f.account_json, f.granted_scopes,
             f.missing_scopes, f.ever_connected, f.connected_at_ms, f.last_sync_ms,
             f.last_webhook_ms, f.unreported_activity_ms, f.token_expires_at_ms));
}

std::vector<IntegrationFactsRow> Records::load_facts(const Scope& scope) {
  Params values;
  add_scope(values, scope);
  const Result r = db_.run(
      "SELECT workspace_id, platform, account_id, account_json, granted_scopes, missing_scopes,"
      " ever_connected, connected_at_ms, last_sync_ms, last_webhook_ms, unreported_activity_ms,"
      " token_expires_at_ms FROM integration_facts WHERE " +
          scope_condition(scope, 1) + " ORDER BY workspace_id, platform",
      values);
  std::vector<IntegrationFactsRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    IntegrationFactsRow f;
    f.workspace_id = r.text(i, 0);
    f.platform = r.text(i, 1);
    f.account_id = r.optional_text(i, 2);
    f.account_json = r.optional_text(i, 3);
    f.granted_scopes = r.text(i, 4);
    f.missing_scopes = r.text(i, 5);
    f.ever_connected = r.boolean(i, 6);
    f.connected_at_ms = r.optional_int(i, 7);
    f.last_sync_ms = r.optional_int(i, 8);
    f.last_webhook_ms = r.optional_int(i, 9);
    f.unreported_activity_ms = r.optional_int(i, 10);
    f.token_expires_at_ms = r.optional_int(i, 11);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<AccountNamedRow> Records::integrations_naming_account(
    std::string_view platform, std::string_view account_id, std::string_view other_than_workspace) {
  const Result r = db_.run(
      "SELECT f.workspace_id, i.state,"
      " EXISTS (SELECT 1 FROM credentials c"
      "         WHERE c.workspace_id = f.workspace_id AND c.platform = f.platform)"
      " FROM integration_facts f JOIN integrations i"
      "   ON i.workspace_id = f.workspace_id AND i.platform = f.platform"
      " WHERE f.platform = $1 AND f.account_id = $2 AND f.workspace_id <> $3"
      " ORDER BY f.workspace_id",
      params(platform, account_id, other_than_workspace));
  std::vector<AccountNamedRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.boolean(i, 2)});
  return out;
}

}  // namespace sparks::store::postgresql

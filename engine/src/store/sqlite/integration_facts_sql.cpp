
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/scope_sql.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

void Records::save_facts(const IntegrationFactsRow& f) {
  Prepared upsert(
      db_,
      "INSERT OR REPLACE INTO integration_facts (workspace_id, platform, account_id, account_json,"
      " granted_scopes, missing_scopes, ever_connected, connected_at_ms, last_sync_ms,"
      " last_webhook_ms, unreported_activity_ms, token_expires_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(upsert, f.workspace_id, f.platform, f.account_id, f.account_json, f.granted_scopes,
           f.missing_scopes, std::int64_t{f.ever_connected ? 1 : 0});
  bind_value(upsert, 8, f.connected_at_ms);
  bind_value(upsert, 9, f.last_sync_ms);
  bind_value(upsert, 10, f.last_webhook_ms);
  bind_value(upsert, 11, f.unreported_activity_ms);
  bind_value(upsert, 12, f.token_expires_at_ms);
  upsert.exec();
}

std::vector<IntegrationFactsRow> Records::load_facts(const Scope& scope) {
  Prepared select(
      db_,
      "SELECT workspace_id, platform, account_id, account_json, granted_scopes, missing_scopes,"
      " ever_connected, connected_at_ms, last_sync_ms, last_webhook_ms, unreported_activity_ms,"
      " token_expires_at_ms FROM integration_facts WHERE " +
          scope_condition(scope) + " ORDER BY workspace_id, platform");
  bind_scope(select, 1, scope);
  std::vector<IntegrationFactsRow> out;
  while (select.executeStep()) {
    IntegrationFactsRow f;
    f.workspace_id = select.getColumn(0).getString();
    f.platform = select.getColumn(1).getString();
    f.account_id = optional_text(select.getColumn(2));
    f.account_json = optional_text(select.getColumn(3));
    f.granted_scopes = select.getColumn(4).getString();
    f.missing_scopes = select.getColumn(5).getString();
    f.ever_connected = select.getColumn(6).getInt64() != 0;
    f.connected_at_ms = optional_int(select.getColumn(7));
    f.last_sync_ms = optional_int(select.getColumn(8));
    f.last_webhook_ms = optional_int(select.getColumn(9));
    f.unreported_activity_ms = optional_int(select.getColumn(10));
    f.token_expires_at_ms = optional_int(select.getColumn(11));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<AccountNamedRow> Records::integrations_naming_account(
    std::string_view platform, std::string_view account_id, std::string_view other_than_workspace) {
  Prepared select(db_,
                  "SELECT f.workspace_id, i.state,"
                  " EXISTS (SELECT 1 FROM credentials c"
                  "         WHERE c.workspace_id = f.workspace_id AND c.platform = f.platform)"
                  " FROM integration_facts f JOIN integrations i"
                  "   ON i.workspace_id = f.workspace_id AND i.platform = f.platform"
                  " WHERE f.platform = ? AND f.account_id = ? AND f.workspace_id <> ?"
                  " ORDER BY f.workspace_id");
  bind_all(select, platform, account_id, other_than_workspace);
  std::vector<AccountNamedRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   select.getColumn(2).getInt64() != 0});
  return out;
}

}  // namespace sparks::store::sqlite

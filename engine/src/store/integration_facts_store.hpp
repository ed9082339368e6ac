#pragma once
// The SQL for what an integration's card shows beyond its lifecycle state (account, scopes, sync
// and webhook times). The account id is what routes an inbound webhook to its workspace.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

struct IntegrationFactsRow {
  std::string workspace_id;
  std::string platform;
  std::optional<std::string> account_id;
  std::optional<std::string> account_json;
  std::string granted_scopes = "[]";  // JSON arrays
  std::string missing_scopes = "[]";
  bool ever_connected = false;
  std::optional<std::int64_t> connected_at_ms;
  std::optional<std::int64_t> last_sync_ms;
  std::optional<std::int64_t> last_webhook_ms;
  std::optional<std::int64_t> unreported_activity_ms;
  std::optional<std::int64_t> token_expires_at_ms;
};

void save_facts(SQLite::Database& db, const IntegrationFactsRow& facts);
std::vector<IntegrationFactsRow> load_all_facts(SQLite::Database& db);

}  // namespace sparks::store

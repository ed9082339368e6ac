#pragma once
// What an integration's card shows beyond its lifecycle state (account, scopes, sync
// and webhook times). The account id is what routes an inbound webhook to its workspace.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class IntegrationFactsRecords {
 public:
  virtual void save_facts(const IntegrationFactsRow& facts) = 0;

  virtual std::vector<IntegrationFactsRow> load_all_facts() = 0;

 protected:
  ~IntegrationFactsRecords() = default;
};

}  // namespace sparks::store

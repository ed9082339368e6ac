#pragma once
// What an integration's card shows beyond its lifecycle state (account, scopes, sync
// and webhook times). The account id is what routes an inbound webhook to its workspace.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/scope.hpp"

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

// Another workspace's integration whose facts name an account: its state (by name) and whether it
// has credentials stored, from which the runtime tells whether it holds the account.
struct AccountNamedRow {
  std::string workspace_id;
  std::string state;
  bool has_credentials = false;
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class IntegrationFactsRecords {
 public:
  virtual void save_facts(const IntegrationFactsRow& facts) = 0;

  // The facts of the scope's integrations.
  virtual std::vector<IntegrationFactsRow> load_facts(const Scope& scope) = 0;

  // The integrations of `platform` outside `other_than_workspace` whose facts name `account_id`,
  // ordered by workspace: who else connected that account (docs/lifecycle.md).
  virtual std::vector<AccountNamedRow> integrations_naming_account(
      std::string_view platform, std::string_view account_id,
      std::string_view other_than_workspace) = 0;

 protected:
  ~IntegrationFactsRecords() = default;
};

}  // namespace sparks::store

#include "integrations/account_holder.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/integration_facts_store.hpp"

namespace sparks::runtime {

Awaitable<std::optional<std::string>> claim_account(std::shared_ptr<Engine::Impl> impl,
                                                    IntegrationKey key, std::string account) {
  if (auto holder = impl->account_routes.claim(key.platform, account, key.workspace))
    co_return holder;
  // Memory is rebuilt from the store at start; the store is asked too, so that the rule does not
  // rest on what memory was told.
  auto naming = [key, account](store::Transaction& tx) {
    return tx.integrations_naming_account(key.platform, account, key.workspace);
  };
  const auto named = co_await store_batch(impl->writer, std::move(naming));
  if (named.error) {
    spdlog::warn("{}/{}: who else connected the account could not be read; memory decides",
                 key.workspace, key.platform);
    co_return std::nullopt;
  }
  for (const store::AccountNamedRow& row : named.value) {
    const auto state = impl->machine.state_id(row.state);
    const bool keeps = state && impl->machine.means(*state, lifecycle::Meaning::keeps_credentials);
    if (keeps || row.has_credentials) {
      impl->account_routes.drop_claim(key.platform, account, key.workspace);
      co_return row.workspace_id;
    }
  }
  co_return std::nullopt;
}

std::string workspace_named_for(const EngineOptions& options, const std::string& workspace,
                                const Actor& viewer) {
  const auto it = options.workspace_directory.find(workspace);
  if (it == options.workspace_directory.end() || !viewer.role) return {};
  const auto& owners = it->second.owners;
  if (std::find(owners.begin(), owners.end(), viewer.id) == owners.end()) return {};
  return it->second.name.empty() || it->second.name == workspace
             ? "workspace '" + workspace + "'"
             : "workspace '" + it->second.name + "' (" + workspace + ")";
}

}  // namespace sparks::runtime

#pragma once
// An account belongs to one workspace (docs/lifecycle.md, "One account, one workspace"): which
// other workspace holds the account an authorization brought, and who may be told its name.
#include <memory>
#include <optional>
#include <string>

#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "sparks/engine.hpp"

namespace sparks::runtime {

// The workspace other than `key.workspace` whose integration of `key.platform` holds `account`,
// as memory knows it (inbound::AccountRoutes, where an authorization being settled elsewhere right
// now counts too) or else as the store does (another integration naming the account, in a state
// that keeps credentials or with credentials stored). None: the account is claimed for
// `key.workspace` until its grant is stored or the claim is dropped (AccountRoutes::connect,
// AccountRoutes::drop_claim). Await it on `key.workspace`'s strand.
Awaitable<std::optional<std::string>> claim_account(std::shared_ptr<Engine::Impl> impl,
                                                    IntegrationKey key, std::string account);

// How `viewer` may read the name of `workspace`: "workspace 'Studio' (studio)" for an owner of it
// (EngineOptions::workspace_directory), empty for everyone else.
std::string workspace_named_for(const EngineOptions& options, const std::string& workspace,
                                const Actor& viewer);

}  // namespace sparks::runtime

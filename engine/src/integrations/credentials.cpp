// Fresh tokens, whether an authorization brought them or a refresh: sealed for the store (bound to
// their integration, so that sealed bytes cannot be opened as another integration's), kept open for
// memory, and written together with the facts they change. An authorization's grant is written in
// the batch of the transition it causes (runtime/engine.cpp); a refresh writes its own.
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <span>

#include "runtime/engine_impl.hpp"
#include "store/transaction.hpp"

namespace sparks {

namespace runtime {

void store_grant(store::Transaction& tx, const Grant& grant, std::int64_t at_ms) {
  const auto& sealed = grant.sealed_credentials;
  tx.store_credentials(
      grant.facts.workspace_id, grant.facts.platform,
      std::span(reinterpret_cast<const std::uint8_t*>(sealed.data()), sealed.size()), at_ms);
  tx.save_facts(grant.facts);
}

}  // namespace runtime

runtime::Grant Engine::Impl::seal_grant(const IntegrationKey& key, boost::json::object credentials,
                                        store::IntegrationFactsRow facts) const {
  facts.workspace_id = key.workspace;
  facts.platform = key.platform;
  if (const auto* expires = credentials.if_contains("expires_at"); expires && expires->is_int64())
    facts.token_expires_at_ms = expires->get_int64() * 1000;
  std::string sealed =
      secrets.seal(boost::json::serialize(credentials), key.workspace + "/" + key.platform);
  return {std::move(sealed), std::move(credentials), std::move(facts)};
}

}  // namespace sparks

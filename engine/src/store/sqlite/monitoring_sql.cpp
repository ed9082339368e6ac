// What monitoring reads (store/monitoring_store.hpp), in SQLite.
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/scope_sql.hpp"

namespace sparks::store::sqlite {

void Records::check_readable() {
  Prepared select(db_, "SELECT 1 FROM integrations LIMIT 1");
  select.executeStep();
}

std::vector<IntegrationStateCount> Records::count_integrations(const Scope& scope) {
  Prepared select(db_, "SELECT platform, state, count(*) FROM integrations WHERE " +
                           scope_condition(scope) +
                           " GROUP BY platform, state ORDER BY platform, state");
  bind_scope(select, 1, scope);
  std::vector<IntegrationStateCount> counts;
  while (select.executeStep())
    counts.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                      select.getColumn(2).getInt64()});
  return counts;
}

std::vector<OutboxDepth> Records::outbox_depths(std::int64_t now_ms, const Scope& scope) {
  Prepared select(db_,
                  "SELECT platform, count(*), min(CASE WHEN due_at_ms <= ?1 THEN due_at_ms END)"
                  " FROM outbox WHERE status IN ('pending', 'in_flight') AND platform <> '' AND " +
                      scope_condition(scope) + " GROUP BY platform ORDER BY platform");
  select.bind(1, now_ms);
  bind_scope(select, 2, scope);
  std::vector<OutboxDepth> depths;
  while (select.executeStep()) {
    OutboxDepth& depth = depths.emplace_back();
    depth.platform = select.getColumn(0).getString();
    depth.steps = select.getColumn(1).getInt64();
    if (!select.getColumn(2).isNull()) depth.oldest_due_ms = select.getColumn(2).getInt64();
  }
  return depths;
}

}  // namespace sparks::store::sqlite

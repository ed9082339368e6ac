// What monitoring reads (store/monitoring_store.hpp), in PostgreSQL.
#include "store/postgresql/records.hpp"
#include "store/postgresql/scope_sql.hpp"

namespace sparks::store::postgresql {

void Records::check_readable() {
  db_.run("SELECT 1 FROM integrations LIMIT 1");
}

std::vector<IntegrationStateCount> Records::count_integrations(const Scope& scope) {
  Params values;
  add_scope(values, scope);
  const Result r =
      db_.run("SELECT platform, state, count(*) FROM integrations WHERE " +
                  scope_condition(scope, 1) + " GROUP BY platform, state ORDER BY platform, state",
              values);
  std::vector<IntegrationStateCount> counts;
  for (int i = 0; i < r.rows(); ++i) counts.push_back({r.text(i, 0), r.text(i, 1), r.int64(i, 2)});
  return counts;
}

std::vector<OutboxDepth> Records::outbox_depths(std::int64_t now_ms, const Scope& scope) {
  Params values = params(now_ms);
  add_scope(values, scope);
  const Result r = db_.run(
      "SELECT platform, count(*), min(CASE WHEN due_at_ms <= $1 THEN due_at_ms END)"
      " FROM outbox WHERE status IN ('pending', 'in_flight') AND platform <> '' AND " +
          scope_condition(scope, 2) + " GROUP BY platform ORDER BY platform",
      values);
  std::vector<OutboxDepth> depths;
  for (int i = 0; i < r.rows(); ++i)
    depths.push_back({r.text(i, 0), r.int64(i, 1), r.optional_int(i, 2)});
  return depths;
}

}  // namespace sparks::store::postgresql

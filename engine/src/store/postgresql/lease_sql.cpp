// Instances and workspace leases in PostgreSQL (store/lease_store.hpp), where several instances
// share the database. Times are the database's clock. A batch that checked its lease holds the
// lease row FOR SHARE until it ends, so a takeover (an UPDATE of that row) waits for it: once the
// takeover has committed, the former holder's next check fails.
#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {
namespace {

// The database's clock in milliseconds since the Unix epoch (the time now, not the transaction's
// start: a long group must not renew a lease with a stale time).
constexpr std::string_view kNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

constexpr std::string_view kLeaseColumns = "workspace_id, owner, fence, expires_at_ms";

LeaseRow read_lease(const Result& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.int64(i, 2), r.int64(i, 3)};
}

std::vector<LeaseRow> read_leases(const Result& r) {
  std::vector<LeaseRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_lease(r, i));
  return out;
}

}  // namespace

std::int64_t Records::database_now_ms() {
  return db_.run("SELECT " + std::string(kNowMs)).int64(0, 0);
}

void Records::heartbeat(std::string_view instance_id, std::string_view url) {
  db_.run_later("INSERT INTO instances (instance_id, url, seen_at_ms) VALUES ($1, $2, " +
                    std::string(kNowMs) +
                    ") ON CONFLICT (instance_id) DO UPDATE SET url = excluded.url,"
                    " seen_at_ms = excluded.seen_at_ms",
                params(instance_id, url));
}

std::vector<InstanceRow> Records::live_instances(std::int64_t within_ms) {
  const Result r =
      db_.run("SELECT instance_id, url, seen_at_ms FROM instances WHERE seen_at_ms >= " +
                  std::string(kNowMs) + " - $1 ORDER BY instance_id",
              params(within_ms));
  std::vector<InstanceRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.int64(i, 2)});
  return out;
}

void Records::remove_instance(std::string_view instance_id) {
  db_.run_later("DELETE FROM instances WHERE instance_id = $1", params(instance_id));
}

std::vector<LeaseRow> Records::workspace_leases() {
  return read_leases(
      db_.run("SELECT w.workspace_id, COALESCE(l.owner, ''), COALESCE(l.fence, 0),"
              " COALESCE(l.expires_at_ms, 0) FROM ("
              "   SELECT workspace_id FROM integrations"
              "   UNION SELECT workspace_id FROM automations"
              "   UNION SELECT workspace_id FROM event_log WHERE handled_at_ms IS NULL"
              "   UNION SELECT workspace_id FROM workspace_leases) w"
              " LEFT JOIN workspace_leases l ON l.workspace_id = w.workspace_id"
              " ORDER BY w.workspace_id"));
}

LeaseRow Records::take_lease(std::string_view workspace_id, std::string_view owner,
                             std::int64_t ttl_ms) {
  const std::string now(kNowMs);
  // Taken when free, expired or already the owner's: one statement, so that two instances taking
  // the same lease at once queue on its row and the second sees the first's lease.
  const Result taken = db_.run(
      "INSERT INTO workspace_leases AS l (workspace_id, owner, fence, expires_at_ms)"
      " VALUES ($1, $2, 1, " +
          now +
          " + $3) ON CONFLICT (workspace_id) DO UPDATE SET"
          " fence = l.fence + CASE WHEN l.owner <> excluded.owner THEN 1 ELSE 0 END,"
          " owner = excluded.owner, expires_at_ms = excluded.expires_at_ms"
          " WHERE l.owner = excluded.owner OR l.expires_at_ms <= " +
          now + " RETURNING " + std::string(kLeaseColumns),
      params(workspace_id, owner, ttl_ms));
  if (taken.rows() == 1) return read_lease(taken, 0);
  // Held by another instance: the lease as it stands.
  return read_lease(db_.run("SELECT " + std::string(kLeaseColumns) +
                                " FROM workspace_leases WHERE workspace_id = $1",
                            params(workspace_id)),
                    0);
}

std::vector<LeaseRow> Records::renew_leases(std::string_view owner, std::int64_t ttl_ms) {
  return read_leases(db_.run("UPDATE workspace_leases SET expires_at_ms = " + std::string(kNowMs) +
                                 " + $1 WHERE owner = $2 RETURNING " + std::string(kLeaseColumns),
                             params(ttl_ms, owner)));
}

void Records::release_lease(std::string_view workspace_id, std::string_view owner,
                            std::int64_t fence) {
  db_.run_later(
      "UPDATE workspace_leases SET expires_at_ms = 0"
      " WHERE workspace_id = $1 AND owner = $2 AND fence = $3",
      params(workspace_id, owner, fence));
}

void Records::check_lease(std::string_view workspace_id, std::string_view owner,
                          std::int64_t fence) {
  const Result held = db_.run(
      "SELECT 1 FROM workspace_leases WHERE workspace_id = $1 AND owner = $2 AND fence = $3"
      " FOR SHARE",
      params(workspace_id, owner, fence));
  if (held.rows() == 0)
    throw Fenced("workspace " + std::string(workspace_id) + ": instance " + std::string(owner) +
                 " no longer holds its lease (fence " + std::to_string(fence) + ")");
}

void Records::notify_workspace(std::string_view workspace_id) {
  // Delivered when the transaction commits, not at all if it rolls back (docs/architecture.md,
  // "The storage seam").
  db_.run_later("SELECT pg_notify('sparks_workspace', $1)", params(workspace_id));
}

}  // namespace sparks::store::postgresql

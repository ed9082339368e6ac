// Instances and workspace leases in SQLite (store/lease_store.hpp). One process writes a SQLite
// file at a time, so the write transaction every writer opens is what keeps a lease from
// changing hands while a batch that checked it is open.

#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {
namespace {

// SQLite's clock in milliseconds since the Unix epoch.
constexpr std::string_view kNowMs = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";

LeaseRow read_lease(SQLite::Statement& select) {
  return {select.getColumn(0).getString(), select.getColumn(1).getString(),
          select.getColumn(2).getInt64(), select.getColumn(3).getInt64()};
}

}  // namespace

std::int64_t Records::database_now_ms() {
  Prepared select(db_, "SELECT " + std::string(kNowMs));
  select.executeStep();
  return select.getColumn(0).getInt64();
}

void Records::heartbeat(std::string_view instance_id, std::string_view url) {
  Prepared upsert(db_, "INSERT INTO instances (instance_id, url, seen_at_ms) VALUES (?, ?, " +
                           std::string(kNowMs) +
                           ") ON CONFLICT (instance_id) DO UPDATE SET url = excluded.url,"
                           " seen_at_ms = excluded.seen_at_ms");
  bind_all(upsert, instance_id, url);
  upsert.exec();
}

std::vector<InstanceRow> Records::live_instances(std::int64_t within_ms) {
  Prepared select(db_, "SELECT instance_id, url, seen_at_ms FROM instances WHERE seen_at_ms >= " +
                           std::string(kNowMs) + " - ? ORDER BY instance_id");
  bind_all(select, within_ms);
  std::vector<InstanceRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   select.getColumn(2).getInt64()});
  return out;
}

void Records::remove_instance(std::string_view instance_id) {
  Prepared remove(db_, "DELETE FROM instances WHERE instance_id = ?");
  bind_all(remove, instance_id);
  remove.exec();
}

std::vector<LeaseRow> Records::workspace_leases() {
  Prepared select(db_,
                  "SELECT w.workspace_id, COALESCE(l.owner, ''), COALESCE(l.fence, 0),"
                  " COALESCE(l.expires_at_ms, 0) FROM ("
                  "   SELECT workspace_id FROM integrations"
                  "   UNION SELECT workspace_id FROM automations"
                  "   UNION SELECT workspace_id FROM event_log WHERE handled_at_ms IS NULL"
                  "   UNION SELECT workspace_id FROM workspace_leases) w"
                  " LEFT JOIN workspace_leases l ON l.workspace_id = w.workspace_id"
                  " ORDER BY w.workspace_id");
  std::vector<LeaseRow> out;
  while (select.executeStep()) out.push_back(read_lease(select));
  return out;
}

LeaseRow Records::take_lease(std::string_view workspace_id, std::string_view owner,
                             std::int64_t ttl_ms) {
  const std::string now(kNowMs);
  Prepared take(db_,
                "INSERT INTO workspace_leases (workspace_id, owner, fence, expires_at_ms)"
                " VALUES (?1, ?2, 1, " +
                    now +
                    " + ?3) ON CONFLICT (workspace_id) DO UPDATE SET"
                    " fence = fence + (owner <> excluded.owner), owner = excluded.owner,"
                    " expires_at_ms = excluded.expires_at_ms"
                    " WHERE owner = excluded.owner OR expires_at_ms <= " +
                    now);
  bind_all(take, workspace_id, owner, ttl_ms);
  take.exec();
  Prepared select(db_,
                  "SELECT workspace_id, owner, fence, expires_at_ms FROM workspace_leases"
                  " WHERE workspace_id = ?");
  bind_all(select, workspace_id);
  select.executeStep();
  return read_lease(select);
}

std::vector<LeaseRow> Records::renew_leases(std::string_view owner, std::int64_t ttl_ms) {
  Prepared renew(db_, "UPDATE workspace_leases SET expires_at_ms = " + std::string(kNowMs) +
                          " + ? WHERE owner = ?"
                          " RETURNING workspace_id, owner, fence, expires_at_ms");
  bind_all(renew, ttl_ms, owner);
  std::vector<LeaseRow> out;
  while (renew.executeStep()) out.push_back(read_lease(renew));
  return out;
}

void Records::release_lease(std::string_view workspace_id, std::string_view owner,
                            std::int64_t fence) {
  Prepared release(db_,
                   "UPDATE workspace_leases SET expires_at_ms = 0"
                   " WHERE workspace_id = ? AND owner = ? AND fence = ?");
  bind_all(release, workspace_id, owner, fence);
  release.exec();
}

void Records::check_lease(std::string_view workspace_id, std::string_view owner,
                          std::int64_t fence) {
  Prepared select(
      db_, "SELECT 1 FROM workspace_leases WHERE workspace_id = ? AND owner = ? AND fence = ?");
  bind_all(select, workspace_id, owner, fence);
  if (!select.executeStep())
    throw Fenced("workspace " + std::string(workspace_id) + ": instance " + std::string(owner) +
                 " no longer holds its lease (fence " + std::to_string(fence) + ")");
}

void Records::notify_workspace(std::string_view) {}  // one instance: nobody else to wake

}  // namespace sparks::store::sqlite


#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/scope_sql.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

bool Records::append_event(EventRow& e) {
  Prepared insert(db_,
                  "INSERT OR IGNORE INTO event_log (workspace_id, platform, source, dedupe_key,"
                  " kind, payload, received_at_ms, handled_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, e.workspace_id, e.platform, e.source, e.dedupe_key, e.kind, e.payload,
           e.received_at_ms, e.handled_at_ms);
  if (insert.exec() != 1) return false;
  e.id = db_.getLastInsertRowid();
  return true;
}

void Records::mark_event_handled(std::int64_t event_id, std::int64_t at_ms) {
  Prepared update(db_,
                  "UPDATE event_log SET handled_at_ms = ? WHERE id = ? AND handled_at_ms IS NULL");
  bind_all(update, at_ms, event_id);
  update.exec();
}

namespace {

constexpr std::string_view kEventColumns =
    "id, workspace_id, platform, source, dedupe_key, kind, payload, received_at_ms";

EventRow read_event(SQLite::Statement& select) {
  return {select.getColumn(0).getInt64(),  select.getColumn(1).getString(),
          select.getColumn(2).getString(), select.getColumn(3).getString(),
          select.getColumn(4).getString(), select.getColumn(5).getString(),
          select.getColumn(6).getString(), select.getColumn(7).getInt64()};
}

}  // namespace

std::optional<EventRow> Records::unhandled_copy(std::string_view platform,
                                                std::string_view dedupe_key) {
  Prepared select(db_, "SELECT " + std::string(kEventColumns) +
                           " FROM event_log WHERE platform = ? AND dedupe_key = ?"
                           " AND handled_at_ms IS NULL");
  bind_all(select, platform, dedupe_key);
  if (!select.executeStep()) return std::nullopt;
  return read_event(select);
}

std::vector<EventRow> Records::unhandled_events_after(std::int64_t after_id, int limit,
                                                      const Scope& scope) {
  Prepared select(db_, "SELECT " + std::string(kEventColumns) +
                           " FROM event_log WHERE handled_at_ms IS NULL AND id > ? AND " +
                           scope_condition(scope) + " ORDER BY id LIMIT ?");
  bind_all(select, after_id);
  select.bind(bind_scope(select, 2, scope), std::int64_t{limit});
  std::vector<EventRow> out;
  while (select.executeStep()) out.push_back(read_event(select));
  return out;
}

std::int64_t Records::count_events(std::string_view workspace_id, std::string_view kind) {
  Prepared count(db_, "SELECT COUNT(*) FROM event_log WHERE workspace_id = ? AND kind = ?");
  bind_all(count, workspace_id, kind);
  count.executeStep();
  return count.getColumn(0).getInt64();
}

std::optional<std::string> Records::kv_get(std::string_view platform, std::string_view integration,
                                           std::string_view key) {
  Prepared select(db_,
                  "SELECT value FROM plugin_kv WHERE platform = ? AND integration = ? AND key = ?");
  bind_all(select, platform, integration, key);
  if (!select.executeStep()) return std::nullopt;
  return select.getColumn(0).getString();
}

void Records::kv_put(std::string_view platform, std::string_view integration, std::string_view key,
                     std::string_view value) {
  Prepared upsert(db_,
                  "INSERT INTO plugin_kv (platform, integration, key, value)"
                  " VALUES (?, ?, ?, ?) ON CONFLICT (platform, integration, key)"
                  " DO UPDATE SET value = excluded.value");
  bind_all(upsert, platform, integration, key, value);
  upsert.exec();
}

void Records::kv_delete(std::string_view platform, std::string_view integration,
                        std::string_view key) {
  Prepared remove(db_, "DELETE FROM plugin_kv WHERE platform = ? AND integration = ? AND key = ?");
  bind_all(remove, platform, integration, key);
  remove.exec();
}

}  // namespace sparks::store::sqlite

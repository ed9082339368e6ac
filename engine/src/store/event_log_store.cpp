#include "store/event_log_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "store/prepared.hpp"
#include "store/sql_binding.hpp"

namespace sparks::store {

bool append_event(SQLite::Database& db, EventRow& e) {
  Prepared insert(db,
                  "INSERT OR IGNORE INTO event_log (workspace_id, platform, source,"
                  " dedupe_key, kind, payload, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, e.workspace_id, e.platform, e.source, e.dedupe_key, e.kind, e.payload,
           e.received_at_ms);
  if (insert.exec() != 1) return false;
  e.id = db.getLastInsertRowid();
  return true;
}

std::int64_t count_events(SQLite::Database& db, std::string_view workspace_id,
                          std::string_view kind) {
  Prepared count(db, "SELECT COUNT(*) FROM event_log WHERE workspace_id = ? AND kind = ?");
  bind_all(count, workspace_id, kind);
  count.executeStep();
  return count.getColumn(0).getInt64();
}

std::optional<std::string> kv_get(SQLite::Database& db, std::string_view platform,
                                  std::string_view integration, std::string_view key) {
  Prepared select(db,
                  "SELECT value FROM plugin_kv WHERE platform = ? AND integration = ? AND key = ?");
  bind_all(select, platform, integration, key);
  if (!select.executeStep()) return std::nullopt;
  return select.getColumn(0).getString();
}

void kv_put(SQLite::Database& db, std::string_view platform, std::string_view integration,
            std::string_view key, std::string_view value) {
  Prepared upsert(db,
                  "INSERT INTO plugin_kv (platform, integration, key, value)"
                  " VALUES (?, ?, ?, ?) ON CONFLICT (platform, integration, key)"
                  " DO UPDATE SET value = excluded.value");
  bind_all(upsert, platform, integration, key, value);
  upsert.exec();
}

void kv_delete(SQLite::Database& db, std::string_view platform, std::string_view integration,
               std::string_view key) {
  Prepared remove(db, "DELETE FROM plugin_kv WHERE platform = ? AND integration = ? AND key = ?");
  bind_all(remove, platform, integration, key);
  remove.exec();
}

}  // namespace sparks::store

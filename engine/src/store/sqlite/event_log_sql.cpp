
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

bool Records::append_event(EventRow& e) {
  Prepared insert(db_,
                  "INSERT OR IGNORE INTO event_log (workspace_id, platform, source,"
                  " dedupe_key, kind, payload, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, e.workspace_id, e.platform, e.source, e.dedupe_key, e.kind, e.payload,
           e.received_at_ms);
  if (insert.exec() != 1) return false;
  e.id = db_.getLastInsertRowid();
  return true;
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

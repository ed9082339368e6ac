#pragma once
// The SQL for the event log (every inbound event, stored before it is acknowledged) and for the
// plugins' key-value store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

struct EventRow {
  std::int64_t id = 0;  // event_log.id, once stored
  std::string workspace_id;
  std::string platform;
  std::string source;      // "webhook", "plugin", …
  std::string dedupe_key;  // the platform's event id; a second copy is ignored
  std::string kind;        // the trigger, e.g. "tiktok.comment" or "authorization_removed"
  std::string payload;     // JSON
  std::int64_t received_at_ms = 0;
};

// False when an event with the same platform and dedupe key is already stored; else sets event.id.
bool append_event(SQLite::Database& db, EventRow& event);
std::int64_t count_events(SQLite::Database& db, std::string_view workspace_id,
                          std::string_view kind);

std::optional<std::string> kv_get(SQLite::Database& db, std::string_view platform,
                                  std::string_view integration, std::string_view key);
void kv_put(SQLite::Database& db, std::string_view platform, std::string_view integration,
            std::string_view key, std::string_view value);
void kv_delete(SQLite::Database& db, std::string_view platform, std::string_view integration,
               std::string_view key);

}  // namespace sparks::store

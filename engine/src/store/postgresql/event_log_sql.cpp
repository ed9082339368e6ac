#include "store/postgresql/records.hpp"
#include "store/postgresql/scope_sql.hpp"

namespace sparks::store::postgresql {

bool Records::append_event(EventRow& e) {
  const Result inserted = db_.run(
      "INSERT INTO event_log (workspace_id, platform, source, dedupe_key, kind, payload,"
      " received_at_ms, handled_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(e.workspace_id, e.platform, e.source, e.dedupe_key, e.kind, e.payload,
             e.received_at_ms, e.handled_at_ms));
  if (inserted.rows() != 1) return false;
  e.id = inserted.int64(0, 0);
  return true;
}

void Records::mark_event_handled(std::int64_t event_id, std::int64_t at_ms) {
  db_.run_later("UPDATE event_log SET handled_at_ms = $1 WHERE id = $2 AND handled_at_ms IS NULL",
                params(at_ms, event_id));
}

namespace {

constexpr std::string_view kEventColumns =
    "id, workspace_id, platform, source, dedupe_key, kind, payload, received_at_ms";

EventRow read_event(const Result& r, int i) {
  return {r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3),
          r.text(i, 4),  r.text(i, 5), r.text(i, 6), r.int64(i, 7)};
}

}  // namespace

std::optional<EventRow> Records::unhandled_copy(std::string_view platform,
                                                std::string_view dedupe_key) {
  const Result found = db_.run("SELECT " + std::string(kEventColumns) +
                                   " FROM event_log WHERE platform = $1 AND dedupe_key = $2"
                                   " AND handled_at_ms IS NULL",
                               params(platform, dedupe_key));
  if (found.rows() == 0) return std::nullopt;
  return read_event(found, 0);
}

std::vector<EventRow> Records::unhandled_events_after(std::int64_t after_id, int limit,
                                                      const Scope& scope) {
  Params values = params(after_id);
  const int limit_index = add_scope(values, scope);
  values.add(limit);
  const Result found =
      db_.run("SELECT " + std::string(kEventColumns) +
                  " FROM event_log WHERE handled_at_ms IS NULL AND id > $1 AND " +
                  scope_condition(scope, 2) + " ORDER BY id LIMIT $" + std::to_string(limit_index),
              values);
  std::vector<EventRow> out;
  for (int i = 0; i < found.rows(); ++i) out.push_back(read_event(found, i));
  return out;
}

std::int64_t Records::count_events(std::string_view workspace_id, std::string_view kind) {
  return db_
      .run("SELECT count(*) FROM event_log WHERE workspace_id = $1 AND kind = $2",
           params(workspace_id, kind))
      .int64(0, 0);
}

std::optional<std::string> Records::kv_get(std::string_view platform, std::string_view integration,
                                           std::string_view key) {
  const Result found =
      db_.run("SELECT value FROM plugin_kv WHERE platform = $1 AND integration = $2 AND key = $3",
              params(platform, integration, key));
  if (found.rows() == 0) return std::nullopt;
  return found.text(0, 0);
}

void Records::kv_put(std::string_view platform, std::string_view integration, std::string_view key,
                     std::string_view value) {
  db_.run_later(
      "INSERT INTO plugin_kv (platform, integration, key, value) VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (platform, integration, key) DO UPDATE SET value = excluded.value",
      params(platform, integration, key, value));
}

void Records::kv_delete(std::string_view platform, std::string_view integration,
                        std::string_view key) {
  db_.run_later("DELETE FROM plugin_kv WHERE platform = $1 AND integration = $2 AND key = $3",
                params(platform, integration, key));
}

}  // namespace sparks::store::postgresql

#pragma once
// The SQL behind running flows: which flows are live (at the version they run), what is known of a
// contact, what each event did (flow_runs), the outbox of actions, and orders with their
// attribution to the conversation that produced them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "store/event_log_store.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks::store {

struct LiveFlowRow {
  std::string id;
  std::int64_t version = 1;
  std::string definition;  // JSON, as flow_versions holds it
};
// The workspace's live flows at their current version.
std::vector<LiveFlowRow> live_flows(SQLite::Database& db, std::string_view workspace_id);

struct ContactFacts {
  std::string username;
  std::string tags = "[]";                 // JSON
  std::string fields = "{}";               // JSON
  std::optional<std::int64_t> last_dm_ms;  // the last DM a flow sent them
};
ContactFacts contact_facts(SQLite::Database& db, std::string_view workspace_id,
                           std::string_view user_id);
// Adds and removes tags (JSON arrays of names).
void update_contact_tags(SQLite::Database& db, std::string_view workspace_id,
                         std::string_view user_id, const std::vector<std::string>& add,
                         const std::vector<std::string>& remove);

// Remembers that `user_id` commented on `video_id` in event `event_id` (the first such event
// stays).
void note_commenter(SQLite::Database& db, std::string_view workspace_id, std::string_view video_id,
                    std::string_view user_id, std::int64_t event_id);
// True if `user_id` commented on `video_id` in an event before `event_id`.
bool commented_before(SQLite::Database& db, std::string_view workspace_id, std::string_view user_id,
                      std::string_view video_id, std::int64_t event_id);

std::vector<CatalogSkuRow> load_catalog(SQLite::Database& db, std::string_view workspace_id);

struct FlowRunRow {
  std::string workspace_id;
  std::int64_t event_id = 0;
  std::string flow_id;
  std::int64_t flow_version = 0;
  std::string outcome;  // "ran", "skipped", "not_running"
  std::string reason;
  std::int64_t at_ms = 0;
};
// False when the event already has a row for that flow (a replay).
bool record_flow_run(SQLite::Database& db, const FlowRunRow& run);
void add_flow_stat(SQLite::Database& db, std::string_view workspace_id, std::string_view flow_id,
                   std::string_view counter, std::int64_t delta);

// Flow-trigger events of `platform` since `since_ms` that no flow_runs row mentions, oldest first:
// those that arrived while the integration was paused.
std::vector<EventRow> unhandled_events(SQLite::Database& db, std::string_view workspace_id,
                                       std::string_view platform, std::int64_t since_ms);

struct OutboxRow {
  std::int64_t id = 0;
  std::string workspace_id;
  std::string platform;
  std::string action;
  std::string params;  // JSON
  std::string idempotency_key;
  std::string flow_id;
  std::int64_t flow_version = 0;
  std::string user_id;
  std::string status = "pending";
  std::int64_t attempts = 0;
  std::int64_t due_at_ms = 0;
  std::optional<std::string> last_error;
  std::int64_t created_at_ms = 0;
};
// False (and nothing written) when a row with the same idempotency key exists.
bool enqueue(SQLite::Database& db, OutboxRow& row);
std::vector<OutboxRow> due_outbox(SQLite::Database& db, std::int64_t now_ms, int limit);
void update_outbox(SQLite::Database& db, std::int64_t id, std::string_view status,
                   std::int64_t attempts, std::int64_t due_at_ms,
                   const std::optional<std::string>& last_error);

struct OrderRow {
  std::string workspace_id, order_id, status;
  std::optional<std::string> buyer_user_id, total, currency;
  std::string line_items = "[]";
  std::int64_t at_ms = 0;
};
// Inserts the order, or updates its status; true when it is new.
bool upsert_order(SQLite::Database& db, const OrderRow& order);

struct Attribution {
  std::string flow_id, conversation_id;
};
// The conversation to credit: the most recent DM a flow sent the buyer since `since_ms`, preferring
// one that named one of `skus`.
std::optional<Attribution> find_attribution(SQLite::Database& db, std::string_view workspace_id,
                                            std::string_view buyer, std::int64_t since_ms,
                                            const std::vector<std::string>& skus);
void attribute_order(SQLite::Database& db, std::string_view workspace_id, std::string_view order_id,
                     const Attribution& attribution);

}  // namespace sparks::store

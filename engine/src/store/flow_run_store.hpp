#pragma once
// What running flows reads and records: which flows are live (at the version they run), what is
// known of a contact, what each event did (flow_runs), the outbox of actions, and orders with their
// attribution to the conversation that produced them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/event_log_store.hpp"
#include "store/page.hpp"
#include "store/scope.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks::store {

struct LiveFlowRow {
  std::string id;
  std::int64_t version = 1;
  std::string definition;  // JSON, as flow_versions holds it
};

struct ContactFacts {
  std::string username;
  std::string tags = "[]";                 // JSON
  std::string fields = "{}";               // JSON
  std::optional<std::int64_t> last_dm_ms;  // the last DM a flow sent them
  // Their messaging window (docs/flows.md, "Messaging rules"): the conversation they last wrote
  // in, when, and how many messages were sent them since.
  std::optional<std::string> conversation_id;
  std::optional<std::int64_t> last_inbound_ms;
  int sent_since_inbound = 0;
};

struct FlowRunRow {
  std::string workspace_id;
  std::int64_t event_id = 0;
  std::string flow_id;
  std::int64_t flow_version = 0;
  std::string outcome;  // "ran", "skipped", "not_running"
  std::string reason;
  std::int64_t at_ms = 0;
};

// A run as its flow's history shows it: the run, and what its event was.
struct FlowRunHistoryRow {
  FlowRunRow run;
  std::string trigger;  // the event's kind, e.g. "tiktok.comment"
  std::string payload;  // the event's payload (JSON)
};

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
  // pending → in_flight (its platform call started) → sent | failed | skipped | unknown (a crash
  // interrupted the call and the platform could not say whether it happened)
  std::string status = "pending";
  std::int64_t attempts = 0;
  std::int64_t due_at_ms = 0;
  std::optional<std::string> last_error;
  std::int64_t created_at_ms = 0;
};

struct OrderRow {
  std::string workspace_id, order_id, status;
  std::optional<std::string> buyer_user_id, total, currency;
  std::string line_items = "[]";
  std::int64_t at_ms = 0;
};

struct Attribution {
  std::string flow_id, conversation_id;
  std::string method;  // how the order was tied to the message: "dm_code" (the code came back)
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class FlowRunRecords {
 public:
  // The workspace's live flows at their current version.
  virtual std::vector<LiveFlowRow> live_flows(std::string_view workspace_id) = 0;

  virtual ContactFacts contact_facts(std::string_view workspace_id, std::string_view user_id) = 0;

  // Adds and removes tags (JSON arrays of names).
  virtual void update_contact_tags(std::string_view workspace_id, std::string_view user_id,
                                   const std::vector<std::string>& add,
                                   const std::vector<std::string>& remove) = 0;

  // Remembers that `user_id` commented on `video_id` in event `event_id` (the first such event
  // stays).
  virtual void note_commenter(std::string_view workspace_id, std::string_view video_id,
                              std::string_view user_id, std::int64_t event_id) = 0;

  // True if `user_id` commented on `video_id` in an event before `event_id`.
  virtual bool commented_before(std::string_view workspace_id, std::string_view user_id,
                                std::string_view video_id, std::int64_t event_id) = 0;

  virtual std::vector<CatalogSkuRow> load_catalog(std::string_view workspace_id) = 0;

  // False when the event already has a row for that flow (a replay).
  virtual bool record_flow_run(const FlowRunRow& run) = 0;
  // One flow's runs, newest first (by event id descending: the page key, PageKey::number).
  virtual std::vector<FlowRunHistoryRow> list_flow_runs(std::string_view workspace_id,
                                                        std::string_view flow_id,
                                                        const PageRequest& page = {}) = 0;
  // The outbox steps that event `event_id` queued for the flow, in the order they were planned
  // (their idempotency keys begin "event:<id>:<flow>:", flows/planner.cpp).
  virtual std::vector<OutboxRow> outbox_steps_of_run(std::string_view workspace_id,
                                                     std::string_view flow_id,
                                                     std::int64_t event_id) = 0;

  virtual void add_flow_stat(std::string_view workspace_id, std::string_view flow_id,
                             std::string_view counter, std::int64_t delta) = 0;

  // Flow-trigger events of `platform` since `since_ms` that no flow_runs row mentions, oldest
  // first: those that arrived while the integration was paused.
  virtual std::vector<EventRow> unhandled_events(std::string_view workspace_id,
                                                 std::string_view platform,
                                                 std::int64_t since_ms) = 0;

  // False (and nothing written) when a row with the same idempotency key exists.
  virtual bool enqueue(OutboxRow& row) = 0;

  // Up to `limit` of the scope's pending steps due by `now_ms`, oldest due first, marked in
  // flight: their calls start now.
  virtual std::vector<OutboxRow> take_due_outbox(std::int64_t now_ms, int limit,
                                                 const Scope& scope) = 0;

  // The scope's steps marked in flight: at start-up (or taking a workspace over), those a previous
  // run left in the middle of their platform call.
  virtual std::vector<OutboxRow> outbox_in_flight(const Scope& scope) = 0;

  virtual void update_outbox(std::int64_t id, std::string_view status, std::int64_t attempts,
                             std::int64_t due_at_ms,
                             const std::optional<std::string>& last_error) = 0;

  // Inserts the order, or updates its status; true when it is new.
  virtual bool upsert_order(const OrderRow& order) = 0;

  // The message to credit: the most recent one a flow sent since `since_ms` whose attribution
  // code is one of `codes` (what the order brought back). No platform links a Shop buyer to a
  // TikTok person, so the code is the only join (docs/flows.md, "Orders and attribution").
  virtual std::optional<Attribution> find_attribution(std::string_view workspace_id,
                                                      const std::vector<std::string>& codes,
                                                      std::int64_t since_ms) = 0;

  virtual void attribute_order(std::string_view workspace_id, std::string_view order_id,
                               const Attribution& attribution) = 0;

 protected:
  ~FlowRunRecords() = default;
};

}  // namespace sparks::store

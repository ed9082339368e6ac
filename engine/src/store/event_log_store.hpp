#pragma once
// The event log (every inbound event, stored before it is acknowledged, and whether it has been
// handled) and the plugins' key-value store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/scope.hpp"

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
  // Set when it is appended handled: what it does is written in the same transaction.
  std::optional<std::int64_t> handled_at_ms = std::nullopt;
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class EventLogRecords {
 public:
  // False when an event with the same platform and dedupe key is already stored; else sets
  // event.id.
  virtual bool append_event(EventRow& event) = 0;

  // The event's effects are stored (in this same transaction): it is not processed again.
  virtual void mark_event_handled(std::int64_t event_id, std::int64_t at_ms) = 0;

  // The stored copy of (platform, dedupe_key) while it is not yet handled: a platform's redelivery
  // of it makes sure it is processed.
  virtual std::optional<EventRow> unhandled_copy(std::string_view platform,
                                                 std::string_view dedupe_key) = 0;

  // The scope's events not yet handled, oldest first, from after `after_id`: what a start-up, or
  // taking a workspace over, processes (events held for a paused integration among them; they are
  // held again).
  virtual std::vector<EventRow> unhandled_events_after(std::int64_t after_id, int limit,
                                                       const Scope& scope) = 0;

  virtual std::int64_t count_events(std::string_view workspace_id, std::string_view kind) = 0;

  virtual std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                            std::string_view key) = 0;

  virtual void kv_put(std::string_view platform, std::string_view integration, std::string_view key,
                      std::string_view value) = 0;

  virtual void kv_delete(std::string_view platform, std::string_view integration,
                         std::string_view key) = 0;

 protected:
  ~EventLogRecords() = default;
};

}  // namespace sparks::store

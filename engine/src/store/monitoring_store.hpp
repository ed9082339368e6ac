#pragma once
// What monitoring reads of the store (docs/production.md, "Monitoring"): whether it answers at all,
// how many integrations are in each lifecycle state, and how much the outbox has left to send.
// Each is one small aggregate query, cheap enough for a scrape every few seconds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/scope.hpp"

namespace sparks::store {

struct IntegrationStateCount {
  std::string platform;
  std::string state;
  std::int64_t count = 0;
};

struct OutboxDepth {
  std::string platform;
  std::int64_t steps = 0;  // pending or in flight
  // The due time of the earliest step still waiting (pending or in flight, due by `now_ms`);
  // none when nothing is late.
  std::optional<std::int64_t> oldest_due_ms;
};

// What the store does for monitoring, whichever backend holds it (one Transaction has them all).
class MonitoringRecords {
 public:
  // Reads one row of the integrations table: throws when the store cannot be read.
  virtual void check_readable() = 0;

  // The scope's integrations counted by platform and state, ordered by both.
  virtual std::vector<IntegrationStateCount> count_integrations(const Scope& scope) = 0;

  // The scope's unfinished outbox steps by platform (the engine's own steps, which name none, are
  // left out), ordered by platform.
  virtual std::vector<OutboxDepth> outbox_depths(std::int64_t now_ms, const Scope& scope) = 0;

 protected:
  ~MonitoringRecords() = default;
};

}  // namespace sparks::store

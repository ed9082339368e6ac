#pragma once
// When the event behind each DM on its way arrived, by outbox row: what
// sparks_webhook_to_dm_seconds measures once the platform accepts the DM (docs/production.md,
// "Monitoring"). Noted when a run enqueues its DMs, taken when one is sent, forgotten when one ends
// otherwise. Kept in memory only: a DM that a restart leaves to the next process is not measured.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace sparks::flows {

class DmArrivals {
 public:
  // Beyond this many DMs waiting at once (a long `wait:` on a busy flow), new ones go unmeasured
  // rather than grow the map without bound.
  static constexpr std::size_t kMaxTracked = 100'000;

  void note(std::int64_t row_id, std::int64_t arrived_at_ms) {
    std::lock_guard lock(mutex_);
    if (arrived_.size() < kMaxTracked) arrived_.emplace(row_id, arrived_at_ms);
  }
  // The arrival time of the row's event, if it was noted; forgotten from then on.
  std::optional<std::int64_t> take(std::int64_t row_id) {
    std::lock_guard lock(mutex_);
    const auto it = arrived_.find(row_id);
    if (it == arrived_.end()) return std::nullopt;
    const auto at = it->second;
    arrived_.erase(it);
    return at;
  }
  void forget(std::int64_t row_id) { take(row_id); }

 private:
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> arrived_;
};

}  // namespace sparks::flows

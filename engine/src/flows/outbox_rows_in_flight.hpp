#pragma once
// Which outbox rows are being executed right now, so that a row found again by the outbox's poll
// (or handed over by a run) while its platform call is under way is not executed twice. Claimed on
// any thread, released once the row's outcome is stored.
#include <cstdint>
#include <mutex>
#include <set>

namespace sparks::flows {

class OutboxRowsInFlight {
 public:
  // False when the row is already on its way.
  bool claim(std::int64_t row_id) {
    std::lock_guard lock(mutex_);
    return rows_.insert(row_id).second;
  }
  void release(std::int64_t row_id) {
    std::lock_guard lock(mutex_);
    rows_.erase(row_id);
  }

 private:
  std::mutex mutex_;
  std::set<std::int64_t> rows_;
};

}  // namespace sparks::flows

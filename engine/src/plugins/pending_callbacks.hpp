#pragma once
// The HTTP requests and timers a plugin has in flight, each owing the plugin exactly one callback.
//
// Whoever claims an entry delivers its callback: normally the I/O's completion handler; at unload,
// the host (claim_all), which aborts the I/O and tells the plugin SPARKS_ERR_CANCELLED before the
// library goes away. A completion that arrives after that finds nothing to claim and touches no
// plugin code. The table is shared (std::shared_ptr) with those completion handlers, so it outlives
// the plugin when it has to.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace sparks::plugins {

class PendingCallbacks {
 public:
  struct Entry {
    std::function<void()> cancel;  // asks the I/O to end early; its handler then reports it
    std::function<void()> abort;   // at unload: ends the I/O and calls the plugin back, now
  };

  // A new id (never 0, never reused), or 0 once claim_all() closed the table.
  std::uint64_t add(Entry entry);
  // True once per id: the caller now owns delivering that callback.
  bool claim(std::uint64_t id);
  // Runs the entry's `cancel`, if it is still pending.
  void cancel(std::uint64_t id);
  // Takes every pending entry and refuses new ones.
  std::vector<Entry> claim_all();

 private:
  std::mutex mutex_;  // plugins of different integrations run on different threads
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace sparks::plugins

#pragma once
// What a workspace's flows are planned against besides the event, as an immutable value any thread
// may read: the short path of an event that no flow takes (docs/architecture.md, "The short path
// of an event no flow takes") plans it where it arrives, against this, and writes its runs with
// the event itself, instead of going through the workspace's strand and the store's reader.
//
// The strand builds a snapshot from what a full run of the flows has just read and publishes it
// here; every change to a flow or an integration drops it (`invalidate`, after the change has
// committed). Each drop bumps a generation, and a snapshot built from reads that began before a
// drop is not published: what it was read from may predate the change.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flows/planner.hpp"

namespace sparks::runtime {

struct PlanningSnapshot {
  std::vector<flows::LiveFlow> flows;                                  // every live flow
  std::map<std::string, flows::PlatformFacts, std::less<>> platforms;  // by platform id
};

class PlanningSnapshotSlot {
 public:
  // Read before the reads a snapshot is built from.
  std::uint64_t generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  void invalidate() {
    std::lock_guard lock(mutex_);
    ++generation_;
    current_.reset();
  }

  // Publishes `snapshot` unless it was invalidated since `generation` was read.
  void publish(std::uint64_t generation, std::shared_ptr<const PlanningSnapshot> snapshot) {
    std::lock_guard lock(mutex_);
    if (generation == generation_) current_ = std::move(snapshot);
  }

  // What an event `platform` delivered at `at_ms` is planned against; null when it takes the full
  // path. One event a second per platform takes the full path however fresh the snapshot: it
  // keeps the integration's time of the last webhook (the card's) true to the second, and
  // publishes the snapshot again.
  std::shared_ptr<const PlanningSnapshot> for_event(std::string_view platform, std::int64_t at_ms) {
    std::lock_guard lock(mutex_);
    auto last = last_full_path_ms_.find(platform);
    if (last == last_full_path_ms_.end())
      last = last_full_path_ms_.emplace(std::string(platform), at_ms).first;
    else if (current_ && at_ms - last->second < kFullPathEveryMs)
      return current_;
    last->second = at_ms;
    return nullptr;
  }

 private:
  static constexpr std::int64_t kFullPathEveryMs = 1000;

  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::shared_ptr<const PlanningSnapshot> current_;
  std::map<std::string, std::int64_t, std::less<>> last_full_path_ms_;  // by platform
};

}  // namespace sparks::runtime

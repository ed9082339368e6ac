#pragma once
// Which workspaces this instance runs. On a store one instance uses (SQLite) it runs every
// workspace. Where several share the store it runs those whose lease it holds, each with the
// fence its writes carry (store/lease_store.hpp, docs/scaling.md), once it has restored them: a
// workspace it is taking over is held (its writes carry the fence) but not run yet. Read from any
// thread.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::runtime {

class Ownership {
 public:
  Ownership(bool shared, std::string instance_id)
      : shared_(shared), instance_id_(std::move(instance_id)) {}

  bool shared() const { return shared_; }
  const std::string& instance_id() const { return instance_id_; }

  // The fence this instance's writes of the workspace carry while it holds its lease (0 when the
  // store is not shared); nothing when another instance holds it.
  std::optional<std::int64_t> fence_of(std::string_view workspace) const {
    if (!shared_) return 0;
    std::lock_guard lock(mutex_);
    auto it = held_.find(workspace);
    return it == held_.end() ? std::nullopt : std::optional(it->second.fence);
  }
  // Held and restored: its events, requests and steps are handled here.
  bool runs(std::string_view workspace) const {
    if (!shared_) return true;
    std::lock_guard lock(mutex_);
    auto it = held_.find(workspace);
    return it != held_.end() && it->second.restored;
  }

  // True when the lease is new to this instance, which then restores the workspace.
  bool hold(const std::string& workspace, std::int64_t fence) {
    std::lock_guard lock(mutex_);
    return held_.try_emplace(workspace, Held{fence, false}).second;
  }
  void restored(std::string_view workspace) {
    std::lock_guard lock(mutex_);
    if (auto it = held_.find(workspace); it != held_.end()) it->second.restored = true;
  }
  // True when it was held.
  bool drop(std::string_view workspace) {
    std::lock_guard lock(mutex_);
    auto it = held_.find(workspace);
    if (it == held_.end()) return false;
    held_.erase(it);
    return true;
  }

  std::vector<std::string> held() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [workspace, fence] : held_) out.push_back(workspace);
    return out;
  }

 private:
  struct Held {
    std::int64_t fence = 0;
    bool restored = false;
  };
  const bool shared_;
  const std::string instance_id_;
  mutable std::mutex mutex_;
  std::map<std::string, Held, std::less<>> held_;  // by workspace
};

}  // namespace sparks::runtime

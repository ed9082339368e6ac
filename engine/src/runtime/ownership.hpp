#pragma once
// Which workspaces this instance runs. On a store one instance uses (SQLite) it runs every
// workspace. Where several share the store it runs those whose lease it holds, each with the
// fence its writes carry (store/lease_store.hpp, docs/scaling.md). Read from any thread.
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

  // The fence this instance's writes of the workspace carry, while it runs it (0 when the store
  // is not shared); nothing when another instance runs it.
  std::optional<std::int64_t> fence_of(std::string_view workspace) const {
    if (!shared_) return 0;
    std::lock_guard lock(mutex_);
    auto it = held_.find(workspace);
    return it == held_.end() ? std::nullopt : std::optional(it->second);
  }
  bool runs(std::string_view workspace) const { return fence_of(workspace).has_value(); }

  // True when the lease is new to this instance (not a renewal).
  bool hold(const std::string& workspace, std::int64_t fence) {
    std::lock_guard lock(mutex_);
    auto [it, added] = held_.insert_or_assign(workspace, fence);
    return added;
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
  const bool shared_;
  const std::string instance_id_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t, std::less<>> held_;  // workspace → fence
};

}  // namespace sparks::runtime

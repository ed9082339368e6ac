#pragma once
// Which workspace an inbound event belongs to: a platform's events name the account they concern,
// and the account belongs to the workspace that connected it. Read by the webhook path on any
// thread, written when an authorization is stored and when a workspace is closed.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace sparks::inbound {

class AccountRoutes {
 public:
  void assign(const std::string& platform, const std::string& account,
              const std::string& workspace) {
    std::lock_guard lock(mutex_);
    routes_[{platform, account}] = workspace;
  }

  std::optional<std::string> workspace_of(const std::string& platform,
                                          const std::string& account) const {
    std::lock_guard lock(mutex_);
    auto it = routes_.find({platform, account});
    return it == routes_.end() ? std::nullopt : std::optional(it->second);
  }

  void forget_workspace(const std::string& workspace) {
    std::lock_guard lock(mutex_);
    std::erase_if(routes_, [&](const auto& entry) { return entry.second == workspace; });
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::string> routes_;  // (platform, account) →
};

}  // namespace sparks::inbound

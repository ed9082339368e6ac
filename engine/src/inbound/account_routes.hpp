#pragma once
// Which workspace an inbound event belongs to: a platform's events name the account they concern,
// and the account belongs to the one workspace that connected it (docs/lifecycle.md, "One
// account, one workspace"). Read by the webhook path on any thread; written when an authorization
// is settled, when an integration loses its connection and when a workspace is closed.
//
// An account is *held* by the workspace whose integration has a connection to it. Another
// workspace's authorization of a held account is refused, and routing never moves away from the
// holder; once the holder lets go (it disconnected), the next workspace to connect the account
// takes it. Until then its events still go to the last holder, where they run nothing.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace sparks::inbound {

class AccountRoutes {
 public:
  // At start, from the store: `workspace` connected the account; `held` while that connection
  // lasts. Where two workspaces name the account, the one that holds it keeps it.
  void restore(const std::string& platform, const std::string& account,
               const std::string& workspace, bool held) {
    std::lock_guard lock(mutex_);
    auto [it, added] = routes_.try_emplace({platform, account}, Route{workspace, held});
    if (!added && (held || !it->second.held)) it->second = {workspace, held};
  }

  // An authorization in `workspace` has brought `account` and is about to be settled. Another
  // workspace that holds the account, or is settling an authorization of it right now, is
  // returned, and nothing changes; otherwise the account is claimed for `workspace` until
  // connect() or drop_claim(), so that two workspaces cannot both take it at once.
  std::optional<std::string> claim(const std::string& platform, const std::string& account,
                                   const std::string& workspace) {
    std::lock_guard lock(mutex_);
    const Key key{platform, account};
    if (auto it = routes_.find(key);
        it != routes_.end() && it->second.held && it->second.workspace != workspace)
      return it->second.workspace;
    if (auto it = claims_.find(key); it != claims_.end() && it->second != workspace)
      return it->second;
    claims_[key] = workspace;
    return std::nullopt;
  }

  // The authorization's credentials are stored: `workspace` holds the account, and its events go
  // there from now on.
  void connect(const std::string& platform, const std::string& account,
               const std::string& workspace) {
    std::lock_guard lock(mutex_);
    const Key key{platform, account};
    routes_[key] = {workspace, true};
    if (auto it = claims_.find(key); it != claims_.end() && it->second == workspace)
      claims_.erase(it);
  }

  // The authorization was settled without storing credentials (refused, or not stored).
  void drop_claim(const std::string& platform, const std::string& account,
                  const std::string& workspace) {
    std::lock_guard lock(mutex_);
    if (auto it = claims_.find({platform, account}); it != claims_.end() && it->second == workspace)
      claims_.erase(it);
  }

  // `workspace`'s integration no longer has a connection to the account: another workspace may
  // connect it now.
  void release(const std::string& platform, const std::string& account,
               const std::string& workspace) {
    std::lock_guard lock(mutex_);
    if (auto it = routes_.find({platform, account});
        it != routes_.end() && it->second.workspace == workspace)
      it->second.held = false;
  }

  std::optional<std::string> workspace_of(const std::string& platform,
                                          const std::string& account) const {
    std::lock_guard lock(mutex_);
    auto it = routes_.find({platform, account});
    return it == routes_.end() ? std::nullopt : std::optional(it->second.workspace);
  }

  void forget_workspace(const std::string& workspace) {
    std::lock_guard lock(mutex_);
    std::erase_if(routes_, [&](const auto& entry) { return entry.second.workspace == workspace; });
    std::erase_if(claims_, [&](const auto& entry) { return entry.second == workspace; });
  }

 private:
  using Key = std::pair<std::string, std::string>;  // (platform, account)
  struct Route {
    std::string workspace;  // where the account's events go
    bool held = false;      // that workspace's integration has a connection to the account
  };

  mutable std::mutex mutex_;
  std::map<Key, Route> routes_;
  std::map<Key, std::string> claims_;  // → the workspace settling an authorization of it
};

}  // namespace sparks::inbound

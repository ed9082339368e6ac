#pragma once
// One workspace's live state. Touched only on the workspace's strand: that ordering is the whole
// concurrency story of the domain code, so there are no locks here (but for `planning`'s own).
#include <algorithm>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <sparks/json_fields.hpp>
#include "flows/definition_cache.hpp"
#include "lifecycle/machine.hpp"
#include "runtime/planning_snapshot.hpp"
#include "runtime/strand_timer.hpp"
#include "sparks/engine.hpp"
#include "store/integration_facts_store.hpp"

namespace sparks::runtime {

struct Integration {
  IntegrationKey key;
  lifecycle::Instance machine;
  std::vector<IssueView> issues;     // as stored; updated after each commit
  store::IntegrationFactsRow facts;  // account, scopes, sync and webhook times, as stored
  // The tokens, opened from the store; only ever in memory in plain text.
  std::optional<boost::json::object> credentials;

  // The pending `after:` time-out of the current state, persisted with the transition that
  // entered it.
  StrandTimer lifecycle_timer;
  StrandTimer refresh_timer;  // refresh ahead of expiry, or the next retry after a failure
  StrandTimer sync_timer;
  bool refreshing = false;  // one refresh at a time

  // A reconnect in progress: Connect opened an OAuth session while the integration was live, and
  // it keeps working on its current grant until the platform's callback lands or the session
  // expires (then). Kept in memory only: a restart abandons it.
  std::optional<Clock::time_point> reauthorization_until;
  // The workspace that holds the account an authorization here was refused for (account_in_use),
  // while that issue is on the card: its owners read its name there. Kept in memory only.
  std::optional<std::string> account_holder;

  // The scopes the platform granted, as the card's facts keep them; an empty scope (an operation
  // that needs none) is always granted.
  std::vector<std::string> granted_scopes() const {
    return json_fields::strings(json_fields::parse_or_null(facts.granted_scopes));
  }
  bool granted(std::string_view scope) const {
    const auto scopes = granted_scopes();
    return scope.empty() || std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  }
  // What the account says the platform will not do for it: action → why (the connector's account
  // answer, `unavailable: [{action, reason}]`; sparks/plugin.h).
  std::map<std::string, std::string, std::less<>> unavailable_actions() const {
    std::map<std::string, std::string, std::less<>> out;
    if (!facts.account_json || facts.account_json->find("unavailable") == std::string::npos)
      return out;  // most accounts: no parse on the per-event path
    const auto account = json_fields::parse_or_null(*facts.account_json);
    const auto* list =
        account.is_object() ? account.get_object().if_contains("unavailable") : nullptr;
    if (list && list->is_array())
      for (const auto& item : list->get_array())
        if (item.is_object())
          out.emplace(json_fields::text(item.get_object(), "action"),
                      json_fields::text(item.get_object(), "reason"));
    return out;
  }
  int failed_attempts = 0;  // consecutive failed refreshes or recoveries: the back-off step
};

struct Workspace {
  explicit Workspace(std::string workspace_id, const boost::asio::any_io_executor& executor)
      : id(std::move(workspace_id)), strand(boost::asio::make_strand(executor)) {}

  std::string id;
  boost::asio::strand<boost::asio::any_io_executor> strand;
  std::map<std::string, Integration, std::less<>> integrations;  // by platform
  // Stored lifecycle events being fired, so that a redelivered copy arriving meanwhile does not
  // fire a second time.
  std::set<std::int64_t> lifecycle_events_firing;
  // What waits for the workspace's restore (this instance is taking it over): requests and steps;
  // events are left to the scan of unhandled events that follows the restore.
  std::vector<std::function<void()>> waiting_for_restore;
  // The scan of its unhandled events (scan_workspace_events): one at a time, once more if woken
  // meanwhile; the events it has handed out, so that a later scan does not act on them twice.
  bool scanning = false, scan_again = false;
  std::set<std::int64_t> events_handed_out;
  // Its live flows, parsed once per version.
  flows::DefinitionCache flow_definitions;
  // What its flows are planned against, for the threads events arrive on: the one member read
  // off the strand, under its own lock.
  PlanningSnapshotSlot planning;
};

// Every workspace the engine has seen, created on first use. The registry's lock guards the map
// only: a workspace's contents belong to its strand.
class Workspaces {
 public:
  explicit Workspaces(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}

  std::shared_ptr<Workspace> get(std::string_view id) {
    std::lock_guard lock(mutex_);
    auto it = by_id_.find(id);
    if (it == by_id_.end())
      it = by_id_.emplace(std::string(id), std::make_shared<Workspace>(std::string(id), executor_))
               .first;
    return it->second;
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return by_id_.size();
  }

  // Calls `visit` with each workspace, under the registry's lock: post work to its strand there.
  template <typename Visit>
  void for_each(Visit&& visit) {
    std::lock_guard lock(mutex_);
    for (auto& [id, ws] : by_id_) visit(ws);
  }

 private:
  const boost::asio::any_io_executor executor_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Workspace>, std::less<>> by_id_;
};

}  // namespace sparks::runtime

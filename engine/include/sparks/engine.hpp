#pragma once
// sparks::Engine — the embedding API.
//
// The host owns the io_context and its threads; the engine is handed an executor and never calls
// run(). Each workspace gets its own strand: everything about a workspace happens there, in order,
// so the domain code needs no locks. Completion callbacks are posted to the executor the engine was
// constructed with.
#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sparks {

using Clock = std::chrono::system_clock;

struct EngineOptions {
  // SQLite database file; created (with its folder) when missing.
  std::filesystem::path database = "sparks-data/sparks.db";
  // The lifecycle definition; when unset, the shipped flows/lifecycle/integration.yaml built in.
  std::optional<std::filesystem::path> lifecycle;
  // Connector plugins: every *.so in this folder is loaded at start (a bad one is refused with a
  // logged reason and the engine goes on). Unset: no plugins.
  std::optional<std::filesystem::path> plugin_dir;
  // Each platform's configuration as a JSON object text, handed to its plugin's `configure`.
  std::map<std::string, std::string> platform_config;
  // Wall clock used for stored times and `after:` deadlines; injectable for tests.
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

enum class Role { owner, admin, member };

// Who caused an event: a workspace member (with a role), or the platform / engine itself.
struct Actor {
  std::string id;                  // a member's user id, "platform", "timer", "engine"
  std::optional<Role> role;        // set for members only
  static Actor member(std::string id, Role role) { return {std::move(id), role}; }
  static Actor system(std::string id) { return {std::move(id), std::nullopt}; }
};

struct IntegrationKey {
  std::string workspace;
  std::string platform;  // "tiktok", "tiktok_shop", or a plugin's platform id
  auto operator<=>(const IntegrationKey&) const = default;
};

// The outcome of one lifecycle event, known once its effects are durable.
struct FireOutcome {
  bool handled = false;          // false: the state has no row for this event
  std::string from;              // state names
  std::string to;
  std::optional<std::string> refusal;  // e.g. "not_owner", "personal_account", "business_mismatch"
  std::string error;             // non-empty: nothing was changed (unknown event, store failure)
};

struct TransitionView {
  std::string from, to, event, actor;
  Clock::time_point at;
};

struct IssueView {
  std::string code, message, troubleshooting;
};

struct IntegrationView {
  IntegrationKey key;
  std::string state;
  std::vector<IssueView> issues;
  std::optional<Clock::time_point> deadline;  // a pending `after:` time-out
};

class Engine {
 public:
  // Opens (and migrates) the database, loads and checks the lifecycle, restores every integration
  // and re-arms pending time-outs. Throws std::runtime_error with a readable message on failure.
  Engine(boost::asio::any_io_executor executor, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Fires a lifecycle event (a name from the lifecycle YAML) at one integration. `payload` is what
  // guards and actions read (granted scopes, account, …). `done` runs once the transition and its
  // effects are committed.
  void fire(IntegrationKey key, std::string event, Actor actor, boost::json::object payload,
            std::function<void(FireOutcome)> done);

  // A snapshot of one workspace's integrations, taken on its strand.
  void integrations(std::string workspace, std::function<void(std::vector<IntegrationView>)> done);

  // The stored transition history of one integration, oldest first.
  void transitions(IntegrationKey key, std::function<void(std::vector<TransitionView>)> done);

  // Platform ids of the connector plugins that loaded.
  std::vector<std::string> platforms() const;

  // Asks the integration's connector to refresh its credentials now. How it went reaches the
  // lifecycle through the triggers the connector emits (token_refreshed, token_refresh_failed,
  // refresh_token_rejected); `done` gets an empty string, or why the call could not be made.
  void refresh_credentials(IntegrationKey key, std::function<void(std::string error)> done);

  // Cancels timers, unloads plugins and waits for queued writes; call before destroying the
  // io_context.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sparks

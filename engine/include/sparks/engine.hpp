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
#include <cstddef>
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
  // The store: a SQLite database file, created (with its folder) when missing; or a PostgreSQL URL
  // (postgresql://USER@HOST:PORT/DB) that several instances share (docs/scaling.md).
  std::filesystem::path database = "sparks-data/sparks.db";
  // The lifecycle definition; when unset, the shipped flows/lifecycle/integration.yaml built in.
  std::optional<std::filesystem::path> lifecycle;
  // Connector plugins: every *.so in this folder is loaded at start (a bad one is refused with a
  // logged reason and the engine goes on). Unset: no plugins.
  std::optional<std::filesystem::path> plugin_dir;
  // Each platform's configuration as a JSON object text, handed to its plugin's `configure`.
  std::map<std::string, std::string> platform_config;
  // Wall clock used for stored times, deadlines, token expiry and webhook health; injectable.
  std::function<Clock::time_point()> now = [] { return Clock::now(); };

  // Where the platforms send the owner back: public_url + "/oauth/{platform}/callback".
  std::string public_url = "http://127.0.0.1:8080";
  // The engine's secret (32 bytes): seals tokens at rest and signs OAuth state. Created 0600.
  std::filesystem::path key_file = "sparks-data/secret.key";
  // Tokens are refreshed this long before they expire.
  std::chrono::seconds refresh_margin{std::chrono::minutes(10)};
  // The catalog and post list are synced right after connecting and then this often.
  std::chrono::seconds sync_interval{std::chrono::minutes(15)};
  // Back-off after a failed refresh or sync: doubles from the first delay up to the cap, jittered.
  std::chrono::milliseconds retry_first_delay{1'000};
  std::chrono::milliseconds retry_max_delay{std::chrono::minutes(5)};
  // Flow triggers that arrive while their integration is paused are held, and run when it is
  // connected again if they are younger than this.
  std::chrono::seconds held_event_max_age{std::chrono::hours(24)};
  // An order is attributed to a flow's DM to the buyer sent within this window before it.
  std::chrono::seconds attribution_window{std::chrono::hours(24 * 7)};
  // How often the outbox is checked for actions that are due (retries, `wait` steps).
  std::chrono::milliseconds outbox_poll{500};

  // The workspaces as people know them, by id: each one's name and its owners' user ids. An
  // account belongs to one workspace; when another tries to connect it, the engine names the
  // workspace that has it only to an owner of that workspace — everyone else reads "another
  // Sparks workspace". A workspace missing here is never named.
  struct WorkspaceInfo {
    std::string name;
    std::vector<std::string> owners;
  };
  std::map<std::string, WorkspaceInfo> workspace_directory;

  // --- Several instances on one PostgreSQL store (docs/scaling.md); unused on SQLite ---
  // This instance's name, unique among those running (default: host name + pid).
  std::string instance_id;
  // Where the other instances reach this one's API, for the requests they forward to it
  // (default: public_url).
  std::string instance_url;
  // Each workspace is leased to one instance for this long, renewed this often: an instance that
  // dies loses its workspaces to the others within about lease_ttl + lease_renewal.
  std::chrono::milliseconds lease_ttl{5'000};
  std::chrono::milliseconds lease_renewal{1'000};
};

enum class Role { owner, admin, member };

// Who caused an event: a workspace member (with a role), or the platform / engine itself.
struct Actor {
  std::string id;            // a member's user id, "platform", "timer", "engine"
  std::optional<Role> role;  // set for members only
  static Actor member(std::string id, Role role) { return {std::move(id), role}; }
  static Actor system(std::string id) { return {std::move(id), std::nullopt}; }
};

struct IntegrationKey {
  std::string workspace;
  std::string platform;  // "tiktok", "tiktok_shop", or a plugin's platform id
  auto operator<=>(const IntegrationKey&) const = default;
};

// Why a request was refused. The HTTP API maps each kind to its status code.
enum class ErrorKind {
  invalid,       // 400: bad input (a forged or expired OAuth state, a flow that does not check)
  unauthorized,  // 401: a webhook whose signature does not verify
  forbidden,     // 403: the member's role does not allow it
  not_found,     // 404
  conflict,     // 409: not in this state (publishing a live flow, connecting while disconnected…)
  unavailable,  // 502: the platform could not be reached or refused the engine
  retry_later,  // 503: nothing was done (the store failed); the same request may be sent again
  // Another instance runs the workspace (several instances on one store): send the request to
  // Error::location instead; nothing was done here.
  elsewhere,
  internal,  // 500
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;      // machine-readable, e.g. "not_owner", "invalid_state"
  std::string message;   // one line for a person
  std::string location;  // ErrorKind::elsewhere: the base URL of the instance that runs it
};

// What the lifecycle's open_oauth_session prepared once the transition was durable: the platform's
// consent page to send the owner to, or why it could not be prepared.
struct AuthorizationStart {
  std::string authorize_url;     // empty when `problem` is set
  Clock::time_point expires_at;  // the signed OAuth state is refused after this
  std::optional<Error> problem;
};

// The outcome of one lifecycle event, known once its effects are durable.
struct FireOutcome {
  bool handled = false;  // false: the state has no row for this event
  std::string from;      // state names
  std::string to;
  std::optional<std::string> refusal;  // e.g. "not_owner", "personal_account", "business_mismatch"
  std::string error;  // non-empty: nothing was changed (unknown event, store failure)
  // Set when the transition ran open_oauth_session (and only once that finished).
  std::optional<AuthorizationStart> authorization;
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

// What every request-shaped call answers: a JSON value (the API's body), or why not.
struct Reply {
  std::optional<Error> error;
  boost::json::value value;
  static Reply ok(boost::json::value v) { return {std::nullopt, std::move(v)}; }
  static Reply fail(ErrorKind kind, std::string code, std::string message) {
    return {Error{kind, std::move(code), std::move(message)}, nullptr};
  }
};
using ReplyHandler = std::function<void(Reply)>;

// How the store answers, for GET /healthz: "ok", or why not.
struct HealthReport {
  std::string store = "ok";   // a read on the reader's connection
  std::string writer = "ok";  // an empty batch through the writer, committed
  bool ok() const { return store == "ok" && writer == "ok"; }
};

// One page of a listing (docs/http-api.md, "Pages"): at most `limit` items (1–200, else the reply
// is invalid_limit), after the place `cursor` marks — empty for the first page, else the
// `next_cursor` of the previous page's answer (one the engine did not make: invalid_cursor).
// Every listing answers its items in a stable order and `"next_cursor"`: a string, or null on the
// last page.
struct Page {
  std::size_t limit = 50;
  std::string cursor;
};

// An inbound webhook exactly as it arrived: the body's bytes are what the signature covers.
struct InboundWebhook {
  std::string method = "POST";
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string request_id;  // the HTTP request's X-Request-Id, named when the webhook is refused
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

  // --- Connecting, verifying, disconnecting (the help page) ---

  // The owner starts connecting: → {"authorize_url"}. Anyone else: forbidden ("not_owner"), or
  // the other reason the lifecycle refused with. The URL, prepared by the lifecycle's
  // open_oauth_session, carries a signed, single-use `state` (10 minutes) and a PKCE challenge.
  void connect(IntegrationKey key, Actor actor, ReplyHandler done);

  // The platform's redirect back with `code`, `scopes`, `state` (or `error`, `error_description`):
  // checks the state, exchanges the code, reads the account and fires authorization_granted (or
  // authorization_denied). → {"workspace", "platform", "state", "refusal"?, "message"}.
  // A forged, expired, reused or mismatched state: invalid, and nothing changes.
  void complete_authorization(std::string platform,
                              std::vector<std::pair<std::string, std::string>> query,
                              ReplyHandler done);

  // The owner disconnects: dependent live automations pause, the token is revoked and forgotten.
  // → {"state"}.
  void disconnect(IntegrationKey key, Actor actor, ReplyHandler done);

  // A platform's webhook: verified by its connector, each event stored in the event log (a
  // repeated event id is dropped), then acted on. → {"events", "duplicates"}; a bad signature is
  // unauthorized. `done` runs once the events are durable.
  void receive_webhook(std::string platform, InboundWebhook webhook, ReplyHandler done);

  // The workspace's integration cards (docs/http-api.md "A card"): → {"integrations": [card…]}, one
  // per installed platform, as `viewer` may read them (another workspace is named only to its
  // owners); without a viewer, as anyone may.
  void cards(std::string workspace, ReplyHandler done);
  void cards(std::string workspace, Actor viewer, ReplyHandler done);

  // The workspace's audit log, newest first: → {"entries": [{at, actor, action, platform, outcome,
  // detail}], "next_cursor"}.
  void audit_log(std::string workspace, ReplyHandler done);
  void audit_log(std::string workspace, Page page, ReplyHandler done);

  // --- Automations (flows) ---

  // Flow YAML in; the flow as JSON out ({id, name, version, status, paused_by, requires,
  // warnings}).
  void create_flow(std::string workspace, Actor actor, std::string yaml, ReplyHandler done);
  void update_flow(std::string workspace, std::string flow_id, Actor actor, std::string yaml,
                   ReplyHandler done);
  void delete_flow(std::string workspace, std::string flow_id, Actor actor, ReplyHandler done);
  void flows(std::string workspace, ReplyHandler done);  // → {"flows": [flow…], "next_cursor"}
  void flows(std::string workspace, Page page, ReplyHandler done);  // by id
  void flow(std::string workspace, std::string flow_id, ReplyHandler done);
  // What the flow did with the events it was tried on, newest first: → {"runs": [{event_id, at,
  // flow_version, trigger, user, outcome, reason, steps: [{action, status, error}]}],
  // "next_cursor"}; docs/http-api.md ("A run"). An unknown flow: not_found ("flow_not_found").
  void flow_runs(std::string workspace, std::string flow_id, Page page, ReplyHandler done);
  // A dry run of the flow (a draft too) against `sample` = {"trigger", "payload"}: which flow would
  // win among the live ones and this one, and what each step would do → {trigger, winner, matches,
  // reason, steps: [{action, would_run, reason, params}], sent: false, stored: false}. Nothing is
  // sent or stored. A sample without a known trigger: invalid ("invalid_sample").
  void test_flow(std::string workspace, std::string flow_id, boost::json::object sample,
                 ReplyHandler done);
  // draft → live; a person's pause (live → paused) and resume (paused → live).
  void publish_flow(std::string workspace, std::string flow_id, Actor actor, ReplyHandler done);
  void pause_flow(std::string workspace, std::string flow_id, Actor actor, ReplyHandler done);
  void resume_flow(std::string workspace, std::string flow_id, Actor actor, ReplyHandler done);

  // --- What was kept (each answer also has "next_cursor"; without a Page, the first page) ---
  void contacts(std::string workspace, ReplyHandler done);   // → {"contacts": […]}
  void inbox(std::string workspace, ReplyHandler done);      // → {"conversations": […]}
  void orders(std::string workspace, ReplyHandler done);     // → {"orders": […]}
  void analytics(std::string workspace, ReplyHandler done);  // → {"flows": […], "totals": {…}}
  // Contacts oldest first; conversations by latest activity, newest first; orders newest first;
  // analytics' flows by id (its totals cover every flow).
  void contacts(std::string workspace, Page page, ReplyHandler done);
  void inbox(std::string workspace, Page page, ReplyHandler done);
  void orders(std::string workspace, Page page, ReplyHandler done);
  void analytics(std::string workspace, Page page, ReplyHandler done);

  // Deletes everything the workspace has (owner only, with `confirm` equal to the workspace id).
  void close_workspace(std::string workspace, Actor actor, std::string confirm, ReplyHandler done);

  // Counters (engine-wide and by platform) and histograms in the Prometheus text format
  // (docs/production.md, "Monitoring").
  std::string metrics() const;
  // The same, followed by the gauges read from the store on the reader's connection: integrations
  // by platform and lifecycle state, the outbox's depth and its oldest due step. Without them when
  // the store cannot be read. `done` runs on the executor.
  void metrics(std::function<void(std::string)> done);

  // Checks that the store answers a read and the writer commits, each within 2 seconds; `done`
  // runs on an executor strand with what each said (HealthReport).
  void health(std::function<void(HealthReport)> done);

  // This instance's name (EngineOptions::instance_id, or the default made of host name and pid).
  const std::string& instance_id() const;

  // Cancels timers, unloads plugins and waits for queued writes; call before destroying the
  // io_context.
  void stop();

  struct Impl;  // the engine's insides (engine/src/runtime/engine_impl.hpp); opaque here

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace sparks

#pragma once
// The engine's insides, shared by the files that implement its parts, one folder a concern
// (docs/architecture.md walks the path of an event through them):
//   runtime/engine.cpp              construction, start-up and restore, workspaces
//   runtime/plugin_bridge.cpp       what the plugins reach of the engine
//   inbound/webhooks.cpp            webhooks and plugin triggers: verify, store, act
//   integrations/transitions.cpp    the lifecycle core: fire, commit with effects, time-outs
//   integrations/connect.cpp        connect, disconnect, closing, the audit log
//   integrations/oauth_callback.cpp the OAuth callback: the code exchanged, the grant fired
//   integrations/oauth_session.cpp  the lifecycle's open_oauth_session: OAuth state, PKCE, URL
//   integrations/credentials.cpp    fresh tokens: sealed, and stored with the facts they change
//   integrations/upkeep.cpp         token refresh ahead of expiry with back-off, periodic sync
//   flows/records.cpp               automation records: create, edit, publish, pause, resume
//   flows/runner.cpp                running a trigger's flows: read, plan (planner.cpp), record
//   flows/outbox.cpp                sending the steps, with retries
//   orders/orders.cpp               orders and their attribution
//   views/cards_and_metrics.cpp     cards, and what a workspace kept
//   views/metrics.cpp, health.cpp   /metrics (counters, histograms, store gauges) and /healthz
// Everything about one workspace runs on its strand; the store is reached through the one writer
// (and the reader, for listings).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "crypto/sealed_box.hpp"
#include "flows/capabilities.hpp"
#include "flows/dm_arrivals.hpp"
#include "flows/outbox_rows_in_flight.hpp"
#include "flows/planner.hpp"
#include "flows/run_reads.hpp"
#include "inbound/account_routes.hpp"
#include "inbound/arrival.hpp"
#include "integrations/transition_context.hpp"
#include "lifecycle/machine.hpp"
#include "oauth/state_token.hpp"
#include "plugins/plugin_host.hpp"
#include "runtime/ownership.hpp"
#include "runtime/plugin_bridge.hpp"
#include "runtime/workspace.hpp"
#include "sparks/engine.hpp"
#include "store/connection.hpp"
#include "store/event_log_store.hpp"
#include "store/flow_run_store.hpp"
#include "store/reader.hpp"
#include "store/writer.hpp"
#include "util/counts_by_label.hpp"
#include "util/histogram.hpp"

namespace sparks::runtime {

std::int64_t to_ms(Clock::time_point t);
Clock::time_point from_ms(std::int64_t ms);

// What a successful authorization brings along, written in the same batch as the transition it
// causes when that transition stores credentials (and dropped when the lifecycle refuses it).
struct Grant {
  std::string sealed_credentials;
  boost::json::object credentials;
  store::IntegrationFactsRow facts;
};

// Writes a grant's sealed credentials and its facts (integrations/credentials.cpp).
void store_grant(store::Transaction& tx, const Grant& grant, std::int64_t at_ms);

// What the store holds of some workspaces' integrations, read in one transaction: what a start-up
// or a takeover puts back in memory (runtime/engine.cpp).
struct StoredIntegrations {
  struct One {
    store::IntegrationRow row;
    std::vector<store::IssueRow> issues;
    std::optional<std::vector<std::uint8_t>> sealed_credentials;
  };
  std::vector<One> integrations;
  std::vector<store::IntegrationFactsRow> facts;
  std::vector<store::TimerRow> timers;
  std::vector<store::OutboxRow> in_flight;  // steps a previous run left in their platform call
};
StoredIntegrations read_stored(store::Transaction& tx, const store::Scope& scope);

// Counters and histograms for /metrics (views/metrics.cpp writes them out; docs/production.md,
// "Monitoring", lists them). The counters count by platform as well.
struct Metrics {
  util::CountsByLabel transitions, refusals;
  util::CountsByLabel webhooks_accepted, webhooks_rejected, events_stored, events_duplicate,
      events_unrouted, events_planned_on_arrival;
  util::CountsByLabel refreshes_ok, refreshes_failed, syncs_ok, syncs_failed;
  util::CountsByLabel connects_started, authorizations_completed;
  util::HistogramFamily webhook_to_dm{
      "sparks_webhook_to_dm_seconds",
      "From a webhook's arrival to the platform accepting the DM its flow sent",
      {"platform"}};
  util::HistogramFamily platform_calls{"sparks_platform_call_seconds",
                                       "Connector calls the engine made, until they answered",
                                       {"platform", "call"}};
};

}  // namespace sparks::runtime

namespace sparks {

using FireDone = std::function<void(FireOutcome)>;

struct Engine::Impl : std::enable_shared_from_this<Impl> {
  Impl(boost::asio::any_io_executor host_executor, EngineOptions engine_options);

  boost::asio::any_io_executor executor;
  EngineOptions options;
  // Which workspaces this instance runs (all of them unless the store is shared).
  runtime::Ownership ownership;
  const lifecycle::Machine machine;
  store::Writer writer;  // the one writer connection, on its own thread
  store::Reader reader;  // the API's listings, on their own connection and thread
  crypto::SealedBox secrets;
  oauth::StateSigner state_signer;
  runtime::PluginBridge plugin_bridge;  // what the plugins reach of the engine
  std::unique_ptr<plugins::PluginHost> plugin_host;
  // What flows can use, from the loaded plugins' descriptors; set once, by load_plugins, and only
  // read afterwards (writer batches hold it too).
  std::shared_ptr<const flows::Capabilities> capabilities;
  // What the trigger `name` is, as its plugin declares (other when no plugin declares it).
  flows::TriggerKind trigger_kind(std::string_view name) const {
    return flows::trigger_kind_of(*capabilities, name);
  }
  runtime::Metrics metrics;
  std::atomic<bool> stopped{false};

  runtime::Workspaces workspaces;

  inbound::AccountRoutes account_routes;  // (platform, account id) → workspace

  using WorkspacePtr = std::shared_ptr<runtime::Workspace>;

  WorkspacePtr workspace(std::string_view id);
  runtime::Integration& integration(runtime::Workspace& ws, std::string_view platform);
  plugins::LoadedPlugin* plugin(std::string_view platform) const;
  // The platform as people know it, from its plugin's descriptor ("TikTok"); the id without one.
  std::string platform_name(std::string_view platform) const;

  template <typename Result>
  void complete(std::function<void(Result)> done, Result result) {
    if (done)
      boost::asio::post(executor, [done = std::move(done), r = std::move(result)]() mutable {
        done(std::move(r));
      });
  }
  void reply(ReplyHandler done, Reply r) { complete(std::move(done), std::move(r)); }
  using Query = std::function<boost::json::value(store::Transaction&)>;
  // Runs `query` on the writer's connection (after every write queued before it) and replies.
  void read(Query query, ReplyHandler done);
  // Runs `query` on the reader's connection: it sees what was committed before it started, and a
  // long listing does not hold up the writer.
  void list(Query query, ReplyHandler done);

  // --- runtime/engine.cpp and integrations/transitions.cpp ---
  // Puts stored integrations back in memory. `running`: this instance runs them (their time-outs
  // are armed, their accounts routed here); else `into` receives a snapshot to read.
  void restore(runtime::StoredIntegrations stored, bool running,
               runtime::Workspace* into = nullptr);
  // A restored workspace's upkeep: refresh (a paused one its recovery) and a first sync.
  void start_upkeep(const WorkspacePtr& ws);
  void load_plugins();
  std::string plugin_configuration(const std::string& platform) const;
  // `from_event`: the stored event that fired it, marked handled with the transition.
  void fire_on_strand(const WorkspacePtr& ws, IntegrationKey key, std::string event, Actor actor,
                      boost::json::object payload, FireDone done,
                      std::optional<runtime::Grant> grant = std::nullopt,
                      std::optional<std::int64_t> from_event = std::nullopt);
  void on_committed(const WorkspacePtr& ws, const IntegrationKey& key, const Actor& actor,
                    lifecycle::Instance before, std::optional<Clock::time_point> deadline,
                    const lifecycle::FireResult& result, const runtime::Effects& effects,
                    std::optional<runtime::Grant> grant, FireOutcome outcome, FireDone done,
                    std::exception_ptr error);
  void settle_grant(runtime::Integration& in, runtime::Grant grant);
  void arm_lifecycle_timer(const WorkspacePtr& ws, runtime::Integration& in,
                           Clock::time_point deadline);
  void save_facts(const WorkspacePtr& ws, const runtime::Integration& in);
  // What the integration's current state means (lifecycle/meaning.hpp).
  bool is_live(const runtime::Integration& in) const;         // live
  bool has_connection(const runtime::Integration& in) const;  // keeps_credentials
  bool holds_events(const runtime::Integration& in) const;    // holds_events
  // The integration holds its account: no other workspace may connect it (docs/lifecycle.md). It
  // does from the grant that stores its credentials until they are cleared (Disconnect), also
  // while it reconnects from a state that kept them.
  bool holds_account(const runtime::Integration& in) const;
  // The installed platforms whose integration in `ws` cannot serve automations now: a flow that
  // needs one of them does not run (published, it waits paused on its behalf).
  std::vector<std::string> platforms_down(runtime::Workspace& ws);

  // --- runtime/leases.cpp: several instances on one store (docs/scaling.md) ---
  std::unique_ptr<store::Writer> lease_writer;  // the leases' own connection and thread
  std::unique_ptr<boost::asio::steady_timer> lease_timer;
  std::unique_ptr<store::Listener> listener;
  static runtime::Ownership make_ownership(EngineOptions& options);
  // What this instance runs, as a store scope.
  store::Scope running_scope() const;
  void take_first_leases();
  void start_leasing();
  void arm_lease_timer();
  void keep_leases();
  void take_over(const std::string& workspace_id, std::int64_t fence,
                 std::function<void()> then = nullptr);
  void let_go(const std::string& workspace_id, std::string_view why);
  // On the workspace's strand: runs `work` now where this instance runs the workspace, or once it
  // is restored where it is taking it over; false, and nothing run, where it does not hold it.
  bool run_when_restored(const WorkspacePtr& ws, std::function<void()> work);
  void clear_workspace(runtime::Workspace& ws);
  void on_woken(std::string workspace_id);
  void where_it_runs(const std::string& workspace_id, ReplyHandler done,
                     std::function<void(const WorkspacePtr&, ReplyHandler)> work);
  store::Writer::Batch fenced(const std::string& workspace_id, store::Writer::Batch batch) const;

  // --- integrations/connect.cpp ---
  void audit(const std::string& workspace, const Actor& actor, std::string action,
             std::optional<std::string> platform, std::string outcome, std::string detail = {});
  // The work a committed transition's actions asked for; `done` hears the outcome once the part
  // that answers (open_oauth_session) has finished.
  void run_follow_ups(const WorkspacePtr& ws, runtime::Integration& in, const Actor& actor,
                      const runtime::Effects& effects, const lifecycle::FireResult& result,
                      FireOutcome outcome, FireDone done);
  // --- integrations/oauth_session.cpp ---
  // open_oauth_session: a signed, single-use state and a PKCE verifier sealed at rest, the
  // session stored, then the connector's authorize URL. A coroutine for `ws`'s strand; `self`
  // keeps the engine alive while it runs.
  static boost::asio::awaitable<AuthorizationStart> open_oauth_session(std::shared_ptr<Impl> self,
                                                                       WorkspacePtr ws,
                                                                       IntegrationKey key,
                                                                       Actor actor);
  void revoke_at_platform(const WorkspacePtr& ws, runtime::Integration& in);
  // A reconnect is in progress: the integration is live and waits for the callback of the OAuth
  // session Connect opened there (docs/lifecycle.md, "Reconnecting").
  bool reauthorizing(const runtime::Integration& in) const;
  // --- integrations/credentials.cpp ---
  // Fresh `credentials` for `key`, sealed, with `facts` updated for them (the token's expiry).
  runtime::Grant seal_grant(const IntegrationKey& key, boost::json::object credentials,
                            store::IntegrationFactsRow facts) const;

  // --- integrations/upkeep.cpp ---
  using UpkeepStep = void (Impl::*)(const WorkspacePtr&, runtime::Integration&);
  void arm_upkeep(const WorkspacePtr& ws, runtime::Integration& in,
                  runtime::StrandTimer runtime::Integration::*timer,
                  std::chrono::milliseconds delay, UpkeepStep step);
  void refresh_when_due(const WorkspacePtr& ws, runtime::Integration& in);
  void schedule_refresh(const WorkspacePtr& ws, runtime::Integration& in);
  void refresh_now(const WorkspacePtr& ws, runtime::Integration& in,
                   std::function<void(std::string)> done = nullptr);
  void schedule_retry(const WorkspacePtr& ws, runtime::Integration& in);
  void sync_now(const WorkspacePtr& ws, runtime::Integration& in);
  void schedule_sync(const WorkspacePtr& ws, runtime::Integration& in,
                     std::chrono::milliseconds delay);
  void stop_upkeep(runtime::Integration& in);

  // --- flows/runner.cpp, flows/outbox.cpp, orders/orders.cpp ---
  flows::OutboxRowsInFlight outbox_in_flight;
  flows::DmArrivals dm_arrivals;  // when the webhooks behind the DMs on their way arrived
  std::unique_ptr<boost::asio::steady_timer> outbox_timer;  // on its own strand
  // Runs the event's flows from what was read for them (read first when `reads` is absent);
  // `facts`, when given, are stored in the same batch as the run.
  void run_flows(const WorkspacePtr& ws, store::EventRow row, boost::json::object payload,
                 std::optional<flows::RunReads> reads = std::nullopt,
                 std::optional<store::IntegrationFactsRow> facts = std::nullopt);
  // What each installed platform's integration in `ws` can do now, for the planner.
  std::map<std::string, flows::PlatformFacts, std::less<>> platform_facts(runtime::Workspace& ws);
  // `arrived_at_ms`: when the event arrived, for the DMs' sparks_webhook_to_dm_seconds.
  void record_plan(const WorkspacePtr& ws, flows::Plan plan, std::int64_t arrived_at_ms,
                   std::optional<store::IntegrationFactsRow> facts);
  // Writes `plan` (its event is marked handled by the caller); the steps it enqueued (a replayed
  // event's were enqueued before: none), those due now as in flight.
  static std::vector<store::OutboxRow> write_plan(store::Transaction& tx, const flows::Plan& plan,
                                                  std::int64_t now_ms);
  // The short path (runtime/planning_snapshot.hpp): the plan of an arriving event that no flow
  // takes, made on the thread it arrived on, when its workspace's snapshot decides it; else
  // nullopt and the event takes the full path.
  std::optional<flows::Plan> plan_on_arrival(const inbound::Arrival& arrival);
  // Publishes what the strand's run of the flows just read (`rows`, read after `generation`).
  void publish_planning(runtime::Workspace& ws, std::uint64_t generation,
                        const std::vector<store::LiveFlowRow>& rows);
  void start_outbox();
  void dispatch_outbox();
  // Executes the row on its workspace's strand unless it is already being executed.
  void execute_when_free(const WorkspacePtr& ws, store::OutboxRow row);
  void execute_outbox_row(const WorkspacePtr& ws, store::OutboxRow row);
  using StoreStep = std::function<void(store::Transaction&)>;
  void record_outcome(const WorkspacePtr& ws, const store::OutboxRow& row, std::string status,
                      std::optional<std::string> error, std::int64_t attempts, std::int64_t due,
                      StoreStep also);
  void settle_steps_left_in_flight(std::vector<store::OutboxRow> rows);
  void settle_interrupted(const WorkspacePtr& ws, store::OutboxRow row, int checks = 0);
  void record_unknown(const WorkspacePtr& ws, const store::OutboxRow& row,
                      const std::string& reason);
  void on_action_done(const WorkspacePtr& ws, const store::OutboxRow& row,
                      const boost::json::value& params, sparks_status_t status, std::string result);
  void replay_held(const WorkspacePtr& ws, const std::string& platform);
  void receive_order(const WorkspacePtr& ws, store::EventRow row, boost::json::object payload);

  // --- inbound/webhooks.cpp ---
  struct IngestCounts {
    std::size_t stored = 0;    // new events
    std::size_t unrouted = 0;  // no workspace holds their account
  };
  // `done` hears what was stored, or nothing when the events could not be stored.
  void ingest_events(std::vector<inbound::Arrival> arrivals,
                     std::function<void(std::optional<IngestCounts>)> done);
  void act_on_event_on_strand(inbound::Arrival arrival);
  void act_on_event(const WorkspacePtr& ws, inbound::Arrival arrival);
  void mark_handled(const WorkspacePtr& ws, std::int64_t event_id);
  void process_unhandled_events(std::int64_t after_id, store::Scope scope);
  // The workspace's unhandled events, each acted on once here (the holder was woken for them, or
  // has just taken the workspace over). On its strand.
  void scan_workspace_events(const WorkspacePtr& ws);
};

}  // namespace sparks

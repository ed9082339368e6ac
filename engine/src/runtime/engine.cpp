// sparks::Engine: the lifecycle runtime. An event is fired on its workspace's strand, the compiled
// machine moves the integration's Instance, and the transition with every effect its actions
// recorded goes to the store writer as one batch; the caller hears back once it is committed.
#include "sparks/engine.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <mutex>
#include <stdexcept>

#include "lifecycle/loader.hpp"
#include "lifecycle/machine.hpp"
#include "runtime/lifecycle_bindings.hpp"
#include "runtime/transition_context.hpp"
#include "runtime/workspace.hpp"
#include "store/database.hpp"
#include "plugins/host_bridge.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_host.hpp"
#include "store/credential_store.hpp"
#include "store/event_log_store.hpp"
#include "store/lifecycle_store.hpp"
#include "store/writer.hpp"
#include "crypto/random.hpp"
#include "util/resources.hpp"

namespace sparks {

namespace {

constexpr std::string_view kBuiltInLifecycle = "flows/lifecycle/integration.yaml";

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
Clock::time_point from_ms(std::int64_t ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

lifecycle::Machine load_machine(const std::optional<std::filesystem::path>& path) {
  lifecycle::LoadResult loaded;
  if (path) {
    loaded = lifecycle::load_lifecycle_file(*path, runtime::lifecycle_registry());
  } else {
    auto text = resources::find(kBuiltInLifecycle);
    if (!text) throw std::logic_error("the built-in lifecycle is missing from this build");
    loaded = lifecycle::load_lifecycle(std::string(kBuiltInLifecycle), *text,
                                       runtime::lifecycle_registry());
  }
  if (!loaded.definition) {
    std::string message = "the lifecycle definition has errors:";
    for (const auto& d : loaded.diagnostics) message += "\n  " + d.to_string();
    throw std::runtime_error(message);
  }
  return lifecycle::Machine::compile(*loaded.definition, runtime::lifecycle_registry());
}

}  // namespace

// The engine is also the plugins' host bridge: their triggers enter its event path, their storage
// is its store, and their callbacks run on the strand of the workspace they concern (a plugin's
// "integration" string is the workspace id).
struct Engine::Impl : std::enable_shared_from_this<Impl>, plugins::PluginHostBridge {
  Impl(boost::asio::any_io_executor host_executor, EngineOptions engine_options)
      : executor(std::move(host_executor)),
        options(std::move(engine_options)),
        machine(load_machine(options.lifecycle)),
        database(options.database),
        writer(store::Database(options.database)) {}

  boost::asio::any_io_executor executor;
  EngineOptions options;
  const lifecycle::Machine machine;
  store::Database database;  // migrated at open; used for reads while starting
  store::Writer writer;      // the one writer connection, on its own thread
  std::unique_ptr<plugins::PluginHost> plugin_host;
  std::mutex kv_mutex;  // guards kv_cache and `database`, which serves the plugins' reads
  std::map<std::string, std::optional<std::string>> kv_cache;

  std::mutex workspaces_mutex;  // guards the map only; a workspace's contents belong to its strand
  std::map<std::string, std::shared_ptr<runtime::Workspace>, std::less<>> workspaces;

  std::shared_ptr<runtime::Workspace> workspace(std::string_view id) {
    std::lock_guard lock(workspaces_mutex);
    auto it = workspaces.find(id);
    if (it == workspaces.end())
      it = workspaces.emplace(std::string(id), std::make_shared<runtime::Workspace>(std::string(id), executor))
               .first;
    return it->second;
  }

  runtime::Integration& integration(runtime::Workspace& ws, std::string_view platform) {
    auto it = ws.integrations.find(platform);
    if (it == ws.integrations.end()) {
      runtime::Integration fresh;
      fresh.key = {ws.id, std::string(platform)};
      fresh.machine = machine.start();
      it = ws.integrations.emplace(std::string(platform), std::move(fresh)).first;
    }
    return it->second;
  }

  template <typename Result>
  void complete(std::function<void(Result)> done, Result result) {
    if (done) boost::asio::post(executor, [done = std::move(done), r = std::move(result)]() mutable {
      done(std::move(r));
    });
  }

  // Restores integrations, their issues and their pending time-outs from the store.
  void restore() {
    auto& db = database.connection();
    for (const auto& row : store::load_integrations(db)) {
      auto state = machine.state_id(row.state);
      auto previous = machine.state_id(row.previous_state);
      auto before_previous = machine.state_id(row.before_previous_state);
      if (!state || !previous || !before_previous)
        throw std::runtime_error("integration " + row.workspace_id + "/" + row.platform +
                                 " is stored in state '" + row.state + "' (previous '" +
                                 row.previous_state + "', '" + row.before_previous_state +
                                 "'), which lifecycle '" + machine.name() +
                                 "' does not define; restore the lifecycle file that wrote it");
      auto ws = workspace(row.workspace_id);
      auto& in = integration(*ws, row.platform);
      in.machine = {*state, *previous, *before_previous};
      for (auto& issue : store::load_issues(db, row.workspace_id, row.platform))
        in.issues.push_back({issue.code, issue.message, issue.troubleshooting});
    }
    for (const auto& timer : store::load_timers(db)) {
      auto ws = workspace(timer.workspace_id);
      auto& in = integration(*ws, timer.platform);
      if (machine.state_name(in.machine.state) != timer.state) continue;  // stale row
      arm_timer(ws, in, from_ms(timer.deadline_ms));
    }
  }


  // --- plugins ---

  void load_plugins() {
    plugin_host = std::make_unique<plugins::PluginHost>(executor, *this);
    if (!options.plugin_dir) return;
    for (const auto& report : plugin_host->load_directory(*options.plugin_dir)) {
      if (!report.loaded()) continue;  // the host logged the reason
      auto* plugin = plugin_host->find(report.platform);
      auto config = options.platform_config.find(report.platform);
      std::string error;
      if (!plugin->configure(config == options.platform_config.end() ? "{}" : config->second, error))
        spdlog::error("plugin {} ({}): configuration refused: {}", report.platform,
                      report.path.string(), error);
    }
  }

  boost::asio::any_io_executor executor_for(std::string_view, std::string_view integration) override {
    return workspace(integration)->strand;
  }

  bool emit_trigger(std::string_view platform, std::string_view integration,
                    std::string_view trigger, std::string_view payload_json) override {
    ingest_event(store::EventRow{std::string(integration), std::string(platform), "plugin",
                                 crypto::base64url_encode(crypto::random_bytes(12)),
                                 std::string(trigger), std::string(payload_json),
                                 to_ms(options.now())});
    return true;
  }

  // Plugin storage: writes go through the one writer like everything else; a cache in front of it
  // lets a read that follows a write see it before the write has committed.
  std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                    std::string_view key) override {
    std::lock_guard lock(kv_mutex);
    auto [it, fresh] = kv_cache.try_emplace(kv_key(platform, integration, key));
    if (fresh) it->second = store::kv_get(database.connection(), platform, integration, key);
    return it->second;
  }
  bool kv_put(std::string_view platform, std::string_view integration, std::string_view key,
              std::string_view value) override {
    kv_write(platform, integration, key, std::string(value));
    return true;
  }
  bool kv_delete(std::string_view platform, std::string_view integration,
                 std::string_view key) override {
    kv_write(platform, integration, key, std::nullopt);
    return true;
  }

  static std::string kv_key(std::string_view platform, std::string_view integration,
                            std::string_view key) {
    return std::string(platform) + '\0' + std::string(integration) + '\0' + std::string(key);
  }
  void kv_write(std::string_view platform, std::string_view integration, std::string_view key,
                std::optional<std::string> value) {
    {
      std::lock_guard lock(kv_mutex);
      kv_cache[kv_key(platform, integration, key)] = value;
    }
    writer.submit(
        [p = std::string(platform), i = std::string(integration), k = std::string(key),
         value](SQLite::Database& db) {
          if (value) store::kv_put(db, p, i, k, *value);
          else store::kv_delete(db, p, i, k);
        },
        [p = std::string(platform)](std::exception_ptr error) {
          if (error) spdlog::error("plugin {}: its key-value write was not stored", p);
        });
  }

  // Every inbound event — a verified webhook's or a plugin's trigger — is stored first (a repeated
  // dedupe key is dropped there); only then does a lifecycle event move the integration.
  void ingest_event(store::EventRow row) {
    auto ws = workspace(row.workspace_id);
    auto inserted = std::make_shared<bool>(false);
    writer.submit([row, inserted](SQLite::Database& db) { *inserted = store::append_event(db, row); },
                  ws->strand,
                  [weak = weak_from_this(), ws, row, inserted](std::exception_ptr error) {
                    auto self = weak.lock();
                    if (!self || error || !*inserted) return;
                    if (!self->machine.event_id(row.kind)) return;  // a flow trigger: kept for flows
                    boost::system::error_code ec;
                    auto payload = boost::json::parse(row.payload, ec);
                    self->fire_on_strand(ws, {row.workspace_id, row.platform}, row.kind,
                                         Actor::system(row.source + ":" + row.platform),
                                         payload.is_object() ? payload.get_object() : boost::json::object{},
                                         nullptr);
                  });
  }

  void arm_timer(const std::shared_ptr<runtime::Workspace>& ws, runtime::Integration& in,
                 Clock::time_point deadline) {
    in.deadline = deadline;
    if (!in.timer) in.timer = std::make_unique<boost::asio::system_timer>(ws->strand);
    in.timer->expires_at(deadline);
    const auto generation = ++in.timer_generation;
    in.timer->async_wait([self = shared_from_this(), ws, platform = in.key.platform,
                          generation](boost::system::error_code ec) {
      if (ec) return;
      auto& in = self->integration(*ws, platform);
      if (in.timer_generation != generation) return;  // re-armed or cancelled meanwhile
      in.deadline.reset();
      self->fire_on_strand(ws, in.key, std::string(self->machine.event_name(self->machine.timeout_event())),
                           Actor::system("timer"), {}, nullptr);
    });
  }

  void cancel_timer(runtime::Integration& in) {
    ++in.timer_generation;
    in.deadline.reset();
    if (in.timer) in.timer->cancel();
  }

  void fire_on_strand(const std::shared_ptr<runtime::Workspace>& ws, IntegrationKey key,
                      std::string event, Actor actor, boost::json::object payload,
                      std::function<void(FireOutcome)> done) {
    auto event_id = machine.event_id(event);
    if (!event_id)
      return complete(std::move(done),
                      FireOutcome{.error = "lifecycle '" + machine.name() + "' has no event '" + event + "'"});

    auto& in = integration(*ws, key.platform);
    const lifecycle::Instance before = in.machine;
    runtime::TransitionContext context{key, actor, payload, {}};
    const auto result = machine.fire(in.machine, *event_id, &context);
    FireOutcome outcome{.handled = result.handled,
                        .from = std::string(machine.state_name(result.from)),
                        .to = std::string(machine.state_name(result.to)),
                        .refusal = context.effects.refusal};
    if (!result.handled) return complete(std::move(done), std::move(outcome));

    const auto now = options.now();
    std::optional<Clock::time_point> deadline = in.deadline;
    if (result.entered) {
      deadline.reset();
      if (auto timeout = machine.timeout_of(result.to)) deadline = now + *timeout;
    }

    store::IntegrationRow row{key.workspace,
                              key.platform,
                              outcome.to,
                              std::string(machine.state_name(in.machine.previous)),
                              std::string(machine.state_name(in.machine.before_previous)),
                              std::nullopt,
                              to_ms(now)};
    store::TransitionRow transition{key.workspace, key.platform, outcome.from, outcome.to, event,
                                    actor.id, to_ms(now)};
    auto effects = context.effects;
    auto batch = [row, transition, effects, entered = result.entered, deadline](SQLite::Database& db) {
      store::save_integration(db, row);
      store::append_transition(db, transition);
      if (entered) {
        store::clear_timer(db, row.workspace_id, row.platform);
        if (deadline)
          store::set_timer(db, {row.workspace_id, row.platform, row.state, to_ms(*deadline)});
      }
      for (const auto& code : effects.clear) store::clear_issue(db, row.workspace_id, row.platform, code);
      for (const auto& issue : effects.raise)
        store::raise_issue(db, row.workspace_id, row.platform,
                           {issue.code, issue.message, issue.troubleshooting, transition.at_ms});
      if (effects.pause_dependents)
        store::pause_dependent_automations(db, row.workspace_id, row.platform);
      if (effects.resume_dependents)
        store::resume_automations_paused_by(db, row.workspace_id, row.platform);
      if (effects.clear_credentials) store::clear_credentials(db, row.workspace_id, row.platform);
    };

    // The completion holds the engine weakly: its copies die on the writer thread, which must
    // never be the one to destroy the engine (and with it the writer).
    writer.submit(std::move(batch), ws->strand,
                  [weak = weak_from_this(), ws, key, before, deadline, entered = result.entered,
                   effects = std::move(effects), outcome = std::move(outcome),
                   done = std::move(done)](std::exception_ptr error) mutable {
                    if (auto self = weak.lock())
                      self->on_committed(ws, key, before, deadline, entered, effects,
                                         std::move(outcome), std::move(done), error);
                  });
  }

  void on_committed(const std::shared_ptr<runtime::Workspace>& ws, const IntegrationKey& key,
                    lifecycle::Instance before, std::optional<Clock::time_point> deadline,
                    bool entered, const runtime::Effects& effects, FireOutcome outcome,
                    std::function<void(FireOutcome)> done, std::exception_ptr error) {
    auto& in = integration(*ws, key.platform);
    if (error) {
      // Nothing was written: put the machine back where the store says it is.
      in.machine = before;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        outcome.error = std::string("could not store the transition: ") + e.what();
      }
      spdlog::error("{}/{}: {}", key.workspace, key.platform, outcome.error);
      return complete(std::move(done), std::move(outcome));
    }

    for (const auto& code : effects.clear)
      std::erase_if(in.issues, [&](const IssueView& i) { return i.code == code; });
    for (const auto& issue : effects.raise) {
      std::erase_if(in.issues, [&](const IssueView& i) { return i.code == issue.code; });
      in.issues.push_back({issue.code, issue.message, issue.troubleshooting});
    }
    if (entered) {
      cancel_timer(in);
      if (deadline) arm_timer(ws, in, *deadline);
    }
    spdlog::info("{}/{}: {} → {}{}", key.workspace, key.platform, outcome.from, outcome.to,
                 outcome.refusal ? " (refused: " + *outcome.refusal + ")" : std::string());
    for (auto follow_up : effects.follow_ups)
      spdlog::debug("{}/{}: follow-up {}", key.workspace, key.platform,
                    runtime::follow_up_name(follow_up));
    complete(std::move(done), std::move(outcome));
  }
};

Engine::Engine(boost::asio::any_io_executor executor, EngineOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {
  impl_->restore();
  impl_->load_plugins();
}

Engine::~Engine() { stop(); }

void Engine::fire(IntegrationKey key, std::string event, Actor actor, boost::json::object payload,
                  std::function<void(FireOutcome)> done) {
  auto ws = impl_->workspace(key.workspace);
  boost::asio::post(ws->strand, [impl = impl_, ws, key = std::move(key), event = std::move(event),
                                 actor = std::move(actor), payload = std::move(payload),
                                 done = std::move(done)]() mutable {
    impl->fire_on_strand(ws, std::move(key), std::move(event), std::move(actor), std::move(payload),
                         std::move(done));
  });
}

void Engine::integrations(std::string workspace,
                          std::function<void(std::vector<IntegrationView>)> done) {
  auto ws = impl_->workspace(workspace);
  boost::asio::post(ws->strand, [impl = impl_, ws, done = std::move(done)]() mutable {
    std::vector<IntegrationView> views;
    for (const auto& [platform, in] : ws->integrations)
      views.push_back({in.key, std::string(impl->machine.state_name(in.machine.state)), in.issues,
                       in.deadline});
    impl->complete(std::move(done), std::move(views));
  });
}

void Engine::transitions(IntegrationKey key,
                         std::function<void(std::vector<TransitionView>)> done) {
  // Reads go through the writer's queue too: they see every transition fired before them, and
  // the executor's threads never wait on SQLite.
  auto rows = std::make_shared<std::vector<store::TransitionRow>>();
  impl_->writer.submit(
      [rows, key](SQLite::Database& db) {
        *rows = store::load_transitions(db, key.workspace, key.platform);
      },
      impl_->executor,
      [rows, done = std::move(done)](std::exception_ptr) mutable {
        std::vector<TransitionView> views;
        for (auto& r : *rows)
          views.push_back({r.from_state, r.to_state, r.event, r.actor, from_ms(r.at_ms)});
        if (done) done(std::move(views));
      });
}

std::vector<std::string> Engine::platforms() const {
  std::vector<std::string> out;
  for (auto* plugin : impl_->plugin_host->plugins()) out.push_back(plugin->platform());
  return out;
}

void Engine::refresh_credentials(IntegrationKey key, std::function<void(std::string)> done) {
  auto ws = impl_->workspace(key.workspace);
  boost::asio::post(ws->strand, [impl = impl_, key, done = std::move(done)]() mutable {
    auto* plugin = impl->plugin_host->find(key.platform);
    if (!plugin)
      return impl->complete(std::move(done), "no connector plugin for platform '" + key.platform + "'");
    plugin->call(plugins::Operation::refresh_token, key.workspace, R"({"credentials":{}})",
                 [impl, done = std::move(done)](sparks_status_t status, std::string result) mutable {
                   impl->complete(std::move(done), status == SPARKS_OK ? std::string() : result);
                 });
  });
}

void Engine::stop() {
  if (!impl_) return;
  if (impl_->plugin_host) impl_->plugin_host->unload_all();
  impl_->writer.flush();
  std::lock_guard lock(impl_->workspaces_mutex);
  for (auto& [id, ws] : impl_->workspaces)
    boost::asio::post(ws->strand, [impl = impl_, ws = ws] {
      for (auto& [platform, in] : ws->integrations) impl->cancel_timer(in);
    });
}

}  // namespace sparks

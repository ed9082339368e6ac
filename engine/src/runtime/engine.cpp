// sparks::Engine: construction and start-up (the store opened, the lifecycle compiled, what was
// stored restored, the plugins loaded), the workspaces and their strands, and the public calls that
// belong to no other part. The lifecycle core is integrations/transitions.cpp.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "crypto/random.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/backoff.hpp"
#include "runtime/engine_impl.hpp"
#include "util/resources.hpp"

namespace sparks {

namespace runtime {

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
Clock::time_point from_ms(std::int64_t ms) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace runtime

using runtime::from_ms;
using runtime::to_ms;

namespace {

constexpr std::string_view kBuiltInLifecycle = "flows/lifecycle/integration.yaml";

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

Engine::Impl::Impl(boost::asio::any_io_executor host_executor, EngineOptions engine_options)
    : executor(std::move(host_executor)),
      options(std::move(engine_options)),
      ownership(make_ownership(options)),
      machine(load_machine(options.lifecycle)),
      writer(store::open(options.database)),  // the first connection migrates the store
      reader(store::open(options.database)),
      secrets(crypto::SealedBox::from_key_file(options.key_file)),
      state_signer(secrets.derive("oauth-state")),
      plugin_bridge(store::open(options.database), writer,
                    {.strand_of = [this](std::string_view ws) -> boost::asio::any_io_executor {
                       return workspace(ws)->strand;
                     },
                     .receive =
                         [this](store::EventRow event) {
                           std::vector<inbound::Arrival> one;
                           one.push_back({std::move(event)});
                           ingest_events(std::move(one), nullptr);
                         },
                     .now_ms = [this] { return to_ms(options.now()); }}),
      workspaces(executor) {}

std::shared_ptr<runtime::Workspace> Engine::Impl::workspace(std::string_view id) {
  return workspaces.get(id);
}

runtime::Integration& Engine::Impl::integration(runtime::Workspace& ws, std::string_view platform) {
  auto it = ws.integrations.find(platform);
  if (it == ws.integrations.end()) {
    it = ws.integrations.try_emplace(std::string(platform)).first;
    it->second.key = {ws.id, std::string(platform)};
    it->second.machine = machine.start();
    it->second.facts.workspace_id = ws.id;
    it->second.facts.platform = std::string(platform);
  }
  return it->second;
}

plugins::LoadedPlugin* Engine::Impl::plugin(std::string_view platform) const {
  return plugin_host ? plugin_host->find(platform) : nullptr;
}

std::string Engine::Impl::platform_name(std::string_view platform) const {
  const auto* connector = plugin(platform);
  return connector ? connector->descriptor().display_name : std::string(platform);
}

bool Engine::Impl::is_live(const runtime::Integration& in) const {
  return machine.means(in.machine.state, lifecycle::Meaning::live);
}

std::vector<std::string> Engine::Impl::platforms_down(runtime::Workspace& ws) {
  std::vector<std::string> down;
  for (auto* connector : plugin_host->plugins())
    if (!is_live(integration(ws, connector->platform()))) down.push_back(connector->platform());
  return down;
}

bool Engine::Impl::has_connection(const runtime::Integration& in) const {
  return machine.means(in.machine.state, lifecycle::Meaning::keeps_credentials);
}

bool Engine::Impl::holds_account(const runtime::Integration& in) const {
  return has_connection(in) || in.credentials.has_value();
}

bool Engine::Impl::holds_events(const runtime::Integration& in) const {
  return machine.means(in.machine.state, lifecycle::Meaning::holds_events);
}

namespace {

// Runs `query` where `submit` sends it and replies with its value, or with the store's error.
template <typename Submit>
void reply_with(Submit submit, Engine::Impl::Query query, ReplyHandler done) {
  auto result = std::make_shared<boost::json::value>();
  submit([query = std::move(query), result](store::Transaction& tx) { *result = query(tx); },
         [result, done = std::move(done)](std::exception_ptr error) {
           if (!done) return;
           if (!error) return done(Reply::ok(std::move(*result)));
           try {
             std::rethrow_exception(error);
           } catch (const std::exception& e) {
             done(Reply::fail(ErrorKind::internal, "store", e.what()));
           }
         });
}

}  // namespace

// Reads that must see every write queued before them go through the writer's queue; the
// executor's threads never wait on the store either way.
void Engine::Impl::read(Query query, ReplyHandler done) {
  reply_with(
      [this](auto batch, auto completion) {
        writer.submit(std::move(batch), executor, std::move(completion));
      },
      std::move(query), std::move(done));
}

void Engine::Impl::list(Query query, ReplyHandler done) {
  reply_with(
      [this](auto batch, auto completion) {
        reader.submit(std::move(batch), executor, std::move(completion));
      },
      std::move(query), std::move(done));
}

namespace runtime {

StoredIntegrations read_stored(store::Transaction& tx, const store::Scope& scope) {
  StoredIntegrations stored;
  for (auto& row : tx.load_integrations(scope)) {
    auto issues = tx.load_issues(row.workspace_id, row.platform);
    auto sealed = tx.load_credentials(row.workspace_id, row.platform);
    stored.integrations.push_back({std::move(row), std::move(issues), std::move(sealed)});
  }
  stored.facts = tx.load_facts(scope);
  stored.timers = tx.load_timers(scope);
  stored.in_flight = tx.outbox_in_flight(scope);
  return stored;
}

}  // namespace runtime

// Puts integrations, their issues, facts, credentials and pending time-outs back in memory.
void Engine::Impl::restore(runtime::StoredIntegrations stored, bool running,
                           runtime::Workspace* into) {
  std::vector<WorkspacePtr> held;  // keeps each workspace alive while it is filled
  auto workspace_of = [&](const std::string& id) -> runtime::Workspace& {
    if (into) return *into;
    held.push_back(workspace(id));
    return *held.back();
  };
  for (auto& [row, issues, sealed] : stored.integrations) {
    auto state = machine.state_id(row.state);
    auto previous = machine.state_id(row.previous_state);
    auto before_previous = machine.state_id(row.before_previous_state);
    if (!state || !previous || !before_previous)
      throw std::runtime_error("integration " + row.workspace_id + "/" + row.platform +
                               " is stored in state '" + row.state + "' (previous '" +
                               row.previous_state + "', '" + row.before_previous_state +
                               "'), which lifecycle '" + machine.name() +
                               "' does not define; restore the lifecycle file that wrote it");
    auto& in = integration(workspace_of(row.workspace_id), row.platform);
    in.machine = {*state, *previous, *before_previous};
    for (auto& issue : issues)
      in.issues.push_back({issue.code, issue.message, issue.troubleshooting});
    if (sealed) {
      auto plain = secrets.open(std::string(sealed->begin(), sealed->end()),
                                row.workspace_id + "/" + row.platform);
      boost::system::error_code ec;
      auto parsed = plain ? boost::json::parse(*plain, ec) : boost::json::value();
      if (parsed.is_object())
        in.credentials = parsed.get_object();
      else
        spdlog::error("{}/{}: stored credentials do not open with this key file; reconnect",
                      row.workspace_id, row.platform);
    }
  }
  for (auto& facts : stored.facts) {
    auto& in = integration(workspace_of(facts.workspace_id), facts.platform);
    if (running && facts.account_id)
      account_routes.restore(facts.platform, *facts.account_id, facts.workspace_id,
                             holds_account(in));
    in.facts = std::move(facts);
  }
  if (!running) return;
  for (const auto& timer : stored.timers) {
    auto ws = workspace(timer.workspace_id);
    auto& in = integration(*ws, timer.platform);
    if (machine.state_id(timer.state) != in.machine.state) continue;  // stale row
    arm_lifecycle_timer(ws, in, from_ms(timer.deadline_ms));
  }
}

// Connections that survived the restart (or came with a takeover) get their upkeep back: refresh
// timers (a paused one its recovery, which starts over), and a first sync spread over one sync
// interval, so that a restart with many integrations is not a stampede. On the workspace's strand.
void Engine::Impl::start_upkeep(const WorkspacePtr& ws) {
  for (auto& [platform, in] : ws->integrations) {
    if (!has_connection(in) || !in.credentials) continue;
    if (holds_events(in))
      schedule_retry(ws, in);
    else
      schedule_refresh(ws, in);
    if (is_live(in)) schedule_sync(ws, in, runtime::random_delay(options.sync_interval));
  }
}

// The host's configuration of a plugin, plus where its platform is to send webhooks —
// public_url + "/webhooks/{platform}" — unless the host says otherwise: a connector subscribes
// its app there at connect where the platform allows it (docs/connectors.md).
std::string Engine::Impl::plugin_configuration(const std::string& platform) const {
  auto given = options.platform_config.find(platform);
  auto parsed = json_fields::parse_or_null(
      given == options.platform_config.end() ? std::string("{}") : given->second);
  if (!parsed.is_object()) return given->second;  // the plugin says what is wrong with it
  auto& config = parsed.get_object();
  if (!config.contains("webhook_url"))
    config["webhook_url"] = options.public_url + "/webhooks/" + platform;
  return boost::json::serialize(config);
}

void Engine::Impl::load_plugins() {
  plugin_host = std::make_unique<plugins::PluginHost>(
      executor, plugin_bridge, [this](std::string_view platform, std::string_view call, double s) {
        metrics.platform_calls.observe({std::string(platform), std::string(call)}, s);
      });
  if (options.plugin_dir)
    for (const auto& report : plugin_host->load_directory(*options.plugin_dir)) {
      if (!report.loaded()) continue;  // the host logged the reason
      auto* loaded = plugin_host->find(report.platform);
      std::string error;
      if (!loaded->configure(plugin_configuration(report.platform), error))
        spdlog::error("plugin {} ({}): configuration refused: {}", report.platform,
                      report.path.string(), error);
    }
  std::vector<const plugins::PluginDescriptor*> descriptors;
  for (const auto* loaded : plugin_host->plugins()) descriptors.push_back(&loaded->descriptor());
  capabilities = std::make_shared<const flows::Capabilities>(
      flows::Capabilities::from_descriptors(descriptors));
}

// --- the public API: lifecycle ---

Engine::Engine(boost::asio::any_io_executor executor, EngineOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {
  if (impl_->ownership.shared()) impl_->take_first_leases();
  const auto scope = impl_->running_scope();
  auto stored = [&] {
    auto connection = store::open(impl_->options.database.string());
    return runtime::read_stored(connection->records(), scope);
  }();
  auto left_in_flight = std::move(stored.in_flight);
  impl_->restore(std::move(stored), true);
  for (const auto& ws : impl_->ownership.held()) impl_->ownership.restored(ws);
  impl_->load_plugins();
  impl_->settle_steps_left_in_flight(std::move(left_in_flight));
  impl_->start_outbox();  // also sends what a previous run left pending
  impl_->workspaces.for_each([this](const std::shared_ptr<runtime::Workspace>& ws) {
    boost::asio::post(ws->strand, [impl = impl_, ws] { impl->start_upkeep(ws); });
  });
  // Events a previous run stored, acknowledged and did not get to handle.
  impl_->process_unhandled_events(0, scope);
  if (impl_->ownership.shared()) impl_->start_leasing();
}

Engine::~Engine() {
  stop();
  // Handlers still queued on the host's executor may hold the insides for a while; the writer
  // and reader threads are joined here, by the host's thread, whatever happens to them.
  impl_->reader.stop();
  impl_->writer.stop();
  if (impl_->lease_writer) impl_->lease_writer->stop();
}

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
                       in.lifecycle_timer.deadline()});
    impl->complete(std::move(done), std::move(views));
  });
}

void Engine::transitions(IntegrationKey key,
                         std::function<void(std::vector<TransitionView>)> done) {
  auto rows = std::make_shared<std::vector<store::TransitionRow>>();
  impl_->writer.submit(
      [rows, key](store::Transaction& tx) {
        *rows = tx.load_transitions(key.workspace, key.platform);
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
  for (auto* loaded : impl_->plugin_host->plugins()) out.push_back(loaded->platform());
  return out;
}

void Engine::refresh_credentials(IntegrationKey key, std::function<void(std::string)> done) {
  auto ws = impl_->workspace(key.workspace);
  boost::asio::post(ws->strand, [impl = impl_, ws, key, done = std::move(done)]() mutable {
    impl->refresh_now(ws, impl->integration(*ws, key.platform), std::move(done));
  });
}

void Engine::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  if (impl_->lease_timer)
    boost::asio::post(impl_->lease_timer->get_executor(),
                      [impl = impl_] { impl->lease_timer->cancel(); });
  impl_->listener.reset();
  if (impl_->outbox_timer)
    boost::asio::post(impl_->outbox_timer->get_executor(),
                      [impl = impl_] { impl->outbox_timer->cancel(); });
  if (impl_->plugin_host) impl_->plugin_host->unload_all();
  impl_->writer.flush();
  if (impl_->lease_writer) {
    // Handed back at once, so that the others take the workspaces over without waiting for the
    // leases to expire.
    impl_->lease_writer->submit(
        [me = impl_->ownership.instance_id(), held = impl_->ownership.held(),
         &ownership = impl_->ownership](store::Transaction& tx) {
          for (const auto& ws : held)
            if (auto fence = ownership.fence_of(ws)) tx.release_lease(ws, me, *fence);
          tx.remove_instance(me);
        },
        nullptr);
    impl_->lease_writer->flush();
    for (const auto& ws : impl_->ownership.held()) impl_->ownership.drop(ws);
  }
  impl_->workspaces.for_each([this](const std::shared_ptr<runtime::Workspace>& ws) {
    boost::asio::post(ws->strand, [impl = impl_, ws] {
      for (auto& [platform, in] : ws->integrations) {
        in.lifecycle_timer.cancel();
        impl->stop_upkeep(in);
      }
    });
  });
}

}  // namespace sparks

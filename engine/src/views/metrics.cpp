// What monitoring scrapes (docs/production.md, "Monitoring"): the engine's counters — each as an
// engine-wide total and by platform —, the histograms of connector calls and of a webhook's way to
// its DM, and gauges read from the store: integrations by lifecycle state, and the outbox's depth.
#include <boost/asio/post.hpp>
#include <sstream>

#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"
#include "store/monitoring_store.hpp"
#include "util/prometheus_text.hpp"

namespace sparks {

namespace {

struct CounterSpec {
  std::string_view name, help;
  const util::CountsByLabel& counts;
};

// The counter as it always was (every platform together), then the same count by platform under
// `<name>_by_platform_total`, so that existing dashboards and alerts keep their series.
void write_counter(std::ostream& out, const CounterSpec& c) {
  out << "# HELP sparks_" << c.name << "_total " << c.help << "\n# TYPE sparks_" << c.name
      << "_total counter\nsparks_" << c.name << "_total " << c.counts.total() << '\n';
  out << "# HELP sparks_" << c.name << "_by_platform_total " << c.help
      << ", by platform\n# TYPE sparks_" << c.name << "_by_platform_total counter\n";
  for (const auto& [platform, n] : c.counts.by_label())
    out << "sparks_" << c.name << "_by_platform_total" << util::label_set({{"platform", platform}})
        << ' ' << n << '\n';
}

void write_plain_counter(std::ostream& out, std::string_view name, std::string_view help,
                         std::uint64_t value) {
  out << "# HELP sparks_" << name << ' ' << help << "\n# TYPE sparks_" << name
      << " counter\nsparks_" << name << ' ' << value << '\n';
}

// What the gauges read, in one query on the reader's connection.
struct StoreGauges {
  std::vector<store::IntegrationStateCount> integrations;
  std::vector<store::OutboxDepth> outbox;
};

// Every installed platform in every lifecycle state, 0 where none is: a series that a scrape
// stops showing would read as "unknown", not as "none".
void write_gauges(std::ostream& out, const Engine::Impl& impl, const StoreGauges& gauges,
                  std::int64_t now_ms) {
  std::vector<std::string> platforms;
  for (const auto* plugin : impl.plugin_host->plugins()) platforms.push_back(plugin->platform());
  std::map<std::pair<std::string, std::string>, std::int64_t> by_state;
  for (const auto& platform : platforms)
    for (std::size_t s = 0; s < impl.machine.state_count(); ++s)
      by_state[{platform,
                std::string(impl.machine.state_name(static_cast<lifecycle::StateId>(s)))}] = 0;
  for (const auto& row : gauges.integrations) by_state[{row.platform, row.state}] = row.count;
  out << "# HELP sparks_integrations Integrations by platform and lifecycle state\n"
         "# TYPE sparks_integrations gauge\n";
  for (const auto& [key, n] : by_state)
    out << "sparks_integrations"
        << util::label_set({{"platform", key.first}, {"state", key.second}}) << ' ' << n << '\n';

  std::map<std::string, store::OutboxDepth> depth;
  for (const auto& platform : platforms) depth[platform] = {platform, 0, std::nullopt};
  for (const auto& row : gauges.outbox) depth[row.platform] = row;
  out << "# HELP sparks_outbox_depth Outbox steps not finished (pending or in flight)\n"
         "# TYPE sparks_outbox_depth gauge\n";
  for (const auto& [platform, d] : depth)
    out << "sparks_outbox_depth" << util::label_set({{"platform", platform}}) << ' ' << d.steps
        << '\n';
  out << "# HELP sparks_outbox_oldest_pending_seconds How long the earliest step that is due has "
         "waited (0: none)\n"
         "# TYPE sparks_outbox_oldest_pending_seconds gauge\n";
  for (const auto& [platform, d] : depth) {
    const auto waited = d.oldest_due_ms ? std::max<std::int64_t>(0, now_ms - *d.oldest_due_ms) : 0;
    out << "sparks_outbox_oldest_pending_seconds" << util::label_set({{"platform", platform}})
        << ' ' << util::number_text(static_cast<double>(waited) / 1000.0) << '\n';
  }
}

// The counters and histograms: what the engine holds in memory.
std::string counters_text(const Engine::Impl& impl) {
  const auto& m = impl.metrics;
  const auto writes = impl.writer.counters();
  std::ostringstream out;
  for (const CounterSpec& c : {
           CounterSpec{"lifecycle_transitions", "Lifecycle transitions committed", m.transitions},
           CounterSpec{"lifecycle_refusals", "Lifecycle events refused by a guard", m.refusals},
           CounterSpec{"webhooks_accepted", "Webhooks whose signature verified",
                       m.webhooks_accepted},
           CounterSpec{"webhooks_rejected", "Webhooks refused (bad signature or body)",
                       m.webhooks_rejected},
           CounterSpec{"events_stored", "Inbound events stored in the event log", m.events_stored},
           CounterSpec{"events_duplicate", "Inbound events dropped as already stored",
                       m.events_duplicate},
           CounterSpec{"events_unrouted", "Inbound events for an account no workspace connected",
                       m.events_unrouted},
           CounterSpec{"events_planned_on_arrival",
                       "Inbound events no flow takes, their runs written as they were stored",
                       m.events_planned_on_arrival},
           CounterSpec{"token_refreshes", "Token refreshes that succeeded", m.refreshes_ok},
           CounterSpec{"token_refresh_failures", "Token refreshes that failed", m.refreshes_failed},
           CounterSpec{"syncs", "Syncs that completed", m.syncs_ok},
           CounterSpec{"sync_failures", "Syncs that failed", m.syncs_failed},
           CounterSpec{"connects_started", "OAuth authorizations started", m.connects_started},
           CounterSpec{"authorizations_completed", "OAuth callbacks that reached the lifecycle",
                       m.authorizations_completed},
       })
    write_counter(out, c);
  write_plain_counter(out, "store_transactions_total", "Group-committed store transactions",
                      writes.transactions);
  write_plain_counter(out, "store_batches_total", "Store batches run", writes.batches);
  write_plain_counter(out, "store_failed_batches_total", "Store batches that failed",
                      writes.failed_batches);
  // Which workspaces this instance runs (all of them on a store one instance uses).
  out << "# HELP sparks_workspaces_run Workspaces this instance runs (holds the lease of)\n"
         "# TYPE sparks_workspaces_run gauge\nsparks_workspaces_run{instance=\""
      << impl.ownership.instance_id() << "\"} "
      << (impl.ownership.shared() ? impl.ownership.held().size() : impl.workspaces.size()) << '\n';
  out << m.platform_calls.text() << m.webhook_to_dm.text();
  return out.str();
}

}  // namespace

std::string Engine::metrics() const {
  return counters_text(*impl_);
}

void Engine::metrics(std::function<void(std::string)> done) {
  auto gauges = std::make_shared<StoreGauges>();
  const auto now_ms = runtime::to_ms(impl_->options.now());
  impl_->reader.submit(
      [gauges, now_ms, scope = impl_->running_scope()](store::Transaction& tx) {
        gauges->integrations = tx.count_integrations(scope);
        gauges->outbox = tx.outbox_depths(now_ms, scope);
      },
      impl_->executor,
      [impl = impl_, gauges, now_ms, done = std::move(done)](std::exception_ptr error) {
        std::ostringstream out;
        out << counters_text(*impl);
        // Without the store the counters still tell something; the gauges are left out, and
        // /healthz says why.
        if (!error) write_gauges(out, *impl, *gauges, now_ms);
        done(out.str());
      });
}

}  // namespace sparks

// Running flows. A trigger event, once stored in the event log, comes here on its workspace's
// strand. The runner reads what the planner needs (planner.hpp decides, without I/O, which flow
// runs and what its steps are), then writes the plan in one transaction: the runs, the counters and
// the steps, each step under an idempotency key per event, flow and step, so a replayed event
// enqueues nothing twice. The outbox (outbox.cpp) sends the steps. While the trigger's integration
// is paused its events are held and replayed when it is back; while it is disconnected they start
// nothing. What a trigger means (its kind, its variables) is its plugin's descriptor's, in
// `capabilities`: nothing here knows a platform.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "flows/planner.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"
#include "util/json_fields.hpp"

namespace sparks {

using json_fields::text;

using runtime::from_ms;
using runtime::to_ms;
namespace json = boost::json;

// What a run needs from the store, read in one go.
struct RunInputs {
  bool settled = false;  // no live flow listens: recorded already, nothing to run
  std::vector<store::LiveFlowRow> flows;
  store::ContactFacts contact;
  bool commented_before = false;
  std::vector<store::CatalogSkuRow> catalog;
};

void Engine::Impl::run_flows(const WorkspacePtr& ws, store::EventRow row, json::object payload,
                             StoreStep prelude) {
  auto& in = integration(*ws, row.platform);
  const std::string state(machine.state_name(in.machine.state));
  const auto now = to_ms(options.now());
  if (!is_live(in)) {
    // Holding events (paused): held (no flow_runs row), replay_held runs it when the integration
    // is back. Otherwise (disconnected): recorded as not run.
    const bool held = holds_events(in);
    if (!prelude && held) return;
    writer.submit(
        [row, state, held, now, prelude](store::Transaction& tx) {
          if (prelude) prelude(tx);
          if (!held)
            tx.record_flow_run({row.workspace_id, row.id, "", 0, "not_running",
                                row.platform + " is " + state, now});
        },
        [](std::exception_ptr) {});
    return;
  }
  const std::string user = text(payload, "user");
  const auto* trigger = capabilities->trigger(row.kind);
  const bool comment = trigger && trigger->kind == flows::TriggerKind::comment;
  auto inputs = std::make_shared<RunInputs>();
  // One trip through the writer: what the event records, then what matching reads; an event no
  // live flow listens to is recorded as such right there.
  writer.submit(
      [inputs, row, user, comment, video = text(payload, "video_id"), prelude,
       now](store::Transaction& tx) {
        if (prelude) prelude(tx);
        inputs->flows = tx.live_flows(row.workspace_id);
        // A cheap look at the stored JSON; the flows that pass are parsed and checked properly.
        const auto listens = [&](const store::LiveFlowRow& f) {
          return f.definition.find("\"on\":\"" + row.kind + "\"") != std::string::npos;
        };
        if (std::none_of(inputs->flows.begin(), inputs->flows.end(), listens)) {
          tx.record_flow_run({row.workspace_id, row.id, "", 0, "skipped",
                              "no live flow listens to " + row.kind, now});
          inputs->settled = true;
          return;
        }
        inputs->contact = tx.contact_facts(row.workspace_id, user);
        if (comment)
          inputs->commented_before = tx.commented_before(row.workspace_id, user, video, row.id);
        inputs->catalog = tx.load_catalog(row.workspace_id);
      },
      ws->strand,
      [self = shared_from_this(), ws, row, payload = std::move(payload), user,
       inputs](std::exception_ptr error) {
        if (error) {
          if (!self->stopped)
            spdlog::error("{}: the flows for event {} could not be read", ws->id, row.id);
          return;
        }
        if (inputs->settled) return;
        std::vector<flows::LiveFlow> live;
        for (const auto& f : inputs->flows) {
          auto definition = json_fields::parse_or_null(f.definition);
          if (definition.is_object())
            live.push_back({flows::FlowDefinition::from_json(definition.get_object()), f.version});
        }
        std::vector<runtime::CatalogItem> catalog;
        for (const auto& sku : inputs->catalog)
          catalog.push_back(
              {sku.seller_sku, sku.title, sku.price, sku.currency, sku.product_id, sku.url});
        auto plan =
            flows::plan_run({row, payload, std::move(live), inputs->contact,
                             inputs->commented_before, std::move(catalog),
                             self->platform_facts(*ws), *self->capabilities, self->options.now()});
        self->record_plan(ws, std::move(plan));
      });
}

std::map<std::string, flows::PlatformFacts, std::less<>> Engine::Impl::platform_facts(
    runtime::Workspace& ws) {
  std::map<std::string, flows::PlatformFacts, std::less<>> facts;
  for (auto* connector : plugin_host->plugins()) {
    auto& in = integration(ws, connector->platform());
    facts[connector->platform()] = {
        is_live(in), json_fields::strings(json_fields::parse_or_null(in.facts.granted_scopes))};
  }
  return facts;
}

void Engine::Impl::record_plan(const WorkspacePtr& ws, flows::Plan plan) {
  writer.submit(
      [plan = std::move(plan)](store::Transaction& tx) mutable {
        // A replayed event already has its rows: nothing is counted or enqueued twice.
        bool fresh = false;
        for (const auto& r : plan.runs) fresh |= tx.record_flow_run(r);
        if (!fresh) return;
        for (const auto& [flow, counter] : plan.stats)
          tx.add_flow_stat(plan.runs.front().workspace_id, flow, counter, 1);
        for (auto& step : plan.steps) tx.enqueue(step);
        for (const auto& m : plan.skipped_dms) tx.append_inbox_message(m);
      },
      ws->strand,
      [self = shared_from_this(), ws](std::exception_ptr error) {
        if (error && !self->stopped)
          return spdlog::error("{}: a flow run could not be stored", ws->id);
        if (error) return;
        self->dispatch_outbox();
      });
}

void Engine::Impl::replay_held(const WorkspacePtr& ws, const std::string& platform) {
  auto held = std::make_shared<std::vector<store::EventRow>>();
  const auto since = to_ms(options.now() - options.held_event_max_age);
  writer.submit(
      [held, id = ws->id, platform, since](store::Transaction& tx) {
        *held = tx.unhandled_events(id, platform, since);
      },
      ws->strand,
      [self = shared_from_this(), ws, held](std::exception_ptr error) {
        if (error || held->empty()) return;
        spdlog::info("{}: running {} event(s) held while paused", ws->id, held->size());
        for (auto& row : *held) {
          auto payload = json_fields::parse_or_null(row.payload);
          self->run_flows(ws, row, payload.is_object() ? payload.get_object() : json::object());
        }
      });
}

}  // namespace sparks

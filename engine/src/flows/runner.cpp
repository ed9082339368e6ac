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

#include <sparks/json_fields.hpp>
#include "flows/planner.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using json_fields::text;

using runtime::from_ms;
using runtime::to_ms;
namespace json = boost::json;

void Engine::Impl::run_flows(const WorkspacePtr& ws, store::EventRow row, json::object payload,
                             std::optional<flows::RunReads> reads,
                             std::optional<store::IntegrationFactsRow> facts) {
  auto& in = integration(*ws, row.platform);
  if (!is_live(in)) {
    // Holding events (paused): held (no flow_runs row), replay_held runs it when the integration
    // is back. Otherwise (disconnected): recorded as not run.
    const bool held = holds_events(in);
    if (held && !facts) return;
    writer.submit(fenced(ws->id,
                         [row, state = std::string(machine.state_name(in.machine.state)), held,
                          now = to_ms(options.now()), facts](store::Transaction& tx) {
                           if (facts) tx.save_facts(*facts);
                           if (held) return;
                           tx.record_flow_run({row.workspace_id, row.id, "", 0, "not_running",
                                               row.platform + " is " + state, now});
                           tx.mark_event_handled(row.id, now);
                         }),
                  [](std::exception_ptr) {});
    return;
  }
  if (!reads) {
    // What the planner reads, on the reader's connection: the event and what it recorded were
    // committed before it came here, and the writer is left to write (it holds up every webhook's
    // answer; the reader holds up none).
    auto fetched = std::make_shared<flows::RunReads>();
    reader.submit(
        [fetched, row, payload, kind = trigger_kind(row.kind)](store::Transaction& tx) {
          *fetched = flows::read_for_run(tx, row, payload, kind);
        },
        ws->strand,
        [self = shared_from_this(), ws, row, payload, fetched, facts = std::move(facts),
         generation = ws->planning.generation()](std::exception_ptr error) mutable {
          if (error) {
            if (!self->stopped)
              spdlog::error("{}: the flows for event {} could not be read", ws->id, row.id);
            return;
          }
          self->publish_planning(*ws, generation, fetched->flows);
          self->run_flows(ws, std::move(row), std::move(payload), std::move(*fetched),
                          std::move(facts));
        });
    return;
  }
  std::vector<flows::LiveFlow> live;
  if (reads->anyone_listens) live = ws->flow_definitions.live_flows(reads->flows, *capabilities);
  std::vector<runtime::CatalogItem> catalog;
  for (const auto& sku : reads->catalog)
    catalog.push_back(
        {sku.seller_sku, sku.title, sku.price, sku.currency, sku.product_id, sku.url});
  auto plan =
      flows::plan_run({row, payload, std::move(live), reads->contact, reads->commented_before,
                       std::move(catalog), platform_facts(*ws), *capabilities, options.now()});
  record_plan(ws, std::move(plan), row.received_at_ms, std::move(facts));
}

std::map<std::string, flows::PlatformFacts, std::less<>> Engine::Impl::platform_facts(
    runtime::Workspace& ws) {
  std::map<std::string, flows::PlatformFacts, std::less<>> facts;
  for (auto* connector : plugin_host->plugins()) {
    auto& in = integration(ws, connector->platform());
    facts[connector->platform()] = {is_live(in), in.granted_scopes(), in.unavailable_actions()};
  }
  return facts;
}

void Engine::Impl::publish_planning(runtime::Workspace& ws, std::uint64_t generation,
                                    const std::vector<store::LiveFlowRow>& rows) {
  if (ownership.shared()) return;  // its writes are fenced: they take the full path
  ws.planning.publish(generation,
                      std::make_shared<const runtime::PlanningSnapshot>(runtime::PlanningSnapshot{
                          ws.flow_definitions.live_flows(rows, *capabilities), platform_facts(ws)}));
}

std::optional<flows::Plan> Engine::Impl::plan_on_arrival(const inbound::Arrival& a) {
  const auto& row = a.row;
  // Lifecycle events move the machine on the strand; an order is looked up before its flows run.
  if (ownership.shared() || row.workspace_id.empty() || machine.event_id(row.kind) ||
      trigger_kind(row.kind) == flows::TriggerKind::order)
    return std::nullopt;
  const auto snapshot =
      workspace(row.workspace_id)->planning.for_event(row.platform, row.received_at_ms);
  if (!snapshot) return std::nullopt;
  // Paused, its events are held; disconnected, they are recorded as not run: the strand decides.
  const auto platform = snapshot->platforms.find(row.platform);
  if (platform == snapshot->platforms.end() || !platform->second.live) return std::nullopt;
  return flows::plan_without_reads({row,
                                    a.payload,
                                    snapshot->flows,
                                    {},
                                    false,
                                    {},
                                    snapshot->platforms,
                                    *capabilities,
                                    options.now()});
}

std::vector<store::OutboxRow> Engine::Impl::write_plan(store::Transaction& tx,
                                                       const flows::Plan& plan,
                                                       std::int64_t now_ms) {
  std::vector<store::OutboxRow> enqueued;
  // A replayed event already has its rows: nothing is counted or enqueued twice.
  bool fresh = false;
  for (const auto& r : plan.runs) fresh |= tx.record_flow_run(r);
  if (!fresh) return enqueued;
  for (const auto& [flow, counter] : plan.stats)
    tx.add_flow_stat(plan.runs.front().workspace_id, flow, counter, 1);
  for (auto step : plan.steps) {
    // Due now: executed as soon as this commits, so in flight from then on.
    if (step.status == "pending" && step.due_at_ms <= now_ms) step.status = "in_flight";
    if (tx.enqueue(step)) enqueued.push_back(std::move(step));
  }
  for (const auto& m : plan.skipped_dms) tx.append_inbox_message(m);
  return enqueued;
}

// The plan's one trip through the writer; then the steps due now go straight to the outbox's
// executor (later ones, retries and anything left by a restart are found by its poll).
void Engine::Impl::record_plan(const WorkspacePtr& ws, flows::Plan plan, std::int64_t arrived_at_ms,
                               std::optional<store::IntegrationFactsRow> facts) {
  auto recorded = std::make_shared<flows::Plan>(std::move(plan));
  auto enqueued = std::make_shared<std::vector<store::OutboxRow>>();
  writer.submit(fenced(ws->id,
                       [recorded, enqueued, facts = std::move(facts),
                        now_ms = to_ms(options.now())](store::Transaction& tx) {
                         if (facts) tx.save_facts(*facts);
                         tx.mark_event_handled(recorded->event_id, now_ms);
                         *enqueued = write_plan(tx, *recorded, now_ms);
                       }),
                ws->strand,
                [self = shared_from_this(), ws, enqueued, arrived_at_ms](std::exception_ptr error) {
                  if (error && !self->stopped)
                    return spdlog::error("{}: a flow run could not be stored", ws->id);
                  if (error) return;
                  for (const auto& step : *enqueued) {
                    const auto* action = self->capabilities->action(step.action);
                    if (action && action->kind == flows::ActionKind::message)
                      self->dm_arrivals.note(step.id, arrived_at_ms);
                  }
                  for (auto& step : *enqueued)
                    if (step.status == "in_flight") self->execute_when_free(ws, std::move(step));
                });
}

void Engine::Impl::mark_handled(const WorkspacePtr& ws, std::int64_t event_id) {
  writer.submit(
      fenced(ws->id, [event_id, now = to_ms(options.now())](
                         store::Transaction& tx) { tx.mark_event_handled(event_id, now); }),
      ws->strand, [](std::exception_ptr) {});
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

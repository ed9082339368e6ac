// A flow's dry run (POST …/flows/{id}/test): a sample event goes through the real matching and
// planning code (flows/planner.cpp) with what the workspace has now — its live flows plus this one
// (a draft too), the contact, the catalog, the integrations — and the answer says which flow
// would win and what this one's steps would do. Everything is read on the reader's connection in
// a read transaction; nothing is sent and nothing is stored.
#include <boost/json.hpp>

#include <sparks/json_fields.hpp>
#include "flows/planner.hpp"
#include "flows/run_reads.hpp"
#include "flows/run_reasons.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

namespace {

namespace json = boost::json;

struct DryRun {
  store::EventRow event;
  json::object payload;
  flows::TriggerKind kind = flows::TriggerKind::other;
  std::map<std::string, flows::PlatformFacts, std::less<>> platforms;
  // Read on the reader:
  std::optional<flows::LiveFlow> tested;
  flows::RunReads reads;
};

flows::Plan plan(const DryRun& run, std::vector<flows::LiveFlow> flows,
                 const flows::Capabilities& capabilities, Clock::time_point now) {
  std::vector<runtime::CatalogItem> catalog;
  for (const auto& sku : run.reads.catalog)
    catalog.push_back(
        {sku.seller_sku, sku.title, sku.price, sku.currency, sku.product_id, sku.url});
  return flows::plan_run({run.event, run.payload, std::move(flows), run.reads.contact,
                          run.reads.commented_before, std::move(catalog), run.platforms,
                          capabilities, now});
}

json::object answer(const DryRun& run, const flows::Capabilities& capabilities,
                    Clock::time_point now) {
  const auto& id = run.tested->definition->id;
  std::vector<flows::LiveFlow> everyone{*run.tested};
  for (const auto& f : run.reads.flows) {
    auto definition = json_fields::parse_or_null(f.definition);
    if (f.id != id && definition.is_object())
      everyone.push_back({std::make_shared<const flows::FlowDefinition>(
                              flows::FlowDefinition::from_json(definition.get_object())),
                          f.version});
  }
  json::value winner = nullptr;
  for (const auto& r : plan(run, std::move(everyone), capabilities, now).runs)
    if (r.outcome == "ran") winner = json::value(r.flow_id);
  // This flow alone: whether it matches, and what its steps would do.
  const auto alone = plan(run, {*run.tested}, capabilities, now);
  const auto& own = alone.runs.front();
  json::array steps;
  for (const auto& step : alone.steps) {
    const bool skipped = step.status == "skipped";
    steps.push_back({{"action", step.action},
                     {"would_run", !skipped},
                     {"reason", skipped && step.last_error
                                    ? json::value(flows::reason_in_words(*step.last_error))
                                    : json::value(nullptr)},
                     {"params", json_fields::parse_or_null(step.params)}});
  }
  const bool matches = own.outcome == "ran";
  return {
      {"trigger", run.event.kind},
      {"winner", std::move(winner)},
      {"matches", matches},
      {"reason", matches ? json::value(nullptr) : json::value(flows::reason_in_words(own.reason))},
      {"steps", std::move(steps)},
      {"sent", false},
      {"stored", false}};
}

}  // namespace

void Engine::test_flow(std::string workspace, std::string flow_id, json::object sample,
                       ReplyHandler done) {
  auto run = std::make_shared<DryRun>();
  const auto* trigger = sample.if_contains("trigger");
  const auto* known = trigger && trigger->is_string()
                          ? impl_->capabilities->trigger(std::string(trigger->get_string()))
                          : nullptr;
  if (!known)
    return impl_->reply(std::move(done),
                        Reply::fail(ErrorKind::invalid, "invalid_sample",
                                    "the sample's `trigger` must name a trigger a loaded plugin "
                                    "offers (e.g. tiktok.comment)"));
  if (const auto* payload = sample.if_contains("payload")) {
    if (!payload->is_object())
      return impl_->reply(std::move(done),
                          Reply::fail(ErrorKind::invalid, "invalid_sample",
                                      "the sample's `payload` must be an object, the trigger's "
                                      "payload as its plugin emits it"));
    run->payload = payload->get_object();
  }
  run->event = {0,
                workspace,
                known->platform,
                "test",
                "",
                known->name,
                json::serialize(run->payload),
                runtime::to_ms(impl_->options.now())};
  run->kind = known->kind;
  impl_->where_it_runs(
      workspace, std::move(done),
      [impl = impl_, run, flow_id](const Engine::Impl::WorkspacePtr& ws, ReplyHandler done) {
        run->platforms = impl->platform_facts(*ws);
        impl->reader.submit(
            [run, flow_id](store::Transaction& tx) {
              auto version = tx.latest_flow_version(run->event.workspace_id, flow_id);
              const json::value definition =
                  version ? json_fields::parse_or_null(version->definition) : json::value(nullptr);
              if (!definition.is_object()) return;
              run->tested =
                  flows::LiveFlow{std::make_shared<const flows::FlowDefinition>(
                                      flows::FlowDefinition::from_json(definition.get_object())),
                                  version->version};
              run->reads = flows::read_for_run(tx, run->event, run->payload, run->kind);
            },
            impl->executor,
            [impl, run, flow_id, done = std::move(done)](std::exception_ptr error) mutable {
              if (error)
                return impl->reply(std::move(done),
                                   Reply::fail(ErrorKind::retry_later, "store_unavailable",
                                               "the flow could not be read; try again"));
              if (!run->tested)
                return impl->reply(std::move(done),
                                   Reply::fail(ErrorKind::not_found, "flow_not_found",
                                               "no flow '" + flow_id + "' in this workspace"));
              impl->reply(std::move(done),
                          Reply::ok(answer(*run, *impl->capabilities, impl->options.now())));
            });
      });
}

}  // namespace sparks

// What a flow did with the events it was tried on (GET …/flows/{id}/runs): its flow_runs rows,
// newest first, each with the outbox steps that event queued for it. Read on the reader's
// connection, like every listing (docs/architecture.md, "Threads").
#include <boost/json.hpp>

#include <sparks/json_fields.hpp>
#include "flows/run_reasons.hpp"
#include "integrations/card.hpp"
#include "runtime/engine_impl.hpp"
#include "views/page_cursor.hpp"

namespace sparks {

namespace {

boost::json::value text_or_null(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

boost::json::object run_json(const store::FlowRunHistoryRow& row,
                             const std::vector<store::OutboxRow>& steps) {
  const auto& run = row.run;
  const auto payload = json_fields::parse_or_null(row.payload);
  std::optional<std::string> user;
  if (payload.is_object())
    if (const auto* u = payload.get_object().if_contains("user"); u && u->is_string())
      user = std::string(u->get_string());
  boost::json::array step_list;
  for (const auto& step : steps)
    step_list.push_back({{"action", step.action},
                         {"status", step.status},
                         {"error", text_or_null(step.last_error)}});
  const bool explained = run.outcome != "ran" && !run.reason.empty();
  return {{"event_id", run.event_id},
          {"at", runtime::rfc3339(runtime::from_ms(run.at_ms))},
          {"flow_version", run.flow_version},
          {"trigger", row.trigger},
          {"user", text_or_null(user)},
          {"outcome", run.outcome},
          {"reason", explained ? boost::json::value(flows::reason_in_words(run.reason)) : nullptr},
          {"steps", std::move(step_list)}};
}

}  // namespace

void Engine::flow_runs(std::string workspace, std::string flow_id, Page page, ReplyHandler done) {
  auto request = runtime::page_request("runs", page);
  if (auto* error = std::get_if<Error>(&request))
    return impl_->reply(std::move(done), {*error, {}});
  auto result = std::make_shared<Reply>();
  impl_->reader.submit(
      [workspace, flow_id, limit = page.limit, request = std::get<store::PageRequest>(request),
       result](store::Transaction& tx) {
        if (!tx.load_automation(workspace, flow_id)) {
          *result = Reply::fail(ErrorKind::not_found, "flow_not_found",
                                "no flow '" + flow_id + "' in this workspace");
          return;
        }
        auto rows = tx.list_flow_runs(workspace, flow_id, request);
        auto next = runtime::keep_page<store::FlowRunHistoryRow>(
            rows, limit, "runs", [](const store::FlowRunHistoryRow& row) {
              return store::PageKey{row.run.event_id, ""};
            });
        boost::json::array runs;
        for (const auto& row : rows)
          runs.push_back(
              run_json(row, tx.outbox_steps_of_run(workspace, flow_id, row.run.event_id)));
        *result = Reply::ok({{"runs", std::move(runs)}, {"next_cursor", std::move(next)}});
      },
      impl_->executor,
      [result, done = std::move(done)](std::exception_ptr error) {
        if (!done) return;
        if (error)
          return done(Reply::fail(ErrorKind::retry_later, "store_unavailable",
                                  "the flow's runs could not be read; try again"));
        done(std::move(*result));
      });
}

}  // namespace sparks

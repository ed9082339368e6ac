// The outbox: a flow's steps are rows in the store, due now or after a `wait`, each under an
// idempotency key. Due rows are handed to their workspace's strand and executed through the
// connector; passing failures (429, 5xx, time-outs) come back later with capped, jittered
// back-off, and a platform's refusal (such as TikTok's 10-messages-in-48-hours rule) is recorded
// as failed and not retried.
//
// A step is marked in flight in the store before its platform call can start — by the run that
// enqueues it when it is due at once, else by the poll that takes it — so that a crash during the
// call cannot send it a second time: at the next start a step left in flight is checked with the
// platform (the connector's find_action), or recorded as of unknown outcome, never resent blind
// (docs/architecture.md, "Crash safety").
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <sparks/json_fields.hpp>
#include "flows/attribution_code.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/backoff.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using json_fields::strings;
using json_fields::text;

using runtime::to_ms;
namespace json = boost::json;

namespace {

constexpr int kMaxAttempts = 8;
constexpr int kOutboxBatch = 64;

}  // namespace

void Engine::Impl::start_outbox() {
  if (!outbox_timer)
    outbox_timer = std::make_unique<boost::asio::steady_timer>(boost::asio::make_strand(executor));
  outbox_timer->expires_after(options.outbox_poll);
  outbox_timer->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped) return;
    self->dispatch_outbox();
    self->start_outbox();
  });
}

void Engine::Impl::dispatch_outbox() {
  if (stopped) return;
  auto due = std::make_shared<std::vector<store::OutboxRow>>();
  writer.submit(
      [due, now = to_ms(options.now()), scope = running_scope()](store::Transaction& tx) {
        *due = tx.take_due_outbox(now, kOutboxBatch, scope);
      },
      executor,
      [weak = weak_from_this(), due](std::exception_ptr error) {
        auto self = weak.lock();
        if (!self || error) return;
        for (auto& row : *due) {
          auto ws = self->workspace(row.workspace_id);
          self->execute_when_free(ws, std::move(row));
        }
      });
}

void Engine::Impl::execute_when_free(const WorkspacePtr& ws, store::OutboxRow row) {
  if (!outbox_in_flight.claim(row.id)) return;  // already on its way
  boost::asio::post(ws->strand, [self = shared_from_this(), ws, row = std::move(row)]() mutable {
    // Not held here any more: the instance that took the workspace over settles the step.
    auto execute = [self, ws, row]() mutable { self->execute_outbox_row(ws, std::move(row)); };
    if (!self->run_when_restored(ws, std::move(execute))) self->outbox_in_flight.release(row.id);
  });
}

// A step's outcome, and what comes with it, in one batch; then the row is free again.
void Engine::Impl::record_outcome(const WorkspacePtr& ws, const store::OutboxRow& row,
                                  std::string status, std::optional<std::string> error,
                                  std::int64_t attempts, std::int64_t due, StoreStep also) {
  if (status != "pending") dm_arrivals.forget(row.id);  // it ends here: nothing to measure
  writer.submit(
      fenced(ws->id,
             [row, status, error, attempts, due, also = std::move(also)](store::Transaction& tx) {
               tx.update_outbox(row.id, status, attempts, due, error);
               if (also) also(tx);
             }),
      ws->strand, [self = shared_from_this(), id = row.id](std::exception_ptr) {
        self->outbox_in_flight.release(id);
      });
}

void Engine::Impl::execute_outbox_row(const WorkspacePtr& ws, store::OutboxRow row) {
  const auto params = json_fields::parse_or_null(row.params);
  const auto now_ms = to_ms(options.now());

  if (row.action == "contact.tag") {
    return record_outcome(
        ws, row, "sent", std::nullopt, row.attempts + 1, row.due_at_ms,
        [row, params](store::Transaction& tx) {
          const auto& p = params.is_object() ? params.get_object() : json::object();
          tx.update_contact_tags(row.workspace_id, row.user_id,
                                 strings(p.contains("add") ? p.at("add") : json::value()),
                                 strings(p.contains("remove") ? p.at("remove") : json::value()));
        });
  }
  auto& in = integration(*ws, row.platform);
  auto* connector = plugin(row.platform);
  if (holds_events(in))  // the step waits for the integration to be live again
    return record_outcome(ws, row, "pending", row.last_error, row.attempts, now_ms + 5'000,
                          nullptr);
  if (!connector || !is_live(in) || !in.credentials)
    return record_outcome(ws, row, "skipped",
                          row.platform + " is " + std::string(machine.state_name(in.machine.state)),
                          row.attempts, row.due_at_ms, nullptr);

  json::object request{
      {"credentials", *in.credentials}, {"action", row.action}, {"params", params}};
  connector->call(plugins::Operation::execute_action, ws->id, json::serialize(request),
                  plugins::call_name(row.action),
                  [self = shared_from_this(), ws, row, params](sparks_status_t status,
                                                               std::string result) mutable {
                    self->on_action_done(ws, row, params, status, std::move(result));
                  });
}

// Steps a previous run left in flight, claimed before anything else runs so that nothing sends
// them meanwhile: each is settled on its workspace's strand.
void Engine::Impl::settle_steps_left_in_flight(std::vector<store::OutboxRow> rows) {
  for (auto& row : rows) {
    if (!outbox_in_flight.claim(row.id)) continue;
    auto ws = workspace(row.workspace_id);
    boost::asio::post(ws->strand, [self = shared_from_this(), ws, row = std::move(row)]() mutable {
      self->settle_interrupted(ws, std::move(row));
    });
  }
}

// A step a crash interrupted: its connector is asked whether the platform did it (find_action,
// docs/plugin-authors.md). Done: recorded as sent, as if the answer had come. Not done: sent now.
// A passing failure asks again later; otherwise — the platform offers no way to tell, or the
// integration has no credentials left — it is not sent again and its outcome is recorded as
// unknown. The engine's own steps (a tag) only touch the store, in one transaction with their
// outcome: they simply run again.
void Engine::Impl::settle_interrupted(const WorkspacePtr& ws, store::OutboxRow row, int checks) {
  if (row.platform.empty()) return execute_outbox_row(ws, std::move(row));
  auto* connector = plugin(row.platform);
  auto& in = integration(*ws, row.platform);
  if (!connector || !in.credentials)
    return record_unknown(ws, row, row.platform + " is no longer connected to check it");
  const auto params = json_fields::parse_or_null(row.params);
  json::object request{{"credentials", *in.credentials},
                       {"action", row.action},
                       {"params", params},
                       {"since", row.due_at_ms / 1000}};
  connector->call(
      plugins::Operation::find_action, ws->id, json::serialize(request),
      [self = shared_from_this(), ws, row, params, checks](sparks_status_t status,
                                                           std::string result) mutable {
        if (status == SPARKS_OK) {
          const auto answer = json_fields::parse_or_null(result);
          const auto* found =
              answer.is_object() ? answer.get_object().if_contains("found") : nullptr;
          if (found && found->is_bool() && found->get_bool()) {
            const auto* done = answer.get_object().if_contains("result");
            spdlog::info("{}: {} for {} was done before the engine stopped", ws->id, row.action,
                         row.user_id);
            return self->on_action_done(ws, row, params, SPARKS_OK,
                                        done ? json::serialize(*done) : std::string("{}"));
          }
          spdlog::info("{}: {} for {} was not done before the engine stopped; sending it", ws->id,
                       row.action, row.user_id);
          return self->execute_outbox_row(ws, std::move(row));
        }
        const bool passing = status == SPARKS_ERR_RATE_LIMITED ||
                             status == SPARKS_ERR_UNAVAILABLE || status == SPARKS_ERR_TIMEOUT;
        if (passing && checks + 1 < kMaxAttempts) {
          auto timer = std::make_shared<boost::asio::steady_timer>(
              ws->strand, runtime::backoff_delay(checks, self->options.retry_first_delay,
                                                 self->options.retry_max_delay));
          return timer->async_wait([self, ws, row, checks, timer](boost::system::error_code ec) {
            if (ec || self->stopped) return self->outbox_in_flight.release(row.id);
            self->settle_interrupted(ws, row, checks + 1);
          });
        }
        self->record_unknown(ws, row,
                             status == SPARKS_ERR_UNSUPPORTED
                                 ? row.platform + " offers no way to tell whether it was done"
                                 : "checking with " + row.platform + " failed: " + result);
      });
}

void Engine::Impl::record_unknown(const WorkspacePtr& ws, const store::OutboxRow& row,
                                  const std::string& reason) {
  const auto* action = capabilities->action(row.action);
  const bool dm = action && action->kind == flows::ActionKind::message;
  const auto params = json_fields::parse_or_null(row.params);
  const std::string why = "the engine stopped during the call; " + reason +
                          ", so it is not sent again (it must not be sent twice)";
  spdlog::warn("{}: {} for {}: outcome unknown: {}", ws->id, row.action, row.user_id, why);
  record_outcome(ws, row, "unknown", why, row.attempts, row.due_at_ms,
                 [=, now_ms = to_ms(options.now())](store::Transaction& tx) {
                   tx.add_flow_stat(row.workspace_id, row.flow_id, "outcome_unknown", 1);
                   if (dm)
                     tx.append_inbox_message(
                         {row.workspace_id, "user:" + row.user_id, row.user_id, "out",
                          params.is_object() ? text(params.get_object(), "text") : std::string(),
                          "unknown: " + why, row.flow_id, std::nullopt, "[]", now_ms});
                 });
}

// Sent, retried later (a passing failure), or failed for good (the platform refused).
void Engine::Impl::on_action_done(const WorkspacePtr& ws, const store::OutboxRow& row,
                                  const json::value& params, sparks_status_t status,
                                  std::string result) {
  const auto now_ms = to_ms(options.now());
  // An action that messages the contact leaves an inbox line and counts as a DM sent.
  const auto* action = capabilities->action(row.action);
  const bool dm = action && action->kind == flows::ActionKind::message;
  const auto skus = params.is_object() && params.get_object().contains("skus")
                        ? json::serialize(params.at("skus"))
                        : std::string("[]");
  const auto dm_text = params.is_object() ? text(params.get_object(), "text") : std::string();
  if (status == SPARKS_OK) {
    auto answer = json_fields::parse_or_null(result);
    const auto conversation =
        answer.is_object() ? text(answer.get_object(), "conversation_id") : std::string();
    const auto message_id =
        answer.is_object() ? text(answer.get_object(), "message_id") : std::string();
    if (const auto arrived = dm ? dm_arrivals.take(row.id) : std::nullopt)
      metrics.webhook_to_dm.observe(
          {row.platform},
          static_cast<double>(std::max<std::int64_t>(0, now_ms - *arrived)) / 1000.0);
    return record_outcome(
        ws, row, "sent", std::nullopt, row.attempts + 1, row.due_at_ms,
        [=](store::Transaction& tx) {
          if (!dm) return;
          tx.append_inbox_message(
              {row.workspace_id, conversation.empty() ? "user:" + row.user_id : conversation,
               row.user_id, "out", dm_text, "sent", row.flow_id,
               message_id.empty() ? std::nullopt : std::optional(message_id), skus, now_ms,
               flows::attribution_code(row.workspace_id, row.idempotency_key)});
          tx.add_flow_stat(row.workspace_id, row.flow_id, "dms_sent", 1);
        });
  }
  const bool passing = status == SPARKS_ERR_RATE_LIMITED || status == SPARKS_ERR_UNAVAILABLE ||
                       status == SPARKS_ERR_TIMEOUT;
  if (passing && row.attempts + 1 < kMaxAttempts) {
    const auto delay = runtime::backoff_delay(static_cast<int>(row.attempts),
                                              options.retry_first_delay, options.retry_max_delay);
    spdlog::info("{}: {} for {} retried in {} ms: {}", ws->id, row.action, row.user_id,
                 delay.count(), result);
    return record_outcome(ws, row, "pending", result, row.attempts + 1, now_ms + delay.count(),
                          nullptr);
  }
  spdlog::warn("{}: {} for {} failed: {}", ws->id, row.action, row.user_id, result);
  record_outcome(ws, row, "failed", result, row.attempts + 1, row.due_at_ms,
                 [=](store::Transaction& tx) {
                   tx.add_flow_stat(row.workspace_id, row.flow_id, "failed", 1);
                   if (dm)
                     tx.append_inbox_message({row.workspace_id, "user:" + row.user_id, row.user_id,
                                              "out", dm_text, "failed: " + result, row.flow_id,
                                              std::nullopt, skus, now_ms});
                 });
}

}  // namespace sparks

// Running flows. A trigger event, once stored in the event log, comes here on its workspace's
// strand: the live flows that listen to it are tried by priority, the first that matches runs and
// the others record that they were skipped and why — so one comment gets at most one DM. A run
// writes its steps to the outbox in one transaction (an idempotency key per event, flow and step,
// so a replayed event enqueues nothing twice); the outbox sends them through the connectors,
// retrying passing failures with capped, jittered back-off. Steps whose scope was not granted are
// recorded as skipped with the scope named. While the trigger's integration is paused its events
// are held and replayed when it is back; while it is disconnected they start nothing.
// Orders are fetched, stored, and attributed to the most recent DM a flow sent the buyer.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "flows/capabilities.hpp"
#include "flows/flow_loader.hpp"
#include "flows/matching.hpp"
#include "integrations/card.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/backoff.hpp"
#include "runtime/engine_impl.hpp"
#include "util/json_fields.hpp"

namespace sparks {

using json_fields::strings;
using json_fields::text;

using runtime::from_ms;
using runtime::to_ms;
namespace json = boost::json;

namespace {

constexpr int kMaxAttempts = 8;
constexpr int kOutboxBatch = 64;
constexpr std::string_view kProductLinkBase = "https://shop.tiktok.com/view/product/";

json::object product_variables(const runtime::CatalogItem& item) {
  return {{"title", item.title},
          {"price", item.price + (item.currency.empty() ? "" : " " + item.currency)},
          {"link", std::string(kProductLinkBase) + item.product_id},
          {"sku", item.seller_sku}};
}

// The template variables of a trigger event (docs/flows.md "Triggers").
json::object event_variables(std::string_view kind, const json::object& payload,
                             const store::ContactFacts& contact, const std::string& user) {
  json::object vars{
      {"contact",
       {{"user", user},
        {"username", contact.username.empty() ? text(payload, "username") : contact.username},
        {"tags", json_fields::parse_or_null(contact.tags)}}}};
  if (kind == "tiktok.comment")
    vars["comment"] = {{"id", text(payload, "comment_id")},
                       {"text", text(payload, "text")},
                       {"video_id", text(payload, "video_id")}};
  if (kind == "tiktok.dm") vars["message"] = {{"text", text(payload, "text")}};
  if (kind == "tiktok_shop.order")
    vars["order"] = {{"id", text(payload, "order_id")},
                     {"status", text(payload, "order_status")},
                     {"total", text(payload, "total")},
                     {"currency", text(payload, "currency")}};
  return vars;
}

std::int64_t cents(const std::string& amount) {
  try {
    return static_cast<std::int64_t>(std::llround(std::stod(amount) * 100));
  } catch (...) {
    return 0;
  }
}

}  // namespace

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
  auto inputs = std::make_shared<RunInputs>();
  // One trip through the writer: what the event records, then what matching reads; an event no
  // live flow listens to is recorded as such right there.
  writer.submit(
      [inputs, row, user, video = text(payload, "video_id"), prelude, now](store::Transaction& tx) {
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
        if (row.kind == "tiktok.comment")
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
        const auto now = self->options.now();
        const auto now_ms = to_ms(now);
        std::vector<flows::FlowDefinition> candidates;
        std::map<std::string, std::int64_t> versions;
        for (const auto& f : inputs->flows) {
          auto definition = json_fields::parse_or_null(f.definition);
          if (!definition.is_object()) continue;
          auto flow = flows::FlowDefinition::from_json(definition.get_object());
          if (flow.trigger.on != row.kind) continue;
          versions[flow.id] = f.version;
          candidates.push_back(std::move(flow));
        }
        std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
          return std::tie(a.priority, a.id) < std::tie(b.priority, b.id);
        });

        runtime::MatchFacts facts;
        facts.contact_tags = strings(json_fields::parse_or_null(inputs->contact.tags));
        if (auto fields = json_fields::parse_or_null(inputs->contact.fields); fields.is_object())
          facts.contact_fields = fields.get_object();
        if (inputs->contact.last_dm_ms)
          facts.last_dm_to_contact = from_ms(*inputs->contact.last_dm_ms);
        facts.first_comment_on_video = !inputs->commented_before;
        for (const auto& sku : inputs->catalog)
          facts.catalog.push_back(
              {sku.seller_sku, sku.title, sku.price, sku.currency, sku.product_id});
        facts.now = now;

        std::vector<store::FlowRunRow> runs;
        std::vector<std::pair<std::string, std::string>> stats;  // (flow, counter)
        std::vector<store::OutboxRow> steps;
        std::vector<store::InboxMessageRow> skipped_dms;
        const flows::FlowDefinition* winner = nullptr;
        runtime::Match won;
        const auto capabilities = flows::Capabilities::builtin();
        const auto trigger_scope =
            capabilities.trigger(row.kind) ? capabilities.trigger(row.kind)->scope : "";
        const auto granted_here = strings(
            json_fields::parse_or_null(self->integration(*ws, row.platform).facts.granted_scopes));
        const bool trigger_granted =
            trigger_scope.empty() || std::find(granted_here.begin(), granted_here.end(),
                                               trigger_scope) != granted_here.end();
        for (const auto& flow : candidates) {
          if (!trigger_granted) {
            runs.push_back({ws->id, row.id, flow.id, versions[flow.id], "skipped",
                            "missing scope " + trigger_scope, now_ms});
            continue;
          }
          auto match = runtime::match_flow(flow, row.kind, payload, facts);
          if (!match.matched) {
            runs.push_back(
                {ws->id, row.id, flow.id, versions[flow.id], "skipped", match.why_not, now_ms});
            continue;
          }
          if (winner) {
            runs.push_back({ws->id, row.id, flow.id, versions[flow.id], "skipped",
                            "another flow matched first: " + winner->id, now_ms});
            stats.emplace_back(flow.id, "skipped:another_flow_matched");
            continue;
          }
          winner = &flow;
          won = match;
          runs.push_back({ws->id, row.id, flow.id, versions[flow.id], "ran", "", now_ms});
          stats.emplace_back(flow.id, "triggered");
        }
        if (candidates.empty())
          runs.push_back(
              {ws->id, row.id, "", 0, "skipped", "no live flow listens to " + row.kind, now_ms});

        if (winner) {
          auto vars = event_variables(row.kind, payload, inputs->contact, user);
          std::int64_t due = now_ms;
          for (std::size_t i = 0; i < winner->actions.size(); ++i) {
            const auto& action = winner->actions[i];
            if (action.name == "wait") {
              if (auto d = flows::parse_duration(text(action.params, "for")))
                due += d->count() * 1000;
              continue;
            }
            const auto* info = capabilities.action(action.name);
            store::OutboxRow step;
            step.workspace_id = ws->id;
            step.platform = info ? info->platform : "";
            step.action = action.name;
            step.idempotency_key =
                "event:" + std::to_string(row.id) + ":" + winner->id + ":" + std::to_string(i);
            step.flow_id = winner->id;
            step.flow_version = versions[winner->id];
            step.user_id = user;
            step.due_at_ms = due;
            step.created_at_ms = now_ms;

            json::object params;
            std::optional<runtime::CatalogItem> product = won.mentioned;
            if (const auto* p = action.params.if_contains("product"); p && p->is_object()) {
              product.reset();
              const auto sku = text(p->get_object(), "seller_sku");
              for (const auto& item : facts.catalog)
                if (item.seller_sku == sku) product = item;
              if (!product) {
                step.status = "skipped";
                step.last_error = "SKU " + sku + " is not in the synced catalog";
              }
            }
            auto step_vars = vars;
            if (product) step_vars["product"] = product_variables(*product);
            if (action.name == "tiktok.send_dm") {
              params = {{"user", user},
                        {"text", flows::render_template(text(action.params, "text"), step_vars)}};
              params["skus"] =
                  product ? json::array{json::value(product->seller_sku)} : json::array();
            } else if (action.name == "tiktok.reply_comment") {
              params = {{"comment_id", text(payload, "comment_id")},
                        {"video_id", text(payload, "video_id")},
                        {"text", flows::render_template(text(action.params, "text"), step_vars)}};
            } else if (action.name == "contact.tag") {
              params = {
                  {"add", action.params.contains("add") ? action.params.at("add") : json::array()},
                  {"remove",
                   action.params.contains("remove") ? action.params.at("remove") : json::array()}};
            }
            step.params = json::serialize(params);

            // A step on a platform that cannot take it is recorded, not sent.
            if (step.status == "pending" && info && !info->platform.empty()) {
              auto& target = self->integration(*ws, info->platform);
              auto granted = strings(json_fields::parse_or_null(target.facts.granted_scopes));
              if (!self->is_live(target)) {
                step.status = "skipped";
                step.last_error = info->platform + " is not connected";
              } else if (std::find(granted.begin(), granted.end(), info->scope) == granted.end()) {
                step.status = "skipped";
                step.last_error = "missing scope " + info->scope;
              }
            }
            if (step.status == "skipped") {
              stats.emplace_back(winner->id, "skipped:" + *step.last_error);
              if (action.name == "tiktok.send_dm")
                skipped_dms.push_back({ws->id, "user:" + user, user, "out", text(params, "text"),
                                       "skipped: " + *step.last_error, winner->id, std::nullopt,
                                       json::serialize(params.at("skus")), now_ms});
            }
            steps.push_back(std::move(step));
          }
        }

        self->writer.submit(
            [runs, stats, steps, skipped_dms](store::Transaction& tx) mutable {
              // A replayed event already has its rows: nothing is counted or enqueued twice.
              bool fresh = false;
              for (const auto& r : runs) fresh |= tx.record_flow_run(r);
              if (!fresh) return;
              for (const auto& [flow, counter] : stats)
                tx.add_flow_stat(runs.front().workspace_id, flow, counter, 1);
              for (auto& step : steps) tx.enqueue(step);
              for (const auto& m : skipped_dms) tx.append_inbox_message(m);
            },
            ws->strand,
            [self, ws](std::exception_ptr error) {
              if (error && !self->stopped)
                return spdlog::error("{}: a flow run could not be stored", ws->id);
              if (error) return;
              self->dispatch_outbox();
            });
      });
}

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
  writer.submit([due, now = to_ms(options.now())](
                    store::Transaction& tx) { *due = tx.due_outbox(now, kOutboxBatch); },
                executor,
                [weak = weak_from_this(), due](std::exception_ptr error) {
                  auto self = weak.lock();
                  if (!self || error) return;
                  for (auto& row : *due) {
                    {
                      std::lock_guard lock(self->outbox_mutex);
                      if (!self->outbox_busy.insert(row.id).second) continue;  // already on its way
                    }
                    auto ws = self->workspace(row.workspace_id);
                    boost::asio::post(ws->strand, [self, ws, row = std::move(row)]() mutable {
                      self->execute_outbox_row(ws, std::move(row));
                    });
                  }
                });
}

void Engine::Impl::execute_outbox_row(const WorkspacePtr& ws, store::OutboxRow row) {
  auto finish = [self = shared_from_this(), ws, row](
                    std::string status, std::optional<std::string> error, std::int64_t attempts,
                    std::int64_t due, std::function<void(store::Transaction&)> also) {
    self->writer.submit(
        [row, status, error, attempts, due, also = std::move(also)](store::Transaction& tx) {
          tx.update_outbox(row.id, status, attempts, due, error);
          if (also) also(tx);
        },
        ws->strand,
        [self, id = row.id](std::exception_ptr) {
          std::lock_guard lock(self->outbox_mutex);
          self->outbox_busy.erase(id);
        });
  };
  const auto params = json_fields::parse_or_null(row.params);
  const auto now_ms = to_ms(options.now());

  if (row.action == "contact.tag") {
    return finish("sent", std::nullopt, row.attempts + 1, row.due_at_ms,
                  [row, params](store::Transaction& tx) {
                    const auto& p = params.is_object() ? params.get_object() : json::object();
                    tx.update_contact_tags(
                        row.workspace_id, row.user_id,
                        strings(p.contains("add") ? p.at("add") : json::value()),
                        strings(p.contains("remove") ? p.at("remove") : json::value()));
                  });
  }
  auto& in = integration(*ws, row.platform);
  auto* connector = plugin(row.platform);
  const std::string state(machine.state_name(in.machine.state));
  if (holds_events(in))  // the step waits for the integration to be live again
    return finish("pending", row.last_error, row.attempts, now_ms + 5'000, nullptr);
  if (!connector || !is_live(in) || !in.credentials)
    return finish("skipped", row.platform + " is " + state, row.attempts, row.due_at_ms, nullptr);

  json::object request{
      {"credentials", *in.credentials}, {"action", row.action}, {"params", params}};
  connector->call(
      plugins::Operation::execute_action, ws->id, json::serialize(request),
      [self = shared_from_this(), ws, row, params, finish](sparks_status_t status,
                                                           std::string result) mutable {
        const auto now_ms = to_ms(self->options.now());
        const bool dm = row.action == "tiktok.send_dm";
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
          return finish(
              "sent", std::nullopt, row.attempts + 1, row.due_at_ms, [=](store::Transaction& tx) {
                if (!dm) return;
                tx.append_inbox_message(
                    {row.workspace_id, conversation.empty() ? "user:" + row.user_id : conversation,
                     row.user_id, "out", dm_text, "sent", row.flow_id,
                     message_id.empty() ? std::nullopt : std::optional(message_id), skus, now_ms});
                tx.add_flow_stat(row.workspace_id, row.flow_id, "dms_sent", 1);
              });
        }
        const bool passing = status == SPARKS_ERR_RATE_LIMITED ||
                             status == SPARKS_ERR_UNAVAILABLE || status == SPARKS_ERR_TIMEOUT;
        if (passing && row.attempts + 1 < kMaxAttempts) {
          const auto delay = runtime::backoff_delay(static_cast<int>(row.attempts),
                                                    self->options.retry_first_delay,
                                                    self->options.retry_max_delay);
          spdlog::info("{}: {} for {} retried in {} ms: {}", ws->id, row.action, row.user_id,
                       delay.count(), result);
          return finish("pending", result, row.attempts + 1, now_ms + delay.count(), nullptr);
        }
        spdlog::warn("{}: {} for {} failed: {}", ws->id, row.action, row.user_id, result);
        finish("failed", result, row.attempts + 1, row.due_at_ms, [=](store::Transaction& tx) {
          tx.add_flow_stat(row.workspace_id, row.flow_id, "failed", 1);
          if (dm)
            tx.append_inbox_message({row.workspace_id, "user:" + row.user_id, row.user_id, "out",
                                     dm_text, "failed: " + result, row.flow_id, std::nullopt, skus,
                                     now_ms});
        });
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

void Engine::Impl::receive_order(const WorkspacePtr& ws, store::EventRow row,
                                 json::object payload) {
  auto& shop = integration(*ws, row.platform);
  auto* connector = plugin(row.platform);
  const auto order_id = text(payload, "order_id");
  auto store_and_run = [self = shared_from_this(), ws, row](json::object payload,
                                                            json::value order) mutable {
    store::OrderRow o{row.workspace_id,
                      text(payload, "order_id"),
                      text(payload, "order_status"),
                      {},
                      {},
                      {},
                      "[]",
                      to_ms(self->options.now())};
    std::vector<std::string> skus;
    if (order.is_object()) {
      const auto& obj = order.get_object();
      if (auto buyer = text(obj, "user_id"); !buyer.empty()) o.buyer_user_id = buyer;
      if (!text(obj, "status").empty()) o.status = text(obj, "status");
      if (const auto* pay = obj.if_contains("payment"); pay && pay->is_object()) {
        o.total = text(pay->get_object(), "total_amount");
        o.currency = text(pay->get_object(), "currency");
      }
      if (const auto* items = obj.if_contains("line_items"); items && items->is_array()) {
        o.line_items = json::serialize(*items);
        for (const auto& item : items->get_array())
          if (item.is_object()) skus.push_back(text(item.get_object(), "seller_sku"));
      }
    }
    if (o.buyer_user_id) payload["user"] = *o.buyer_user_id;
    if (o.total) payload["total"] = *o.total;
    if (o.currency) payload["currency"] = *o.currency;
    const auto since = to_ms(self->options.now() - self->options.attribution_window);
    self->writer.submit(
        [o, skus, since](store::Transaction& tx) {
          if (!tx.upsert_order(o) || !o.buyer_user_id) return;
          auto attribution = tx.find_attribution(o.workspace_id, *o.buyer_user_id, since, skus);
          if (!attribution) return;
          tx.attribute_order(o.workspace_id, o.order_id, *attribution);
          tx.add_flow_stat(o.workspace_id, attribution->flow_id, "orders", 1);
          tx.add_flow_stat(o.workspace_id, attribution->flow_id, "revenue_cents",
                           cents(o.total.value_or("0")));
        },
        ws->strand,
        [self, ws, row, payload](std::exception_ptr error) mutable {
          if (error)
            spdlog::error("{}: order {} could not be stored", ws->id, text(payload, "order_id"));
          self->run_flows(ws, row, std::move(payload));
        });
  };
  if (!connector || !is_live(shop) || !shop.credentials || order_id.empty())
    return store_and_run(std::move(payload), nullptr);
  json::object request{{"credentials", *shop.credentials},
                       {"action", "tiktok_shop.get_order"},
                       {"params", {{"order_id", order_id}}}};
  connector->call(
      plugins::Operation::execute_action, ws->id, json::serialize(request),
      [store_and_run, payload, ws, order_id](sparks_status_t status, std::string result) mutable {
        if (status != SPARKS_OK)
          spdlog::warn("{}: order {} could not be fetched: {}", ws->id, order_id, result);
        store_and_run(std::move(payload),
                      status == SPARKS_OK ? json_fields::parse_or_null(result) : json::value());
      });
}

}  // namespace sparks

// One path for every inbound event (docs/architecture.md): a webhook is verified and normalized by
// its connector, each event routed to the workspace whose integration owns the account it names,
// and stored in the event log — a repeated event id is dropped there, unless its first copy was
// never handled — before the webhook is answered (503 when it could not be stored, so that the
// platform delivers it again). Only then, on the workspace's strand, does the event act: a
// lifecycle event moves the integration; a flow trigger records its contact (and a DM lands in the
// inbox) for the flows to run on. What it did is stored with the mark that it was handled; an
// event a crash left unhandled is processed at the next start (docs/architecture.md, "Crash
// safety").
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <sparks/json_fields.hpp>
#include "flows/capabilities.hpp"
#include "inbound/arrival.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using json_fields::text;

using runtime::to_ms;

void Engine::receive_webhook(std::string platform, InboundWebhook webhook, ReplyHandler done) {
  auto impl = impl_;
  auto* connector = impl->plugin(platform);
  if (!connector)
    return impl->reply(std::move(done),
                       Reply::fail(ErrorKind::not_found, "unknown_platform",
                                   "no connector is installed for '" + platform + "'"));
  plugins::WebhookRequest request{std::move(webhook.method), std::move(webhook.path),
                                  std::move(webhook.query), std::move(webhook.headers),
                                  std::move(webhook.body)};
  connector->verify_webhook(request, [impl, platform, id = std::move(webhook.request_id),
                                      done = std::move(done)](
                                         sparks_status_t status, std::string error,
                                         std::vector<plugins::WebhookEvent> events) mutable {
    if (status != SPARKS_OK) {
      impl->metrics.webhooks_rejected.add(platform);
      spdlog::warn("request {}: webhook for {} refused: {}", id.empty() ? "-" : id, platform,
                   error);
      return impl->reply(std::move(done),
                         status == SPARKS_ERR_BAD_SIGNATURE
                             ? Reply::fail(ErrorKind::unauthorized, "bad_signature", error)
                             : Reply::fail(ErrorKind::invalid, "bad_webhook", error));
    }
    impl->metrics.webhooks_accepted.add(platform);
    std::vector<inbound::Arrival> arrivals;
    std::size_t unrouted = 0;
    const auto now = to_ms(impl->options.now());
    for (auto& event : events) {
      auto workspace = impl->account_routes.workspace_of(platform, event.account);
      if (!workspace && impl->ownership.shared()) {
        // Another instance may have connected the account: the store says, when it is stored.
        arrivals.push_back({{0, "", platform, "webhook", std::move(event.id),
                             std::move(event.trigger), std::move(event.payload_json), now},
                            std::move(event.payload)});
        arrivals.back().account = std::move(event.account);
        continue;
      }
      if (!workspace) {
        // No workspace ever connected this account: nothing to store it under. Acknowledged, so
        // that the platform does not retry it forever.
        ++unrouted;
        impl->metrics.events_unrouted.add(platform);
        spdlog::info("{} event {} for account {} belongs to no workspace; dropped", platform,
                     event.trigger, event.account);
        continue;
      }
      arrivals.push_back({{0, *workspace, platform, "webhook", std::move(event.id),
                           std::move(event.trigger), std::move(event.payload_json), now},
                          std::move(event.payload)});
    }
    const std::size_t total = arrivals.size() + unrouted;
    impl->ingest_events(std::move(arrivals), [impl, total, unrouted, done = std::move(done)](
                                                 std::optional<Impl::IngestCounts> counts) mutable {
      if (!counts)
        return impl->reply(std::move(done),
                           Reply::fail(ErrorKind::retry_later, "store_unavailable",
                                       "the events could not be stored; deliver them again"));
      auto count = [](std::size_t n) { return static_cast<std::int64_t>(n); };
      const auto all_unrouted = unrouted + counts->unrouted;
      // Already on the executor, after the commit: answered here rather than posted once more,
      // a hand-off less on the path every webhook's 200 waits for.
      if (done)
        done(Reply::ok({{"events", count(total)},
                        {"stored", count(counts->stored)},
                        {"duplicates", count(total - all_unrouted - counts->stored)},
                        {"unrouted", count(all_unrouted)}}));
    });
  });
}

namespace {

// What a flow-trigger event records of its own once stored: its author becomes (or stays) a
// contact; what else follows from its trigger's kind (its plugin's descriptor): a commenter is
// noted per post, a message lands in the inbox.
void record_arrival(store::Transaction& tx, const store::EventRow& row,
                    const boost::json::object& payload, flows::TriggerKind kind) {
  const std::string user = text(payload, "user");
  if (user.empty()) return;
  tx.upsert_contact(row.workspace_id, user, text(payload, "username"), row.received_at_ms);
  if (kind == flows::TriggerKind::comment)
    tx.note_commenter(row.workspace_id, text(payload, "video_id"), user, row.id);
  if (kind == flows::TriggerKind::message) {
    const auto conversation = text(payload, "conversation_id");
    const auto message_id = text(payload, "message_id");
    // When they wrote opens their messaging window: the platform's time, if it says (a delivery
    // retried for hours must not make the window look younger than it is).
    const auto sent_at = json_fields::integer(payload, "sent_at").value_or(0);
    const auto at_ms =
        sent_at > 0 ? std::min(row.received_at_ms, sent_at * 1000) : row.received_at_ms;
    tx.append_inbox_message({row.workspace_id, conversation.empty() ? "user:" + user : conversation,
                             user, "in", text(payload, "text"), "received", std::nullopt,
                             message_id.empty() ? std::nullopt : std::optional(message_id), "[]",
                             at_ms});
  }
}

// The workspace whose integration holds `account` (connected by whichever instance), else the
// last one that connected it; empty when none did.
std::string holder_of(store::Transaction& tx, const lifecycle::Machine& machine,
                      const std::string& platform, const std::string& account) {
  std::string last;
  for (const auto& named : tx.integrations_naming_account(platform, account, "")) {
    const auto state = machine.state_id(named.state);
    if (named.has_credentials && state &&
        machine.means(*state, lifecycle::Meaning::keeps_credentials))
      return named.workspace_id;
    last = named.workspace_id;
  }
  return last;
}

// A stored event that was never handled, on its way to act as if it had just arrived.
inbound::Arrival left_unhandled(store::EventRow row) {
  auto payload = json_fields::parse_or_null(row.payload);
  return {std::move(row),
          payload.is_object() ? std::move(payload.get_object()) : boost::json::object(), false,
          true};
}

}  // namespace

// One trip through the writer stores the events and, for each new flow trigger, what it records;
// the webhook is answered once it has committed. What its flows read is read on the reader. An
// event of a workspace another instance runs is stored, and that instance woken to act on it.
void Engine::Impl::ingest_events(std::vector<inbound::Arrival> rows,
                                 std::function<void(std::optional<IngestCounts>)> done) {
  if (rows.empty()) {
    if (done) done(IngestCounts{});
    return;
  }
  auto arrivals = std::make_shared<std::vector<inbound::Arrival>>(std::move(rows));
  for (auto& a : *arrivals) {
    if (a.payload.empty()) {  // a webhook's was parsed off its plugin's answer; others' here
      boost::system::error_code ec;
      auto parsed = boost::json::parse(a.row.payload, ec);
      if (parsed.is_object()) a.payload = std::move(parsed.get_object());
    }
    a.plan = plan_on_arrival(a);
  }
  writer.submit(
      [arrivals, &machine = machine, capabilities = capabilities, &ownership = ownership,
       now_ms = to_ms(options.now())](store::Transaction& tx) {
        std::set<std::string, std::less<>> woken;
        for (auto& a : *arrivals) {
          if (a.row.workspace_id.empty())
            a.row.workspace_id = holder_of(tx, machine, a.row.platform, a.account);
          if (a.row.workspace_id.empty()) continue;  // no workspace connected it: unrouted
          // Planned as it arrived (plan_on_arrival: a flow trigger of a workspace run here), it is
          // stored handled, and its runs written below.
          if (a.plan) a.row.handled_at_ms = now_ms;
          a.stored = tx.append_event(a.row);
          if (!a.stored) {
            // What it recorded on arrival was stored with its first copy; it acts now if that
            // copy never did.
            auto first = tx.unhandled_copy(a.row.platform, a.row.dedupe_key);
            if (!first || first->workspace_id != a.row.workspace_id) continue;
            a.row = std::move(*first);
          }
          if (!ownership.runs(a.row.workspace_id)) {
            // Its holder acts on it (and records what it does); this instance only stored it.
            if (woken.insert(a.row.workspace_id).second) tx.notify_workspace(a.row.workspace_id);
            if (a.stored) {
              const auto kind = flows::trigger_kind_of(*capabilities, a.row.kind);
              if (!machine.event_id(a.row.kind) && kind != flows::TriggerKind::order)
                record_arrival(tx, a.row, a.payload, kind);
            }
            continue;
          }
          a.act = true;
          // Lifecycle events move the machine; an order is looked up before its flows run.
          const auto kind = flows::trigger_kind_of(*capabilities, a.row.kind);
          if (machine.event_id(a.row.kind) || kind == flows::TriggerKind::order) continue;
          if (!a.stored) continue;
          record_arrival(tx, a.row, a.payload, kind);
          if (!a.plan) continue;
          a.plan->event_id = a.row.id;
          for (auto& run : a.plan->runs) run.event_id = a.row.id;
          write_plan(tx, *a.plan, now_ms);
          a.act = false;
        }
      },
      executor,
      [weak = weak_from_this(), arrivals, done = std::move(done)](std::exception_ptr error) {
        auto self = weak.lock();
        if (error) {
          spdlog::error("{} inbound event(s) could not be stored", arrivals->size());
          if (done) done(std::nullopt);
          return;
        }
        IngestCounts counts;
        for (auto& a : *arrivals) {
          if (a.row.workspace_id.empty()) {
            ++counts.unrouted;
            if (self) self->metrics.events_unrouted.add(a.row.platform);
          } else if (a.stored) {
            ++counts.stored;
            if (self) self->metrics.events_stored.add(a.row.platform);
            if (self && a.plan && !a.act)
              self->metrics.events_planned_on_arrival.add(a.row.platform);
          } else if (self) {
            self->metrics.events_duplicate.add(a.row.platform);
          }
          if (self && a.act) self->act_on_event_on_strand(std::move(a));
        }
        if (done) done(counts);
      });
}

void Engine::Impl::act_on_event_on_strand(inbound::Arrival arrival) {
  auto ws = workspace(arrival.row.workspace_id);
  boost::asio::post(ws->strand, [self = shared_from_this(), ws, a = std::move(arrival)]() mutable {
    // Being taken over, or no longer run here: the scan of its unhandled events acts on it where
    // it runs.
    if (!self->ownership.runs(ws->id)) return;
    self->act_on_event(ws, std::move(a));
  });
}

void Engine::Impl::scan_workspace_events(const WorkspacePtr& ws) {
  if (ws->scanning) {
    ws->scan_again = true;
    return;
  }
  ws->scanning = true;
  constexpr int kPage = 1024;
  auto page = std::make_shared<std::vector<store::EventRow>>();
  writer.submit(
      [page, id = ws->id](store::Transaction& tx) {
        *page = tx.unhandled_events_after(0, kPage, store::Scope::workspace(id));
      },
      ws->strand,
      [self = shared_from_this(), ws, page](std::exception_ptr error) {
        ws->scanning = false;
        if (self->stopped || !self->ownership.runs(ws->id)) return;
        if (error) spdlog::error("workspace {}: its unhandled events could not be read", ws->id);
        // What is no longer unhandled is forgotten; what still is was handed out already.
        std::set<std::int64_t> handed_out;
        for (auto& row : *page) {
          handed_out.insert(row.id);
          if (ws->events_handed_out.contains(row.id)) continue;
          self->act_on_event(ws, left_unhandled(std::move(row)));
        }
        ws->events_handed_out = std::move(handed_out);
        if (ws->scan_again || page->size() == static_cast<std::size_t>(kPage)) {
          ws->scan_again = false;
          self->scan_workspace_events(ws);
        }
      });
}

// Every event a previous run stored but did not handle (it stopped first), a page at a time,
// oldest first; each acts as if it had just arrived.
void Engine::Impl::process_unhandled_events(std::int64_t after_id, store::Scope scope) {
  constexpr int kPage = 256;
  auto page = std::make_shared<std::vector<store::EventRow>>();
  writer.submit(
      [page, after_id, scope](store::Transaction& tx) {
        *page = tx.unhandled_events_after(after_id, kPage, scope);
      },
      executor,
      [weak = weak_from_this(), page, scope](std::exception_ptr error) {
        auto self = weak.lock();
        if (!self || self->stopped) return;
        if (error) return spdlog::error("the events left unhandled could not be read");
        if (page->empty()) return;
        spdlog::info("processing {} event(s) a previous run left unhandled", page->size());
        const auto last = page->back().id;
        for (auto& row : *page) {
          self->act_on_event_on_strand(left_unhandled(std::move(row)));
        }
        if (page->size() == static_cast<std::size_t>(kPage))
          self->process_unhandled_events(last, scope);
      });
}

void Engine::Impl::act_on_event(const WorkspacePtr& ws, inbound::Arrival arrival) {
  const auto& row = arrival.row;
  spdlog::debug("{}/{}: {} event {} ({})", row.workspace_id, row.platform, row.source, row.kind,
                row.dedupe_key);
  auto& in = integration(*ws, row.platform);
  // Stored at most once a second (the card reads the in-memory value), with the event's run when
  // it has one.
  std::optional<store::IntegrationFactsRow> facts;
  if (row.source == "webhook") {
    const bool stale =
        !in.facts.last_webhook_ms || row.received_at_ms - *in.facts.last_webhook_ms >= 1000;
    in.facts.last_webhook_ms = row.received_at_ms;
    if (stale) facts = in.facts;
  }
  if (machine.event_id(row.kind)) {
    if (facts) save_facts(ws, in);
    // A redelivered copy may come while the first is on its way: one of them fires.
    if (!ws->lifecycle_events_firing.insert(row.id).second) return;
    fire_on_strand(
        ws, {row.workspace_id, row.platform}, row.kind,
        Actor::system(row.source + ":" + row.platform), std::move(arrival.payload),
        [self = shared_from_this(), ws, id = row.id](FireOutcome outcome) {
          // A transition stored the mark with itself; an event that moved nothing gets it now.
          if (!outcome.handled) self->mark_handled(ws, id);
          ws->lifecycle_events_firing.erase(id);
        },
        std::nullopt, row.id);
    return;
  }
  if (trigger_kind(row.kind) == flows::TriggerKind::order) {
    if (facts) save_facts(ws, in);
    return receive_order(ws, row, std::move(arrival.payload));
  }
  run_flows(ws, row, std::move(arrival.payload), std::nullopt, std::move(facts));
}

}  // namespace sparks

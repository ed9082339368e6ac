#include <algorithm>
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>

#include "store/backend_common.hpp"
#include "store/postgresql/records.hpp"
#include "store/postgresql/scope_sql.hpp"

namespace sparks::store::postgresql {

namespace {

constexpr std::string_view kOutboxColumns =
    "id, workspace_id, platform, action, params, idempotency_key, flow_id, flow_version, user_id,"
    " status, attempts, due_at_ms, last_error, created_at_ms";

OutboxRow read_outbox(const Result& s, int i) {
  OutboxRow r;
  r.id = s.int64(i, 0);
  r.workspace_id = s.text(i, 1);
  r.platform = s.text(i, 2);
  r.action = s.text(i, 3);
  r.params = s.text(i, 4);
  r.idempotency_key = s.text(i, 5);
  r.flow_id = s.text(i, 6);
  r.flow_version = s.int64(i, 7);
  r.user_id = s.text(i, 8);
  r.status = s.text(i, 9);
  r.attempts = s.int64(i, 10);
  r.due_at_ms = s.int64(i, 11);
  r.last_error = s.optional_text(i, 12);
  r.created_at_ms = s.int64(i, 13);
  return r;
}

std::vector<OutboxRow> read_outbox_rows(const Result& r) {
  std::vector<OutboxRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_outbox(r, i));
  return out;
}

}  // namespace

std::vector<LiveFlowRow> Records::live_flows(std::string_view workspace_id) {
  const Result r = db_.run(
      "SELECT a.id, a.version, v.definition FROM automations a JOIN flow_versions v"
      " ON v.workspace_id = a.workspace_id AND v.flow_id = a.id AND v.version = a.version"
      " WHERE a.workspace_id = $1 AND a.status = 'live' ORDER BY a.id",
      params(workspace_id));
  std::vector<LiveFlowRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.int64(i, 1), r.text(i, 2)});
  return out;
}

ContactFacts Records::contact_facts(std::string_view workspace_id, std::string_view user_id) {
  ContactFacts facts;
  const Result contact = db_.run(
      "SELECT username, tags, fields FROM contacts WHERE workspace_id = $1 AND user_id = $2",
      params(workspace_id, user_id));
  if (contact.rows() > 0) {
    facts.username = contact.text(0, 0);
    facts.tags = contact.text(0, 1);
    facts.fields = contact.text(0, 2);
  }
  const Result last = db_.run(
      "SELECT max(at_ms) FROM inbox_messages WHERE workspace_id = $1 AND user_id = $2"
      " AND direction = 'out' AND status = 'sent' AND flow_id IS NOT NULL",
      params(workspace_id, user_id));
  facts.last_dm_ms = last.optional_int(0, 0);
  const Result inbound = db_.run(
      "SELECT conversation_id, at_ms FROM inbox_messages WHERE workspace_id = $1"
      " AND user_id = $2 AND direction = 'in' ORDER BY at_ms DESC, id DESC LIMIT 1",
      params(workspace_id, user_id));
  if (inbound.rows() > 0) {
    facts.conversation_id = inbound.text(0, 0);
    facts.last_inbound_ms = inbound.int64(0, 1);
    const Result sent = db_.run(
        "SELECT count(*) FROM inbox_messages WHERE workspace_id = $1 AND user_id = $2"
        " AND direction = 'out' AND status = 'sent' AND at_ms >= $3",
        params(workspace_id, user_id, *facts.last_inbound_ms));
    facts.sent_since_inbound = static_cast<int>(sent.int64(0, 0));
  }
  return facts;
}

void Records::update_contact_tags(std::string_view workspace_id, std::string_view user_id,
                                  const std::vector<std::string>& add,
                                  const std::vector<std::string>& remove) {
  db_.run_later("UPDATE contacts SET tags = $1 WHERE workspace_id = $2 AND user_id = $3",
                params(tags_changed(contact_facts(workspace_id, user_id).tags, add, remove),
                       workspace_id, user_id));
}

void Records::note_commenter(std::string_view workspace_id, std::string_view video_id,
                             std::string_view user_id, std::int64_t event_id) {
  db_.run_later(
      "INSERT INTO video_commenters (workspace_id, video_id, user_id, first_event_id)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      params(workspace_id, video_id, user_id, event_id));
}

bool Records::commented_before(std::string_view workspace_id, std::string_view user_id,
                               std::string_view video_id, std::int64_t event_id) {
  const Result r = db_.run(
      "SELECT first_event_id FROM video_commenters WHERE workspace_id = $1 AND video_id = $2"
      " AND user_id = $3",
      params(workspace_id, video_id, user_id));
  return r.rows() > 0 && r.int64(0, 0) < event_id;
}

std::vector<CatalogSkuRow> Records::load_catalog(std::string_view workspace_id) {
  const Result r = db_.run(
      "SELECT sku_id, product_id, seller_sku, title, price, currency, url"
      " FROM catalog_skus WHERE workspace_id = $1 ORDER BY seller_sku",
      params(workspace_id));
  std::vector<CatalogSkuRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                   r.text(i, 5), r.text(i, 6)});
  return out;
}

bool Records::record_flow_run(const FlowRunRow& run) {
  return db_.run(
                "INSERT INTO flow_runs (workspace_id, event_id, flow_id, flow_version, outcome,"
                " reason, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                params(run.workspace_id, run.event_id, run.flow_id, run.flow_version, run.outcome,
                       run.reason, run.at_ms))
             .affected() == 1;
}

std::vector<FlowRunHistoryRow> Records::list_flow_runs(std::string_view workspace_id,
                                                       std::string_view flow_id,
                                                       const PageRequest& page) {
  const Result r = db_.run(
      "SELECT r.workspace_id, r.event_id, r.flow_id, r.flow_version, r.outcome, r.reason, r.at_ms,"
      " coalesce(e.kind, ''), coalesce(e.payload, '{}') FROM flow_runs r"
      " LEFT JOIN event_log e ON e.id = r.event_id WHERE r.workspace_id = $1 AND r.flow_id = $2"
      " AND ($3 = 0 OR r.event_id < $4) ORDER BY r.event_id DESC LIMIT $5",
      params(workspace_id, flow_id, has_after(page), after_key(page).number, page.limit));
  std::vector<FlowRunHistoryRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({{r.text(i, 0), r.int64(i, 1), r.text(i, 2), r.int64(i, 3), r.text(i, 4),
                    r.text(i, 5), r.int64(i, 6)},
                   r.text(i, 7),
                   r.text(i, 8)});
  return out;
}

std::vector<OutboxRow> Records::outbox_steps_of_run(std::string_view workspace_id,
                                                    std::string_view flow_id,
                                                    std::int64_t event_id) {
  const auto [from, to] = run_step_keys(event_id, flow_id);
  return read_outbox_rows(db_.run("SELECT " + std::string(kOutboxColumns) +
                                      " FROM outbox WHERE idempotency_key >= $1"
                                      " AND idempotency_key < $2 AND workspace_id = $3 ORDER BY id",
                                  params(from, to, workspace_id)));
}

void Records::add_flow_stat(std::string_view workspace_id, std::string_view flow_id,
                            std::string_view counter, std::int64_t delta) {
  db_.run_later(
      "INSERT INTO flow_stats AS s (workspace_id, flow_id, counter, value)"
      " VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (workspace_id, flow_id, counter) DO UPDATE SET value = s.value + $4",
      params(workspace_id, flow_id, counter, delta));
}

std::vector<EventRow> Records::unhandled_events(std::string_view workspace_id,
                                                std::string_view platform, std::int64_t since_ms) {
  const Result r = db_.run(
      "SELECT e.id, e.source, e.dedupe_key, e.kind, e.payload, e.received_at_ms FROM event_log e"
      " WHERE e.workspace_id = $1 AND e.platform = $2 AND e.received_at_ms >= $3"
      " AND e.kind LIKE '%.%'"  // flow triggers are named platform.event
      " AND e.handled_at_ms IS NULL"
      " AND NOT EXISTS (SELECT 1 FROM flow_runs r WHERE r.workspace_id = $1 AND r.event_id = e.id)"
      " ORDER BY e.id",
      params(workspace_id, platform, since_ms));
  std::vector<EventRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.int64(i, 0), std::string(workspace_id), std::string(platform), r.text(i, 1),
                   r.text(i, 2), r.text(i, 3), r.text(i, 4), r.int64(i, 5)});
  return out;
}

bool Records::enqueue(OutboxRow& r) {
  const Result inserted = db_.run(
      "INSERT INTO outbox (workspace_id, platform, action, params, idempotency_key, flow_id,"
      " flow_version, user_id, status, attempts, due_at_ms, last_error, created_at_ms)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(r.workspace_id, r.platform, r.action, r.params, r.idempotency_key, r.flow_id,
             r.flow_version, r.user_id, r.status, r.attempts, r.due_at_ms, r.last_error,
             r.created_at_ms));
  if (inserted.rows() != 1) return false;
  r.id = inserted.int64(0, 0);
  return true;
}

std::vector<OutboxRow> Records::take_due_outbox(std::int64_t now_ms, int limit,
                                                const Scope& scope) {
  Params values = params(now_ms);
  const int limit_index = add_scope(values, scope);
  values.add(limit);
  // One statement marks the due steps in flight and returns them, in the order they are due.
  const Result r = db_.run(
      "WITH due AS (SELECT id FROM outbox WHERE status = 'pending' AND due_at_ms <= $1 AND " +
          scope_condition(scope, 2) + " ORDER BY due_at_ms, id LIMIT $" +
          std::to_string(limit_index) +
          " FOR UPDATE)"
          " UPDATE outbox o SET status = 'in_flight' FROM due WHERE o.id = due.id RETURNING " +
          "o.id, o.workspace_id, o.platform, o.action, o.params, o.idempotency_key, o.flow_id,"
          " o.flow_version, o.user_id, o.status, o.attempts, o.due_at_ms, o.last_error,"
          " o.created_at_ms",
      values);
  std::vector<OutboxRow> out = read_outbox_rows(r);
  std::sort(out.begin(), out.end(), [](const OutboxRow& a, const OutboxRow& b) {
    return a.due_at_ms != b.due_at_ms ? a.due_at_ms < b.due_at_ms : a.id < b.id;
  });
  return out;
}

std::vector<OutboxRow> Records::outbox_in_flight(const Scope& scope) {
  Params values;
  add_scope(values, scope);
  return read_outbox_rows(db_.run("SELECT " + std::string(kOutboxColumns) +
                                      " FROM outbox WHERE status = 'in_flight' AND " +
                                      scope_condition(scope, 1) + " ORDER BY id",
                                  values));
}

void Records::update_outbox(std::int64_t id, std::string_view status, std::int64_t attempts,
                            std::int64_t due_at_ms, const std::optional<std::string>& last_error) {
  db_.run_later(
      "UPDATE outbox SET status = $1, attempts = $2, due_at_ms = $3, last_error = $4 WHERE id = $5",
      params(status, attempts, due_at_ms, last_error, id));
}

bool Records::upsert_order(const OrderRow& o) {
  const bool inserted =
      db_.run(
             "INSERT INTO orders (workspace_id, order_id, status, buyer_user_id, total, currency,"
             " line_items, created_at_ms, updated_at_ms)"
             " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING",
             params(o.workspace_id, o.order_id, o.status, o.buyer_user_id, o.total, o.currency,
                    o.line_items, o.at_ms))
          .affected() == 1;
  if (inserted) return true;
  db_.run_later(
      "UPDATE orders SET status = $1, updated_at_ms = $2 WHERE workspace_id = $3 AND order_id = $4",
      params(o.status, o.at_ms, o.workspace_id, o.order_id));
  return false;
}

std::optional<Attribution> Records::find_attribution(std::string_view workspace_id,
                                                     const std::vector<std::string>& codes,
                                                     std::int64_t since_ms) {
  std::optional<Attribution> latest;
  std::int64_t latest_at = 0;
  for (const auto& code : codes) {
    const Result r = db_.run(
        "SELECT flow_id, conversation_id, at_ms FROM inbox_messages WHERE workspace_id = $1"
        " AND attribution_code = $2 AND direction = 'out' AND status = 'sent'"
        " AND flow_id IS NOT NULL AND at_ms >= $3 ORDER BY at_ms DESC, id DESC LIMIT 1",
        params(workspace_id, code, since_ms));
    if (r.rows() == 0) continue;
    // Several codes may come back (a note naming two): the most recent message wins.
    const std::int64_t when = r.int64(0, 2);
    if (!latest || when > latest_at) {
      latest = Attribution{r.text(0, 0), r.text(0, 1), "dm_code"};
      latest_at = when;
    }
  }
  return latest;
}

void Records::attribute_order(std::string_view workspace_id, std::string_view order_id,
                              const Attribution& a) {
  db_.run_later(
      "UPDATE orders SET flow_id = $1, conversation_id = $2, attribution_method = $3"
      " WHERE workspace_id = $4 AND order_id = $5",
      params(a.flow_id, a.conversation_id, a.method, workspace_id, order_id));
}

}  // namespace sparks::store::postgresql

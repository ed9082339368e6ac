
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>

#include "store/backend_common.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/scope_sql.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

namespace {

OutboxRow read_outbox(SQLite::Statement& s) {
  OutboxRow r;
  r.id = s.getColumn(0).getInt64();
  r.workspace_id = s.getColumn(1).getString();
  r.platform = s.getColumn(2).getString();
  r.action = s.getColumn(3).getString();
  r.params = s.getColumn(4).getString();
  r.idempotency_key = s.getColumn(5).getString();
  r.flow_id = s.getColumn(6).getString();
  r.flow_version = s.getColumn(7).getInt64();
  r.user_id = s.getColumn(8).getString();
  r.status = s.getColumn(9).getString();
  r.attempts = s.getColumn(10).getInt64();
  r.due_at_ms = s.getColumn(11).getInt64();
  r.last_error = optional_text(s.getColumn(12));
  r.created_at_ms = s.getColumn(13).getInt64();
  return r;
}

}  // namespace

void Records::start_snapshot(bool read_only) {
  read_only_ = read_only;
  live_flows_seen_.clear();
  catalog_seen_.clear();
}

std::vector<LiveFlowRow> Records::live_flows(std::string_view workspace_id) {
  if (read_only_)
    if (auto seen = live_flows_seen_.find(workspace_id); seen != live_flows_seen_.end())
      return seen->second;
  Prepared select(
      db_,
      "SELECT a.id, a.version, v.definition FROM automations a JOIN flow_versions v"
      " ON v.workspace_id = a.workspace_id AND v.flow_id = a.id AND v.version = a.version"
      " WHERE a.workspace_id = ? AND a.status = 'live' ORDER BY a.id");
  bind_all(select, workspace_id);
  std::vector<LiveFlowRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getInt64(),
                   select.getColumn(2).getString()});
  if (read_only_) live_flows_seen_.emplace(std::string(workspace_id), out);
  return out;
}

ContactFacts Records::contact_facts(std::string_view workspace_id, std::string_view user_id) {
  ContactFacts facts;
  Prepared select(
      db_, "SELECT username, tags, fields FROM contacts WHERE workspace_id = ? AND user_id = ?");
  bind_all(select, workspace_id, user_id);
  if (select.executeStep()) {
    facts.username = select.getColumn(0).getString();
    facts.tags = select.getColumn(1).getString();
    facts.fields = select.getColumn(2).getString();
  }
  Prepared last(db_,
                "SELECT max(at_ms) FROM inbox_messages WHERE workspace_id = ? AND user_id = ?"
                " AND direction = 'out' AND status = 'sent' AND flow_id IS NOT NULL");
  bind_all(last, workspace_id, user_id);
  if (last.executeStep() && !last.getColumn(0).isNull())
    facts.last_dm_ms = last.getColumn(0).getInt64();
  Prepared inbound(db_,
                   "SELECT conversation_id, at_ms FROM inbox_messages WHERE workspace_id = ?"
                   " AND user_id = ? AND direction = 'in' ORDER BY at_ms DESC, id DESC LIMIT 1");
  bind_all(inbound, workspace_id, user_id);
  if (inbound.executeStep()) {
    facts.conversation_id = inbound.getColumn(0).getString();
    facts.last_inbound_ms = inbound.getColumn(1).getInt64();
    Prepared sent(db_,
                  "SELECT count(*) FROM inbox_messages WHERE workspace_id = ? AND user_id = ?"
                  " AND direction = 'out' AND status = 'sent' AND at_ms >= ?");
    bind_all(sent, workspace_id, user_id, *facts.last_inbound_ms);
    if (sent.executeStep()) facts.sent_since_inbound = sent.getColumn(0).getInt();
  }
  return facts;
}

void Records::update_contact_tags(std::string_view workspace_id, std::string_view user_id,
                                  const std::vector<std::string>& add,
                                  const std::vector<std::string>& remove) {
  Prepared update(db_, "UPDATE contacts SET tags = ? WHERE workspace_id = ? AND user_id = ?");
  bind_all(update, tags_changed(contact_facts(workspace_id, user_id).tags, add, remove),
           workspace_id, user_id);
  update.exec();
}

void Records::note_commenter(std::string_view workspace_id, std::string_view video_id,
                             std::string_view user_id, std::int64_t event_id) {
  Prepared insert(db_, "INSERT OR IGNORE INTO video_commenters VALUES (?, ?, ?, ?)");
  bind_all(insert, workspace_id, video_id, user_id, event_id);
  insert.exec();
}

bool Records::commented_before(std::string_view workspace_id, std::string_view user_id,
                               std::string_view video_id, std::int64_t event_id) {
  Prepared select(
      db_,
      "SELECT first_event_id FROM video_commenters WHERE workspace_id = ? AND video_id = ?"
      " AND user_id = ?");
  bind_all(select, workspace_id, video_id, user_id);
  return select.executeStep() && select.getColumn(0).getInt64() < event_id;
}

std::vector<CatalogSkuRow> Records::load_catalog(std::string_view workspace_id) {
  if (read_only_)
    if (auto seen = catalog_seen_.find(workspace_id); seen != catalog_seen_.end())
      return seen->second;
  Prepared select(db_,
                  "SELECT sku_id, product_id, seller_sku, title, price, currency, url"
                  " FROM catalog_skus WHERE workspace_id = ? ORDER BY seller_sku");
  bind_all(select, workspace_id);
  std::vector<CatalogSkuRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   select.getColumn(2).getString(), select.getColumn(3).getString(),
                   select.getColumn(4).getString(), select.getColumn(5).getString(),
                   select.getColumn(6).getString()});
  if (read_only_) catalog_seen_.emplace(std::string(workspace_id), out);
  return out;
}

bool Records::record_flow_run(const FlowRunRow& run) {
  Prepared insert(
      db_,
      "INSERT OR IGNORE INTO flow_runs (workspace_id, event_id, flow_id, flow_version, outcome,"
      " reason, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, run.workspace_id, run.event_id, run.flow_id, run.flow_version, run.outcome,
           run.reason, run.at_ms);
  return insert.exec() == 1;
}

void Records::add_flow_stat(std::string_view workspace_id, std::string_view flow_id,
                            std::string_view counter, std::int64_t delta) {
  Prepared upsert(
      db_,
      "INSERT INTO flow_stats (workspace_id, flow_id, counter, value) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (workspace_id, flow_id, counter) DO UPDATE SET value = value + ?4");
  bind_all(upsert, workspace_id, flow_id, counter, delta);
  upsert.exec();
}

std::vector<EventRow> Records::unhandled_events(std::string_view workspace_id,
                                                std::string_view platform, std::int64_t since_ms) {
  Prepared select(
      db_,
      "SELECT e.id, e.source, e.dedupe_key, e.kind, e.payload, e.received_at_ms FROM event_log e"
      " WHERE e.workspace_id = ?1 AND e.platform = ?2 AND e.received_at_ms >= ?3"
      " AND e.kind LIKE '%.%'"  // flow triggers are named platform.event
      " AND e.handled_at_ms IS NULL"
      " AND NOT EXISTS (SELECT 1 FROM flow_runs r WHERE r.workspace_id = ?1 AND r.event_id = e.id)"
      " ORDER BY e.id");
  bind_all(select, workspace_id, platform, since_ms);
  std::vector<EventRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getInt64(), std::string(workspace_id), std::string(platform),
                   select.getColumn(1).getString(), select.getColumn(2).getString(),
                   select.getColumn(3).getString(), select.getColumn(4).getString(),
                   select.getColumn(5).getInt64()});
  return out;
}

bool Records::enqueue(OutboxRow& r) {
  Prepared insert(
      db_,
      "INSERT OR IGNORE INTO outbox (workspace_id, platform, action, params, idempotency_key,"
      " flow_id, flow_version, user_id, status, attempts, due_at_ms, last_error, created_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, r.workspace_id, r.platform, r.action, r.params, r.idempotency_key, r.flow_id,
           r.flow_version, r.user_id, r.status, r.attempts, r.due_at_ms, r.last_error,
           r.created_at_ms);
  if (insert.exec() != 1) return false;
  r.id = db_.getLastInsertRowid();
  return true;
}

namespace {

constexpr std::string_view kOutboxColumns =
    "id, workspace_id, platform, action, params, idempotency_key, flow_id, flow_version, user_id,"
    " status, attempts, due_at_ms, last_error, created_at_ms";

}  // namespace

std::vector<OutboxRow> Records::take_due_outbox(std::int64_t now_ms, int limit,
                                                const Scope& scope) {
  Prepared select(db_, "SELECT " + std::string(kOutboxColumns) +
                           " FROM outbox WHERE status = 'pending' AND due_at_ms <= ? AND " +
                           scope_condition(scope) + " ORDER BY due_at_ms, id LIMIT ?");
  bind_all(select, now_ms);
  select.bind(bind_scope(select, 2, scope), std::int64_t{limit});
  std::vector<OutboxRow> out;
  while (select.executeStep()) out.push_back(read_outbox(select));
  Prepared mark(db_, "UPDATE outbox SET status = 'in_flight' WHERE id = ?");
  for (auto& row : out) {
    bind_all(mark, row.id);
    mark.exec();
    mark.reset();
    row.status = "in_flight";
  }
  return out;
}

std::vector<OutboxRow> Records::outbox_in_flight(const Scope& scope) {
  Prepared select(db_, "SELECT " + std::string(kOutboxColumns) +
                           " FROM outbox WHERE status = 'in_flight' AND " + scope_condition(scope) +
                           " ORDER BY id");
  bind_scope(select, 1, scope);
  std::vector<OutboxRow> out;
  while (select.executeStep()) out.push_back(read_outbox(select));
  return out;
}

void Records::update_outbox(std::int64_t id, std::string_view status, std::int64_t attempts,
                            std::int64_t due_at_ms, const std::optional<std::string>& last_error) {
  Prepared update(
      db_,
      "UPDATE outbox SET status = ?, attempts = ?, due_at_ms = ?, last_error = ? WHERE id = ?");
  bind_all(update, status, attempts, due_at_ms, last_error, id);
  update.exec();
}

bool Records::upsert_order(const OrderRow& o) {
  Prepared insert(
      db_,
      "INSERT OR IGNORE INTO orders (workspace_id, order_id, status, buyer_user_id, total,"
      " currency, line_items, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, o.workspace_id, o.order_id, o.status, o.buyer_user_id, o.total, o.currency,
           o.line_items, o.at_ms, o.at_ms);
  if (insert.exec() == 1) return true;
  Prepared update(
      db_,
      "UPDATE orders SET status = ?, updated_at_ms = ? WHERE workspace_id = ? AND order_id = ?");
  bind_all(update, o.status, o.at_ms, o.workspace_id, o.order_id);
  update.exec();
  return false;
}

std::optional<Attribution> Records::find_attribution(std::string_view workspace_id,
                                                     const std::vector<std::string>& codes,
                                                     std::int64_t since_ms) {
  Prepared select(
      db_,
      "SELECT flow_id, conversation_id, at_ms FROM inbox_messages WHERE workspace_id = ?"
      " AND attribution_code = ? AND direction = 'out' AND status = 'sent'"
      " AND flow_id IS NOT NULL AND at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT 1");
  std::optional<Attribution> latest;
  std::int64_t latest_at = 0;
  for (const auto& code : codes) {
    select.reset();
    bind_all(select, workspace_id, code, since_ms);
    if (!select.executeStep()) continue;
    // Several codes may come back (a note naming two): the most recent message wins.
    const std::int64_t when = select.getColumn(2).getInt64();
    if (!latest || when > latest_at) {
      latest =
          Attribution{select.getColumn(0).getString(), select.getColumn(1).getString(), "dm_code"};
      latest_at = when;
    }
  }
  return latest;
}

void Records::attribute_order(std::string_view workspace_id, std::string_view order_id,
                              const Attribution& a) {
  Prepared update(db_,
                  "UPDATE orders SET flow_id = ?, conversation_id = ?, attribution_method = ?"
                  " WHERE workspace_id = ? AND order_id = ?");
  bind_all(update, a.flow_id, a.conversation_id, a.method, workspace_id, order_id);
  update.exec();
}

std::vector<FlowRunHistoryRow> Records::list_flow_runs(std::string_view workspace_id,
                                                       std::string_view flow_id,
                                                       const PageRequest& page) {
  Prepared select(db_,
                  "SELECT r.workspace_id, r.event_id, r.flow_id, r.flow_version, r.outcome,"
                  " r.reason, r.at_ms, coalesce(e.kind, ''), coalesce(e.payload, '{}')"
                  " FROM flow_runs r LEFT JOIN event_log e ON e.id = r.event_id"
                  " WHERE r.workspace_id = ?1 AND r.flow_id = ?2"
                  " AND (?3 = 0 OR r.event_id < ?4) ORDER BY r.event_id DESC LIMIT ?5");
  bind_all(select, workspace_id, flow_id, has_after(page), after_key(page).number, page.limit);
  std::vector<FlowRunHistoryRow> out;
  while (select.executeStep())
    out.push_back({{select.getColumn(0).getString(), select.getColumn(1).getInt64(),
                    select.getColumn(2).getString(), select.getColumn(3).getInt64(),
                    select.getColumn(4).getString(), select.getColumn(5).getString(),
                    select.getColumn(6).getInt64()},
                   select.getColumn(7).getString(),
                   select.getColumn(8).getString()});
  return out;
}

std::vector<OutboxRow> Records::outbox_steps_of_run(std::string_view workspace_id,
                                                    std::string_view flow_id,
                                                    std::int64_t event_id) {
  const auto [from, to] = run_step_keys(event_id, flow_id);
  Prepared select(db_, "SELECT " + std::string(kOutboxColumns) +
                           " FROM outbox WHERE idempotency_key >= ? AND idempotency_key < ?"
                           " AND workspace_id = ? ORDER BY id");
  bind_all(select, from, to, workspace_id);
  std::vector<OutboxRow> out;
  while (select.executeStep()) out.push_back(read_outbox(select));
  return out;
}

}  // namespace sparks::store::sqlite

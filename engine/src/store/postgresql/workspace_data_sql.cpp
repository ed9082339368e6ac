#include "store/backend_common.hpp"
#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {

namespace {

std::int64_t count(Session& db, const std::string& table, std::string_view workspace_id) {
  return db.run("SELECT count(*) FROM " + table + " WHERE workspace_id = $1", params(workspace_id))
      .int64(0, 0);
}

}  // namespace

void Records::upsert_contact(std::string_view workspace_id, std::string_view user_id,
                             std::string_view username, std::int64_t at_ms) {
  db_.run_later(
      "INSERT INTO contacts AS c (workspace_id, user_id, username, first_seen_ms, last_seen_ms)"
      " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (workspace_id, user_id) DO UPDATE SET"
      " username = CASE WHEN excluded.username = '' THEN c.username ELSE excluded.username END,"
      " last_seen_ms = GREATEST(c.last_seen_ms, excluded.last_seen_ms)"
      " WHERE (excluded.username <> '' AND excluded.username <> c.username)"
      " OR excluded.last_seen_ms >= c.last_seen_ms + $5",
      params(workspace_id, user_id, username, at_ms, kLastSeenGrainMs));
}

void Records::append_inbox_message(const InboxMessageRow& m) {
  db_.run_later(
      "INSERT INTO inbox_messages (workspace_id, conversation_id, user_id, direction, text,"
      " status, flow_id, platform_message_id, skus, at_ms, attribution_code)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      params(m.workspace_id, m.conversation_id, m.user_id, m.direction, m.text, m.status, m.flow_id,
             m.platform_message_id, m.skus, m.at_ms, m.attribution_code));
}

void Records::replace_catalog(std::string_view workspace_id, const std::vector<CatalogSkuRow>& skus,
                              std::int64_t at_ms) {
  db_.run_later("DELETE FROM catalog_skus WHERE workspace_id = $1", params(workspace_id));
  for (const auto& sku : skus) {
    db_.run_later(
        "INSERT INTO catalog_skus (workspace_id, sku_id, product_id, seller_sku, title, price,"
        " currency, url, synced_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (workspace_id, sku_id) DO UPDATE SET product_id = excluded.product_id,"
        " seller_sku = excluded.seller_sku, title = excluded.title, price = excluded.price,"
        " currency = excluded.currency, url = excluded.url, synced_at_ms = excluded.synced_at_ms",
        params(workspace_id, sku.sku_id, sku.product_id, sku.seller_sku, sku.title, sku.price,
               sku.currency, sku.url, at_ms));
  }
}

std::vector<std::string> Records::catalog_seller_skus(std::string_view workspace_id) {
  const Result r =
      db_.run("SELECT seller_sku FROM catalog_skus WHERE workspace_id = $1 ORDER BY seller_sku",
              params(workspace_id));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

void Records::replace_posts(std::string_view workspace_id, const std::vector<PostRow>& posts,
                            std::int64_t at_ms) {
  db_.run_later("DELETE FROM posts WHERE workspace_id = $1", params(workspace_id));
  for (const auto& post : posts) {
    db_.run_later(
        "INSERT INTO posts (workspace_id, video_id, title, synced_at_ms) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (workspace_id, video_id) DO UPDATE SET title = excluded.title,"
        " synced_at_ms = excluded.synced_at_ms",
        params(workspace_id, post.video_id, post.title, at_ms));
  }
}

std::vector<ContactRow> Records::list_contacts(std::string_view workspace_id,
                                               const PageRequest& page) {
  const auto after = after_key(page);
  const Result r = db_.run(
      "SELECT user_id, username, tags, fields, first_seen_ms, last_seen_ms FROM contacts"
      " WHERE workspace_id = $1 AND ($2 = 0 OR first_seen_ms > $3"
      " OR (first_seen_ms = $3 AND user_id > $4)) ORDER BY first_seen_ms, user_id LIMIT $5",
      params(workspace_id, has_after(page), after.number, after.text, page.limit));
  std::vector<ContactRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(
        {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4), r.int64(i, 5)});
  return out;
}

std::vector<InboxMessageRow> Records::list_inbox_messages(std::string_view workspace_id,
                                                          const PageRequest& page) {
  const Result r = db_.run(
      "SELECT m.conversation_id, m.user_id, m.direction, m.text, m.status, m.flow_id,"
      " m.platform_message_id, m.skus, m.at_ms, m.id FROM inbox_messages m"
      " JOIN (SELECT conversation_id, max(id) AS last_id FROM inbox_messages"
      " WHERE workspace_id = $1 GROUP BY conversation_id"
      " HAVING $2 = 0 OR max(id) < $3 ORDER BY last_id DESC LIMIT $4) AS page"
      " ON page.conversation_id = m.conversation_id WHERE m.workspace_id = $1 ORDER BY m.id",
      params(workspace_id, has_after(page), after_key(page).number, page.limit));
  std::vector<InboxMessageRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back({std::string(workspace_id), r.text(i, 0), r.text(i, 1), r.text(i, 2),
                   r.text(i, 3), r.text(i, 4), r.optional_text(i, 5), r.optional_text(i, 6),
                   r.text(i, 7), r.int64(i, 8)});
    out.back().id = r.int64(i, 9);
  }
  return out;
}

std::vector<StoredOrderRow> Records::list_orders(std::string_view workspace_id,
                                                 const PageRequest& page) {
  const auto after = after_key(page);
  const Result r = db_.run(
      "SELECT order_id, status, buyer_user_id, total, currency, line_items, flow_id,"
      " conversation_id, created_at_ms, updated_at_ms, attribution_method FROM orders"
      " WHERE workspace_id = $1 AND ($2 = 0 OR created_at_ms < $3"
      " OR (created_at_ms = $3 AND order_id > $4))"
      " ORDER BY created_at_ms DESC, order_id LIMIT $5",
      params(workspace_id, has_after(page), after.number, after.text, page.limit));
  std::vector<StoredOrderRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), r.optional_text(i, 2), r.optional_text(i, 3),
                   r.optional_text(i, 4), r.text(i, 5), r.optional_text(i, 6),
                   r.optional_text(i, 7), r.int64(i, 8), r.int64(i, 9), r.optional_text(i, 10)});
  return out;
}

std::vector<FlowStatRow> Records::list_flow_stats(std::string_view workspace_id,
                                                  const PageRequest& page) {
  const Result r = db_.run(
      "SELECT flow_id, counter, value FROM flow_stats WHERE workspace_id = $1"
      " AND flow_id IN (SELECT DISTINCT flow_id FROM flow_stats"
      " WHERE workspace_id = $1 AND ($2 = 0 OR flow_id > $3) ORDER BY flow_id LIMIT $4)"
      " ORDER BY flow_id, counter",
      params(workspace_id, has_after(page), after_key(page).text, page.limit));
  std::vector<FlowStatRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.int64(i, 2)});
  return out;
}

std::vector<FlowStatRow> Records::flow_stat_totals(std::string_view workspace_id) {
  const Result r = db_.run(
      "SELECT counter, sum(value)::bigint FROM flow_stats WHERE workspace_id = $1"
      " GROUP BY counter ORDER BY counter",
      params(workspace_id));
  std::vector<FlowStatRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({"", r.text(i, 0), r.int64(i, 1)});
  return out;
}

KeptCounts Records::count_kept(std::string_view workspace_id) {
  return {count(db_, "contacts", workspace_id), count(db_, "inbox_messages", workspace_id),
          count(db_, "orders", workspace_id), count(db_, "automations", workspace_id)};
}

void Records::delete_workspace(std::string_view workspace_id) {
  for (const char* table : kWorkspaceTables)
    db_.run_later(std::string("DELETE FROM ") + table + " WHERE workspace_id = $1",
                  params(workspace_id));
  // Plugin storage names the workspace as its integration.
  db_.run_later("DELETE FROM plugin_kv WHERE integration = $1", params(workspace_id));
}

}  // namespace sparks::store::postgresql


#include <SQLiteCpp/Statement.h>

#include <map>

#include "store/backend_common.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

namespace {

std::int64_t count(SQLite::Database& db, const std::string& table, std::string_view workspace_id) {
  Prepared select(db, "SELECT count(*) FROM " + table + " WHERE workspace_id = ?");
  bind_all(select, workspace_id);
  select.executeStep();
  return select.getColumn(0).getInt64();
}

}  // namespace

void Records::upsert_contact(std::string_view workspace_id, std::string_view user_id,
                             std::string_view username, std::int64_t at_ms) {
  Prepared upsert(db_,
                  "INSERT INTO contacts (workspace_id, user_id, username, first_seen_ms,"
                  " last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?4)"
                  " ON CONFLICT (workspace_id, user_id) DO UPDATE SET"
                  " username = CASE WHEN ?3 = '' THEN username ELSE ?3 END,"
                  " last_seen_ms = max(last_seen_ms, ?4)"
                  " WHERE (?3 <> '' AND ?3 <> username) OR ?4 >= last_seen_ms + ?5");
  bind_all(upsert, workspace_id, user_id, username, at_ms, kLastSeenGrainMs);
  upsert.exec();
}

void Records::append_inbox_message(const InboxMessageRow& m) {
  Prepared insert(db_,
                  "INSERT INTO inbox_messages (workspace_id, conversation_id, user_id,"
                  " direction, text, status, flow_id, platform_message_id, skus, at_ms,"
                  " attribution_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, m.workspace_id, m.conversation_id, m.user_id, m.direction, m.text, m.status,
           m.flow_id, m.platform_message_id, m.skus, m.at_ms, m.attribution_code);
  insert.exec();
}

void Records::replace_catalog(std::string_view workspace_id, const std::vector<CatalogSkuRow>& skus,
                              std::int64_t at_ms) {
  Prepared clear(db_, "DELETE FROM catalog_skus WHERE workspace_id = ?");
  bind_all(clear, workspace_id);
  clear.exec();
  Prepared insert(db_,
                  "INSERT OR REPLACE INTO catalog_skus (workspace_id, sku_id, product_id,"
                  " seller_sku, title, price, currency, url, synced_at_ms)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& sku : skus) {
    bind_all(insert, workspace_id, sku.sku_id, sku.product_id, sku.seller_sku, sku.title, sku.price,
             sku.currency, sku.url, at_ms);
    insert.exec();
    insert.reset();
  }
}

std::vector<std::string> Records::catalog_seller_skus(std::string_view workspace_id) {
  Prepared select(db_,
                  "SELECT seller_sku FROM catalog_skus WHERE workspace_id = ? ORDER BY seller_sku");
  bind_all(select, workspace_id);
  std::vector<std::string> out;
  while (select.executeStep()) out.push_back(select.getColumn(0).getString());
  return out;
}

void Records::replace_posts(std::string_view workspace_id, const std::vector<PostRow>& posts,
                            std::int64_t at_ms) {
  Prepared clear(db_, "DELETE FROM posts WHERE workspace_id = ?");
  bind_all(clear, workspace_id);
  clear.exec();
  Prepared insert(db_,
                  "INSERT OR REPLACE INTO posts (workspace_id, video_id, title,"
                  " synced_at_ms) VALUES (?, ?, ?, ?)");
  for (const auto& post : posts) {
    bind_all(insert, workspace_id, post.video_id, post.title, at_ms);
    insert.exec();
    insert.reset();
  }
}

std::vector<ContactRow> Records::list_contacts(std::string_view workspace_id,
                                               const PageRequest& page) {
  Prepared select(db_,
                  "SELECT user_id, username, tags, fields, first_seen_ms, last_seen_ms"
                  " FROM contacts WHERE workspace_id = ?1 AND (?2 = 0 OR first_seen_ms > ?3"
                  " OR (first_seen_ms = ?3 AND user_id > ?4))"
                  " ORDER BY first_seen_ms, user_id LIMIT ?5");
  const auto after = after_key(page);
  bind_all(select, workspace_id, has_after(page), after.number, after.text, page.limit);
  std::vector<ContactRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   select.getColumn(2).getString(), select.getColumn(3).getString(),
                   select.getColumn(4).getInt64(), select.getColumn(5).getInt64()});
  return out;
}

std::vector<InboxMessageRow> Records::list_inbox_messages(std::string_view workspace_id,
                                                          const PageRequest& page) {
  Prepared select(db_,
                  "SELECT m.conversation_id, m.user_id, m.direction, m.text, m.status, m.flow_id,"
                  " m.platform_message_id, m.skus, m.at_ms, m.id FROM inbox_messages m"
                  " JOIN (SELECT conversation_id, max(id) AS last_id FROM inbox_messages"
                  " WHERE workspace_id = ?1 GROUP BY conversation_id"
                  " HAVING ?2 = 0 OR max(id) < ?3 ORDER BY last_id DESC LIMIT ?4) AS page"
                  " ON page.conversation_id = m.conversation_id"
                  " WHERE m.workspace_id = ?1 ORDER BY m.id");
  bind_all(select, workspace_id, has_after(page), after_key(page).number, page.limit);
  std::vector<InboxMessageRow> out;
  while (select.executeStep()) {
    out.push_back({std::string(workspace_id), select.getColumn(0).getString(),
                   select.getColumn(1).getString(), select.getColumn(2).getString(),
                   select.getColumn(3).getString(), select.getColumn(4).getString(),
                   optional_text(select.getColumn(5)), optional_text(select.getColumn(6)),
                   select.getColumn(7).getString(), select.getColumn(8).getInt64()});
    out.back().id = select.getColumn(9).getInt64();
  }
  return out;
}

std::vector<StoredOrderRow> Records::list_orders(std::string_view workspace_id,
                                                 const PageRequest& page) {
  Prepared select(db_,
                  "SELECT order_id, status, buyer_user_id, total, currency, line_items,"
                  " flow_id, conversation_id, created_at_ms, updated_at_ms, attribution_method"
                  " FROM orders WHERE workspace_id = ?1 AND (?2 = 0 OR created_at_ms < ?3"
                  " OR (created_at_ms = ?3 AND order_id > ?4))"
                  " ORDER BY created_at_ms DESC, order_id LIMIT ?5");
  const auto after = after_key(page);
  bind_all(select, workspace_id, has_after(page), after.number, after.text, page.limit);
  std::vector<StoredOrderRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   optional_text(select.getColumn(2)), optional_text(select.getColumn(3)),
                   optional_text(select.getColumn(4)), select.getColumn(5).getString(),
                   optional_text(select.getColumn(6)), optional_text(select.getColumn(7)),
                   select.getColumn(8).getInt64(), select.getColumn(9).getInt64(),
                   optional_text(select.getColumn(10))});
  return out;
}

std::vector<FlowStatRow> Records::list_flow_stats(std::string_view workspace_id,
                                                  const PageRequest& page) {
  Prepared select(db_,
                  "SELECT flow_id, counter, value FROM flow_stats WHERE workspace_id = ?1"
                  " AND flow_id IN (SELECT DISTINCT flow_id FROM flow_stats"
                  " WHERE workspace_id = ?1 AND (?2 = 0 OR flow_id > ?3) ORDER BY flow_id LIMIT ?4)"
                  " ORDER BY flow_id, counter");
  bind_all(select, workspace_id, has_after(page), after_key(page).text, page.limit);
  std::vector<FlowStatRow> out;
  while (select.executeStep())
    out.push_back({select.getColumn(0).getString(), select.getColumn(1).getString(),
                   select.getColumn(2).getInt64()});
  return out;
}

std::vector<FlowStatRow> Records::flow_stat_totals(std::string_view workspace_id) {
  Prepared select(db_,
                  "SELECT counter, sum(value) FROM flow_stats WHERE workspace_id = ?"
                  " GROUP BY counter ORDER BY counter");
  bind_all(select, workspace_id);
  std::vector<FlowStatRow> out;
  while (select.executeStep())
    out.push_back({"", select.getColumn(0).getString(), select.getColumn(1).getInt64()});
  return out;
}

KeptCounts Records::count_kept(std::string_view workspace_id) {
  return {count(db_, "contacts", workspace_id), count(db_, "inbox_messages", workspace_id),
          count(db_, "orders", workspace_id), count(db_, "automations", workspace_id)};
}

void Records::delete_workspace(std::string_view workspace_id) {
  for (const char* table : kWorkspaceTables) {
    Prepared remove(db_, std::string("DELETE FROM ") + table + " WHERE workspace_id = ?");
    bind_all(remove, workspace_id);
    remove.exec();
  }
  // Plugin storage names the workspace as its integration.
  Prepared remove_kv(db_, "DELETE FROM plugin_kv WHERE integration = ?");
  bind_all(remove_kv, workspace_id);
  remove_kv.exec();
}

}  // namespace sparks::store::sqlite

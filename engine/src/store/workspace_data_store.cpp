#include "store/workspace_data_store.hpp"

#include <SQLiteCpp/Statement.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <map>

#include "store/prepared.hpp"
#include "store/sql_binding.hpp"

namespace sparks::store {

namespace {

boost::json::value parsed(const SQLite::Column& column) {
  boost::system::error_code ec;
  auto value = boost::json::parse(column.getString(), ec);
  return ec ? boost::json::value(nullptr) : value;
}

boost::json::value text_or_null(const SQLite::Column& column) {
  return column.isNull() ? boost::json::value(nullptr) : boost::json::value(column.getString());
}

std::int64_t count(SQLite::Database& db, const std::string& table, std::string_view workspace_id) {
  Prepared select(db, "SELECT count(*) FROM " + table + " WHERE workspace_id = ?");
  bind_all(select, workspace_id);
  select.executeStep();
  return select.getColumn(0).getInt64();
}

// Every table that holds a workspace's rows; closing the workspace empties them all.
constexpr const char* kWorkspaceTables[] = {"integrations",
                                            "lifecycle_transitions",
                                            "lifecycle_timers",
                                            "integration_issues",
                                            "automation_requirements",
                                            "automations",
                                            "credentials",
                                            "event_log",
                                            "oauth_sessions",
                                            "audit_log",
                                            "integration_facts",
                                            "flow_versions",
                                            "catalog_skus",
                                            "posts",
                                            "contacts",
                                            "inbox_messages",
                                            "orders",
                                            "flow_stats",
                                            "outbox",
                                            "flow_runs",
                                            "video_commenters"};

}  // namespace

void upsert_contact(SQLite::Database& db, std::string_view workspace_id, std::string_view user_id,
                    std::string_view username, std::int64_t at_ms) {
  Prepared upsert(db,
                  "INSERT INTO contacts (workspace_id, user_id, username, first_seen_ms,"
                  " last_seen_ms) VALUES (?1, ?2, ?3, ?4, ?4)"
                  " ON CONFLICT (workspace_id, user_id) DO UPDATE SET"
                  " username = CASE WHEN ?3 = '' THEN username ELSE ?3 END,"
                  " last_seen_ms = max(last_seen_ms, ?4)");
  bind_all(upsert, workspace_id, user_id, username, at_ms);
  upsert.exec();
}

void append_inbox_message(SQLite::Database& db, const InboxMessageRow& m) {
  Prepared insert(db,
                  "INSERT INTO inbox_messages (workspace_id, conversation_id, user_id,"
                  " direction, text, status, flow_id, platform_message_id, skus, at_ms)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, m.workspace_id, m.conversation_id, m.user_id, m.direction, m.text, m.status,
           m.flow_id, m.platform_message_id, m.skus, m.at_ms);
  insert.exec();
}

void replace_catalog(SQLite::Database& db, std::string_view workspace_id,
                     const std::vector<CatalogSkuRow>& skus, std::int64_t at_ms) {
  Prepared clear(db, "DELETE FROM catalog_skus WHERE workspace_id = ?");
  bind_all(clear, workspace_id);
  clear.exec();
  Prepared insert(db,
                  "INSERT OR REPLACE INTO catalog_skus (workspace_id, sku_id, product_id,"
                  " seller_sku, title, price, currency, synced_at_ms)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& sku : skus) {
    bind_all(insert, workspace_id, sku.sku_id, sku.product_id, sku.seller_sku, sku.title, sku.price,
             sku.currency, at_ms);
    insert.exec();
    insert.reset();
  }
}

std::vector<std::string> catalog_seller_skus(SQLite::Database& db, std::string_view workspace_id) {
  Prepared select(db,
                  "SELECT seller_sku FROM catalog_skus WHERE workspace_id = ? ORDER BY seller_sku");
  bind_all(select, workspace_id);
  std::vector<std::string> out;
  while (select.executeStep()) out.push_back(select.getColumn(0).getString());
  return out;
}

void replace_posts(SQLite::Database& db, std::string_view workspace_id,
                   const std::vector<PostRow>& posts, std::int64_t at_ms) {
  Prepared clear(db, "DELETE FROM posts WHERE workspace_id = ?");
  bind_all(clear, workspace_id);
  clear.exec();
  Prepared insert(db,
                  "INSERT OR REPLACE INTO posts (workspace_id, video_id, title,"
                  " synced_at_ms) VALUES (?, ?, ?, ?)");
  for (const auto& post : posts) {
    bind_all(insert, workspace_id, post.video_id, post.title, at_ms);
    insert.exec();
    insert.reset();
  }
}

boost::json::array list_contacts(SQLite::Database& db, std::string_view workspace_id) {
  Prepared select(db,
                  "SELECT user_id, username, tags, fields, first_seen_ms, last_seen_ms"
                  " FROM contacts WHERE workspace_id = ? ORDER BY first_seen_ms, user_id");
  bind_all(select, workspace_id);
  boost::json::array out;
  while (select.executeStep())
    out.push_back({{"user", select.getColumn(0).getString()},
                   {"username", select.getColumn(1).getString()},
                   {"tags", parsed(select.getColumn(2))},
                   {"fields", parsed(select.getColumn(3))},
                   {"first_seen_ms", select.getColumn(4).getInt64()},
                   {"last_seen_ms", select.getColumn(5).getInt64()}});
  return out;
}

boost::json::array list_conversations(SQLite::Database& db, std::string_view workspace_id) {
  Prepared select(db,
                  "SELECT conversation_id, user_id, direction, text, status, flow_id,"
                  " platform_message_id, skus, at_ms FROM inbox_messages"
                  " WHERE workspace_id = ? ORDER BY id");
  bind_all(select, workspace_id);
  std::map<std::string, boost::json::object> by_conversation;
  std::vector<std::string> order;  // by latest activity
  while (select.executeStep()) {
    const std::string conversation = select.getColumn(0).getString();
    auto [it, fresh] = by_conversation.try_emplace(conversation);
    if (fresh) {
      it->second["conversation_id"] = conversation;
      it->second["user"] = select.getColumn(1).getString();
      it->second["messages"] = boost::json::array();
    }
    std::erase(order, conversation);
    order.push_back(conversation);
    it->second["last_at_ms"] = select.getColumn(8).getInt64();
    it->second["messages"].as_array().push_back({{"direction", select.getColumn(2).getString()},
                                                 {"text", select.getColumn(3).getString()},
                                                 {"status", select.getColumn(4).getString()},
                                                 {"flow_id", text_or_null(select.getColumn(5))},
                                                 {"message_id", text_or_null(select.getColumn(6))},
                                                 {"skus", parsed(select.getColumn(7))},
                                                 {"at_ms", select.getColumn(8).getInt64()}});
  }
  boost::json::array out;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    out.push_back(std::move(by_conversation[*it]));
  return out;
}

boost::json::array list_orders(SQLite::Database& db, std::string_view workspace_id) {
  Prepared select(db,
                  "SELECT order_id, status, buyer_user_id, total, currency, line_items,"
                  " flow_id, conversation_id, created_at_ms, updated_at_ms FROM orders"
                  " WHERE workspace_id = ? ORDER BY created_at_ms DESC, order_id");
  bind_all(select, workspace_id);
  boost::json::array out;
  while (select.executeStep()) {
    const bool attributed = !select.getColumn(6).isNull();
    out.push_back({{"order_id", select.getColumn(0).getString()},
                   {"status", select.getColumn(1).getString()},
                   {"buyer", text_or_null(select.getColumn(2))},
                   {"total", text_or_null(select.getColumn(3))},
                   {"currency", text_or_null(select.getColumn(4))},
                   {"line_items", parsed(select.getColumn(5))},
                   {"attributed", attributed},
                   {"flow_id", text_or_null(select.getColumn(6))},
                   {"conversation_id", text_or_null(select.getColumn(7))},
                   {"created_at_ms", select.getColumn(8).getInt64()},
                   {"updated_at_ms", select.getColumn(9).getInt64()}});
  }
  return out;
}

boost::json::array list_flow_stats(SQLite::Database& db, std::string_view workspace_id) {
  Prepared select(db,
                  "SELECT flow_id, counter, value FROM flow_stats WHERE workspace_id = ?"
                  " ORDER BY flow_id, counter");
  bind_all(select, workspace_id);
  boost::json::array out;
  while (select.executeStep()) {
    const std::string flow = select.getColumn(0).getString();
    if (out.empty() || out.back().at("flow_id").as_string() != flow)
      out.push_back({{"flow_id", flow}, {"counters", boost::json::object()}});
    out.back().as_object()["counters"].as_object()[select.getColumn(1).getString()] =
        select.getColumn(2).getInt64();
  }
  return out;
}

KeptCounts count_kept(SQLite::Database& db, std::string_view workspace_id) {
  return {count(db, "contacts", workspace_id), count(db, "inbox_messages", workspace_id),
          count(db, "orders", workspace_id), count(db, "automations", workspace_id)};
}

void delete_workspace(SQLite::Database& db, std::string_view workspace_id) {
  for (const char* table : kWorkspaceTables) {
    Prepared remove(db, std::string("DELETE FROM ") + table + " WHERE workspace_id = ?");
    bind_all(remove, workspace_id);
    remove.exec();
  }
  // Plugin storage names the workspace as its integration.
  Prepared remove_kv(db, "DELETE FROM plugin_kv WHERE integration = ?");
  bind_all(remove_kv, workspace_id);
  remove_kv.exec();
}

}  // namespace sparks::store

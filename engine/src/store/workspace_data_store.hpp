#pragma once
// The SQL for what a workspace keeps (contacts, inbox, orders, analytics counters, the synced
// catalog and posts) and for closing a workspace, the only thing that deletes any of it.
// Listings come back as JSON arrays, the shape the API serves.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <boost/json/array.hpp>

namespace sparks::store {

// Creates the contact or refreshes its username and last-seen time.
void upsert_contact(SQLite::Database& db, std::string_view workspace_id, std::string_view user_id,
                    std::string_view username, std::int64_t at_ms);

struct InboxMessageRow {
  std::string workspace_id;
  std::string conversation_id;
  std::string user_id;
  std::string direction;  // "in" or "out"
  std::string text;
  std::string status;  // "received", "sent", "failed", "skipped"
  std::optional<std::string> flow_id;
  std::optional<std::string> platform_message_id;
  std::string skus = "[]";
  std::int64_t at_ms = 0;
};
void append_inbox_message(SQLite::Database& db, const InboxMessageRow& message);

struct CatalogSkuRow {
  std::string sku_id, product_id, seller_sku, title, price, currency;
};
// Replaces the workspace's catalog with `skus` (a completed sync is the truth).
void replace_catalog(SQLite::Database& db, std::string_view workspace_id,
                     const std::vector<CatalogSkuRow>& skus, std::int64_t at_ms);
std::vector<std::string> catalog_seller_skus(SQLite::Database& db, std::string_view workspace_id);

struct PostRow {
  std::string video_id, title;
};
void replace_posts(SQLite::Database& db, std::string_view workspace_id,
                   const std::vector<PostRow>& posts, std::int64_t at_ms);

boost::json::array list_contacts(SQLite::Database& db, std::string_view workspace_id);
// Conversations, newest activity first, each with its messages oldest first.
boost::json::array list_conversations(SQLite::Database& db, std::string_view workspace_id);
boost::json::array list_orders(SQLite::Database& db, std::string_view workspace_id);
// [{flow_id, counters: {name: value}}]
boost::json::array list_flow_stats(SQLite::Database& db, std::string_view workspace_id);

// How many rows of each kept kind a workspace has: {contacts, messages, orders, flows}.
struct KeptCounts {
  std::int64_t contacts = 0, messages = 0, orders = 0, flows = 0;
};
KeptCounts count_kept(SQLite::Database& db, std::string_view workspace_id);

// Deletes every row of the workspace, in every table.
void delete_workspace(SQLite::Database& db, std::string_view workspace_id);

}  // namespace sparks::store

#pragma once
// What a workspace keeps (contacts, inbox, orders, analytics counters, the synced
// catalog and posts) and for closing a workspace, the only thing that deletes any of it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/page.hpp"

namespace sparks::store {

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
  // A message a flow sent: the code it offered as {{attribution.code}}
  // (flows/attribution_code.hpp).
  std::optional<std::string> attribution_code;
  std::int64_t id = 0;  // set when read: the order the messages were written in
};

struct CatalogSkuRow {
  std::string sku_id, product_id, seller_sku, title, price, currency;
  std::string url = {};  // the product's page, as its connector gives it
};

struct ContactRow {
  std::string user_id, username;
  std::string tags = "[]", fields = "{}";  // JSON
  std::int64_t first_seen_ms = 0, last_seen_ms = 0;
};

struct StoredOrderRow {
  std::string order_id, status;
  std::optional<std::string> buyer_user_id, total, currency;
  std::string line_items = "[]";                        // JSON
  std::optional<std::string> flow_id, conversation_id;  // set once attributed
  std::int64_t created_at_ms = 0, updated_at_ms = 0;
  std::optional<std::string> attribution_method;  // how, once attributed: "dm_code"
};

struct FlowStatRow {
  std::string flow_id, counter;
  std::int64_t value = 0;
};

struct PostRow {
  std::string video_id, title;
};

// How many rows of each kept kind a workspace has: {contacts, messages, orders, flows}.
struct KeptCounts {
  std::int64_t contacts = 0, messages = 0, orders = 0, flows = 0;
};

// A contact's last-seen time is for people to read (how long ago they were seen), so it is kept
// to the minute: a fan commenting through a live stream rewrites their contact's row once a
// minute, not with every comment, and the commit that acknowledges the webhook carries a page less
// (docs/performance.md, "Contacts seen to the minute").
inline constexpr std::int64_t kLastSeenGrainMs = 60'000;

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class WorkspaceDataRecords {
 public:
  // Creates the contact or refreshes its username and last-seen time. The time moves by whole
  // grains (kLastSeenGrainMs): a contact who comments again within one is not written again.
  virtual void upsert_contact(std::string_view workspace_id, std::string_view user_id,
                              std::string_view username, std::int64_t at_ms) = 0;

  virtual void append_inbox_message(const InboxMessageRow& message) = 0;

  // Replaces the workspace's catalog with `skus` (a completed sync is the truth).
  virtual void replace_catalog(std::string_view workspace_id,
                               const std::vector<CatalogSkuRow>& skus, std::int64_t at_ms) = 0;

  virtual std::vector<std::string> catalog_seller_skus(std::string_view workspace_id) = 0;

  virtual void replace_posts(std::string_view workspace_id, const std::vector<PostRow>& posts,
                             std::int64_t at_ms) = 0;

  // Oldest first (by first_seen_ms, then user_id: the page key).
  virtual std::vector<ContactRow> list_contacts(std::string_view workspace_id,
                                                const PageRequest& page = {}) = 0;
  // The messages of the page's conversations, oldest first. Conversations go newest activity
  // first, keyed by the id of their latest message (PageKey::number): `page.limit` conversations
  // after `page.after`.
  virtual std::vector<InboxMessageRow> list_inbox_messages(std::string_view workspace_id,
                                                           const PageRequest& page = {}) = 0;
  // Newest first (by created_at_ms descending, then order_id: the page key).
  virtual std::vector<StoredOrderRow> list_orders(std::string_view workspace_id,
                                                  const PageRequest& page = {}) = 0;
  // By flow, then counter name: the counters of `page.limit` flows after `page.after` (the flow
  // id, PageKey::text).
  virtual std::vector<FlowStatRow> list_flow_stats(std::string_view workspace_id,
                                                   const PageRequest& page = {}) = 0;
  // Each counter summed over every flow of the workspace, by counter name.
  virtual std::vector<FlowStatRow> flow_stat_totals(std::string_view workspace_id) = 0;

  virtual KeptCounts count_kept(std::string_view workspace_id) = 0;

  // Deletes every row of the workspace, in every table.
  virtual void delete_workspace(std::string_view workspace_id) = 0;

 protected:
  ~WorkspaceDataRecords() = default;
};

}  // namespace sparks::store

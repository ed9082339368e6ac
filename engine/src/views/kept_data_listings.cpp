// What a workspace kept (contacts, inbox, orders, analytics), a page at a time, read on the
// reader's connection so that a long listing never holds up the writer (docs/architecture.md,
// "Threads"). The keys each listing pages by are in store/workspace_data_store.hpp.
#include <algorithm>
#include <map>

#include "runtime/engine_impl.hpp"
#include "store/workspace_data_store.hpp"
#include "views/kept_data_json.hpp"
#include "views/page_cursor.hpp"

namespace sparks {

namespace {

using PagedQuery =
    std::function<boost::json::value(store::Transaction&, const store::PageRequest&)>;

// Checks the page, then runs `query` on the reader with what the store is to be asked.
void list_page(Engine::Impl& impl, std::string_view listing, const Page& page, ReplyHandler done,
               PagedQuery query) {
  auto request = runtime::page_request(listing, page);
  if (auto* error = std::get_if<Error>(&request)) return impl.reply(std::move(done), {*error, {}});
  impl.list([query = std::move(query), request = std::get<store::PageRequest>(std::move(request))](
                store::Transaction& tx) { return query(tx, request); },
            std::move(done));
}

// The conversations of a page of messages (those of limit + 1 conversations at most), by their
// latest message, newest first; the messages of any beyond `limit` are dropped.
boost::json::value keep_conversations(std::vector<store::InboxMessageRow>& messages,
                                      std::size_t limit) {
  std::map<std::string, std::int64_t> last_id;
  for (const auto& m : messages)
    last_id[m.conversation_id] = std::max(last_id[m.conversation_id], m.id);
  if (last_id.size() <= limit) return nullptr;
  std::vector<std::int64_t> latest;
  for (const auto& [conversation, id] : last_id) latest.push_back(id);
  std::sort(latest.rbegin(), latest.rend());
  const std::int64_t last_shown = latest[limit - 1];
  std::erase_if(messages, [&](const store::InboxMessageRow& m) {
    return last_id[m.conversation_id] < last_shown;
  });
  return boost::json::value(runtime::encode_cursor("inbox", {last_shown, ""}));
}

// The counters of a page of flows (limit + 1 at most), by flow id; those beyond `limit` dropped.
boost::json::value keep_flows(std::vector<store::FlowStatRow>& stats, std::size_t limit) {
  std::vector<std::string> flows;
  for (const auto& s : stats)
    if (flows.empty() || flows.back() != s.flow_id) flows.push_back(s.flow_id);
  if (flows.size() <= limit) return nullptr;
  const std::string last_shown = flows[limit - 1];
  std::erase_if(stats, [&](const store::FlowStatRow& s) { return s.flow_id > last_shown; });
  return boost::json::value(runtime::encode_cursor("analytics", {0, last_shown}));
}

}  // namespace

void Engine::contacts(std::string workspace, ReplyHandler done) {
  contacts(std::move(workspace), Page{}, std::move(done));
}
void Engine::inbox(std::string workspace, ReplyHandler done) {
  inbox(std::move(workspace), Page{}, std::move(done));
}
void Engine::orders(std::string workspace, ReplyHandler done) {
  orders(std::move(workspace), Page{}, std::move(done));
}
void Engine::analytics(std::string workspace, ReplyHandler done) {
  analytics(std::move(workspace), Page{}, std::move(done));
}

void Engine::contacts(std::string workspace, Page page, ReplyHandler done) {
  list_page(
      *impl_, "contacts", page, std::move(done),
      [workspace, limit = page.limit](store::Transaction& tx, const store::PageRequest& request) {
        auto rows = tx.list_contacts(workspace, request);
        auto next = runtime::keep_page<store::ContactRow>(
            rows, limit, "contacts", [](const store::ContactRow& c) {
              return store::PageKey{c.first_seen_ms, c.user_id};
            });
        return boost::json::value{{"contacts", runtime::contacts_json(rows)},
                                  {"next_cursor", std::move(next)}};
      });
}

void Engine::inbox(std::string workspace, Page page, ReplyHandler done) {
  list_page(
      *impl_, "inbox", page, std::move(done),
      [workspace, limit = page.limit](store::Transaction& tx, const store::PageRequest& request) {
        auto messages = tx.list_inbox_messages(workspace, request);
        auto next = keep_conversations(messages, limit);
        return boost::json::value{{"conversations", runtime::conversations_json(messages)},
                                  {"next_cursor", std::move(next)}};
      });
}

void Engine::orders(std::string workspace, Page page, ReplyHandler done) {
  list_page(
      *impl_, "orders", page, std::move(done),
      [workspace, limit = page.limit](store::Transaction& tx, const store::PageRequest& request) {
        auto rows = tx.list_orders(workspace, request);
        auto next = runtime::keep_page<store::StoredOrderRow>(
            rows, limit, "orders", [](const store::StoredOrderRow& o) {
              return store::PageKey{o.created_at_ms, o.order_id};
            });
        return boost::json::value{{"orders", runtime::orders_json(rows)},
                                  {"next_cursor", std::move(next)}};
      });
}

// The page's flows with their counters; the totals are every flow's.
void Engine::analytics(std::string workspace, Page page, ReplyHandler done) {
  list_page(
      *impl_, "analytics", page, std::move(done),
      [workspace, limit = page.limit](store::Transaction& tx, const store::PageRequest& request) {
        auto stats = tx.list_flow_stats(workspace, request);
        auto next = keep_flows(stats, limit);
        auto out = runtime::analytics_json(stats);
        out["totals"] = runtime::analytics_json(tx.flow_stat_totals(workspace)).at("totals");
        out["next_cursor"] = std::move(next);
        return boost::json::value(std::move(out));
      });
}

}  // namespace sparks

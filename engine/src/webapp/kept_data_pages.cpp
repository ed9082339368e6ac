// What the workspace kept, one table each: Inbox (conversations), Contacts, Orders (with the flow
// an order is attributed to and its revenue) and Analytics (each flow's counters), with a
// "Next page" link while there is more.
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>

#include "webapp/app.hpp"
#include "webapp/paging.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;
using json_fields::text;

std::string when(const json::object& row, std::string_view key, Clock::time_point now) {
  const auto ms = json_fields::integer(row, key);
  return ms ? time_element(from_ms(*ms), now) : std::string("—");
}

std::string or_dash(const std::string& value) {
  return value.empty() ? std::string("—") : escape(value);
}

std::string tags_of(const json::object& contact) {
  const auto* tags = contact.if_contains("tags");
  if (!tags || !tags->is_array() || tags->get_array().empty()) return "—";
  std::string out = "<ul>";
  for (const auto& tag : tags->get_array())
    out += "<li>" + escape(tag.is_string() ? std::string(tag.get_string()) : json::serialize(tag)) +
           "</li>";
  return out + "</ul>";
}

// One listing page: what the engine lists, its rows, how an empty list reads.
struct Listing {
  std::string section;  // "inbox", …, also the path
  std::string title;
  std::string key;  // the array in the engine's answer
  std::vector<std::string_view> columns;
  std::string (*row)(const json::object&, Clock::time_point);
  std::string empty;
  void (Engine::*list)(std::string, Page, ReplyHandler);
};

std::string conversation_row(const json::object& c, Clock::time_point now) {
  const auto messages = json_fields::array_at(c, "messages");
  std::string last, flow;
  if (!messages.empty() && messages.back().is_object()) {
    const auto& m = messages.back().get_object();
    last = text(m, "direction") + ": " + text(m, "text") + " (" + text(m, "status") + ")";
    flow = text(m, "flow_id");
  }
  return "<tr data-conversation=\"" + escape(text(c, "conversation_id")) + "\">" +
         cell("user", "Person", or_dash(text(c, "user"))) +
         cell("last_message", "Last message", or_dash(last)) + cell("flow", "Flow", or_dash(flow)) +
         cell("messages", "Messages", std::to_string(messages.size())) +
         cell("at", "When", when(c, "last_at_ms", now)) + "</tr>";
}

std::string contact_row(const json::object& c, Clock::time_point now) {
  return "<tr data-contact=\"" + escape(text(c, "user")) + "\">" +
         cell("user", "Person", or_dash(text(c, "user"))) +
         cell("username", "Username", or_dash(text(c, "username"))) +
         cell("tags", "Tags", tags_of(c)) +
         cell("first_seen", "First seen", when(c, "first_seen_ms", now)) +
         cell("last_seen", "Last seen", when(c, "last_seen_ms", now)) + "</tr>";
}

std::string order_row(const json::object& o, Clock::time_point now) {
  const auto total = text(o, "total");
  const auto revenue = total.empty() ? std::string() : total + " " + text(o, "currency");
  return "<tr data-order=\"" + escape(text(o, "order_id")) + "\">" +
         cell("order", "Order", or_dash(text(o, "order_id"))) +
         cell("status", "Status", or_dash(text(o, "status"))) +
         cell("flow", "Attributed to", or_dash(text(o, "flow_id"))) +
         cell("revenue", "Revenue", or_dash(revenue)) +
         cell("created", "Created", when(o, "created_at_ms", now)) + "</tr>";
}

std::string counters_of(const json::object& flow) {
  const auto counters = json_fields::object_at(flow, "counters");
  if (counters.empty()) return "—";
  std::string out = "<ul>";
  for (const auto& [name, value] : counters)
    out += "<li>" + escape(std::string(name)) + ": " + escape(json::serialize(value)) + "</li>";
  return out + "</ul>";
}

std::string analytics_row(const json::object& f, Clock::time_point) {
  return "<tr data-flow=\"" + escape(text(f, "flow_id")) + "\">" +
         cell("flow", "Flow", or_dash(text(f, "flow_id"))) +
         cell("counters", "Counters", counters_of(f)) + "</tr>";
}

std::string totals_of(const json::object& answer) {
  const auto totals = json_fields::object_at(answer, "totals");
  if (totals.empty()) return {};
  std::string out = "<h2>Totals</h2><dl class=\"totals\">";
  for (const auto& [name, value] : totals)
    out += "<dt>" + escape(std::string(name)) + "</dt><dd data-total=\"" +
           escape(std::string(name)) + "\">" + escape(json::serialize(value)) + "</dd>";
  return out + "</dl>";
}

const Listing kListings[] = {
    {"inbox",
     "Inbox",
     "conversations",
     {"Person", "Last message", "Flow", "Messages", "When"},
     conversation_row,
     "No conversations yet.",
     &Engine::inbox},
    {"contacts",
     "Contacts",
     "contacts",
     {"Person", "Username", "Tags", "First seen", "Last seen"},
     contact_row,
     "No contacts yet.",
     &Engine::contacts},
    {"orders",
     "Orders",
     "orders",
     {"Order", "Status", "Attributed to", "Revenue", "Created"},
     order_row,
     "No orders yet.",
     &Engine::orders},
    {"analytics",
     "Analytics",
     "flows",
     {"Flow", "Counters"},
     analytics_row,
     "No flow has run yet.",
     &Engine::analytics},
};

std::string listing_body(const Listing& listing, const json::object& answer, const Viewer& viewer,
                         const std::string& limit, Clock::time_point now) {
  std::string body = "<h1>" + listing.title + "</h1>";
  std::string rows;
  for (const auto& item : json_fields::array_at(answer, listing.key))
    if (item.is_object()) rows += listing.row(item.get_object(), now);
  if (rows.empty())
    body += "<p>" + listing.empty + "</p>";
  else
    body += "<table>" + table_head(listing.columns) + "<tbody>" + rows + "</tbody></table>";
  body += next_page_link(workspace_path(viewer.workspace, listing.section),
                         answer.if_contains("next_cursor"), limit);
  if (listing.section == "analytics") body += totals_of(answer);
  return body;
}

PageHandler listing_page(const Listing& listing) {
  return [&listing](std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                    http::Responder respond) {
    auto asked = page_of(request.query);
    ((*app->engine).*listing.list)(
        viewer.workspace, asked.page,
        [app, &listing, viewer, limit = asked.limit, respond = std::move(respond)](Reply reply) {
          if (reply.error)
            return respond(refusal_page(*reply.error, viewer, integrations_path(viewer.workspace)));
          const auto body =
              listing_body(listing, reply.value.as_object(), viewer, limit, app->now());
          respond(html_response(200, page(listing.title, &viewer, listing.section, body)));
        });
  };
}

}  // namespace

void mount_kept_data(http::Router& router, std::shared_ptr<App> app) {
  for (const auto& listing : kListings)
    router.add("GET", "/app/workspaces/{ws}/" + listing.section,
               page_route(app, listing_page(listing)));
}

}  // namespace sparks::webapp

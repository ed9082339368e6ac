// Automations: the workspace's flows with their status, who paused them, version and warnings,
// and Publish / Pause / Resume for the roles the engine lets change what runs (owners and
// admins; a member sees the buttons disabled). A flow's page shows its recent runs.
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>

#include "http/form.hpp"
#include "webapp/app.hpp"
#include "webapp/automation_html.hpp"
#include "webapp/paging.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;
using json_fields::text;

std::string automations_path(const Viewer& viewer) {
  return workspace_path(viewer.workspace, "automations");
}

std::string flash_for(const http::Fields& query) {
  const auto done = http::field(query, "done").value_or("");
  const auto flow = http::field(query, "flow").value_or("");
  if (done != "published" && done != "paused" && done != "resumed") return {};
  return "<div class=\"flash\" role=\"status\" data-flash=\"" + done + "\">" + escape(flow) +
         " is " + done + ".</div>";
}

void automations_page(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                      http::Responder respond) {
  const auto asked = page_of(request.query);
  app->engine->flows(
      viewer.workspace, asked.page,
      [viewer, query = request.query, limit = asked.limit,
       respond = std::move(respond)](Reply reply) {
        if (reply.error)
          return respond(refusal_page(*reply.error, viewer, integrations_path(viewer.workspace)));
        const auto& answer = reply.value.as_object();
        std::string body = flash_for(query) + "<h1>Automations</h1>";
        if (!may_change_what_runs(viewer)) body += why_disabled_flows();
        body += "<table>" +
                table_head({"Name", "Status", "Paused by", "Version", "Warnings", "Actions"}) +
                "<tbody>";
        bool any = false;
        for (const auto& flow : json_fields::array_at(answer, "flows"))
          if (flow.is_object()) {
            body += flow_row(flow.get_object(), viewer);
            any = true;
          }
        body += "</tbody></table>";
        if (!any) body += "<p>No automations yet. Add a flow with the API (docs/flows.md).</p>";
        body += next_page_link(automations_path(viewer), answer.if_contains("next_cursor"), limit);
        respond(html_response(200, page("Automations", &viewer, "automations", body)));
      });
}

// The flow's page: its summary, then its recent runs, a page at a time.
void show_runs(const std::shared_ptr<App>& app, const Viewer& viewer, const std::string& id,
               const PageRequest& asked, json::object flow, http::Responder respond) {
  app->engine->flow_runs(
      viewer.workspace, id, asked.page,
      [app, viewer, id, limit = asked.limit, flow = std::move(flow),
       respond = std::move(respond)](Reply reply) {
        if (reply.error)
          return respond(refusal_page(*reply.error, viewer, automations_path(viewer)));
        const auto& answer = reply.value.as_object();
        std::string body = flow_summary(flow, viewer) + "<h2>Recent runs</h2>" +
                           runs_table(answer, app->now()) +
                           next_page_link(automations_path(viewer) + "/" + http::percent_encode(id),
                                          answer.if_contains("next_cursor"), limit);
        respond(html_response(200, page(text(flow, "name"), &viewer, "automations", body)));
      });
}

void flow_page(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
               http::Responder respond) {
  const auto id = request.params.at("id");
  const auto asked = page_of(request.query, 20);
  app->engine->flow(
      viewer.workspace, id, [app, viewer, id, asked, respond = std::move(respond)](Reply reply) {
        if (reply.error)
          return respond(refusal_page(*reply.error, viewer, automations_path(viewer)));
        show_runs(app, viewer, id, asked, reply.value.as_object(), respond);
      });
}

using FlowStep = void (Engine::*)(std::string, std::string, Actor, ReplyHandler);

PageHandler flow_step(FlowStep step, std::string done) {
  return [step, done](std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                      http::Responder respond) {
    const auto id = request.params.at("id");
    ((*app->engine).*step)(
        viewer.workspace, id, viewer.actor,
        [viewer, id, done, respond = std::move(respond)](Reply reply) {
          if (reply.error)
            return respond(refusal_page(*reply.error, viewer, automations_path(viewer)));
          respond(see_other(automations_path(viewer) + "?" +
                            http::encode_form({{"done", done}, {"flow", id}})));
        });
  };
}

}  // namespace

void mount_automations(http::Router& router, std::shared_ptr<App> app) {
  const std::string base = "/app/workspaces/{ws}/automations";
  router.add("GET", base, page_route(app, automations_page));
  router.add("GET", base + "/{id}", page_route(app, flow_page));
  router.add("POST", base + "/{id}/publish",
             action_route(app, flow_step(&Engine::publish_flow, "published")));
  router.add("POST", base + "/{id}/pause",
             action_route(app, flow_step(&Engine::pause_flow, "paused")));
  router.add("POST", base + "/{id}/resume",
             action_route(app, flow_step(&Engine::resume_flow, "resumed")));
}

}  // namespace sparks::webapp

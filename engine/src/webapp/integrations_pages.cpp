// The Integrations page (the two cards, refreshed by the script from their fragment), Connect,
// and Disconnect with its confirmation page naming the live automations it pauses.
#include <algorithm>
#include <boost/json.hpp>

#include "http/form.hpp"
#include "webapp/app.hpp"
#include "webapp/cards_html.hpp"
#include "webapp/flash.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;

std::string cards_fragment_path(const Viewer& viewer) {
  return workspace_path(viewer.workspace, "integrations/cards");
}

bool installed(const App& app, const std::string& platform) {
  const auto platforms = app.engine->platforms();
  return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
}

void integrations_page(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                       http::Responder respond) {
  app->engine->cards(
      viewer.workspace, viewer.actor,
      [app, viewer, query = request.query, respond = std::move(respond)](Reply reply) {
        if (reply.error)
          return respond(refusal_page(*reply.error, viewer, integrations_path(viewer.workspace)));
        std::string body = flash_html(query, reply.value) + "<h1>Integrations</h1>" +
                           "<div id=\"cards\" data-refresh=\"" +
                           escape(cards_fragment_path(viewer)) + "\">" +
                           cards_html(reply.value, viewer, app->now()) + "</div>";
        respond(html_response(200, page("Integrations", &viewer, "integrations", body)));
      });
}

// The content of #cards alone, for the script's refresh.
void cards_fragment(std::shared_ptr<App> app, const http::Request&, Viewer viewer,
                    http::Responder respond) {
  app->engine->cards(viewer.workspace, viewer.actor,
                     [app, viewer, respond = std::move(respond)](Reply reply) {
                       if (reply.error) return respond(html_response(503, ""));
                       respond(html_response(200, cards_html(reply.value, viewer, app->now())));
                     });
}

void connect(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
             http::Responder respond) {
  const auto platform = request.params.at("platform");
  app->engine->connect(
      {viewer.workspace, platform}, viewer.actor,
      [viewer, respond = std::move(respond)](Reply reply) {
        const auto back = integrations_path(viewer.workspace);
        if (reply.error) return respond(refusal_page(*reply.error, viewer, back));
        const auto* url = reply.value.as_object().if_contains("authorize_url");
        if (!url || !url->is_string())
          return respond(error_page(502, &viewer, "No consent page came back.", back));
        respond(see_other(std::string(url->get_string())));
      });
}

// The flows that disconnecting `platform` pauses: the live ones that require it.
std::vector<std::string> live_flows_needing(const json::value& flows, const std::string& platform) {
  std::vector<std::string> names;
  const auto* list = flows.is_object() ? flows.get_object().if_contains("flows") : nullptr;
  if (!list || !list->is_array()) return names;
  for (const auto& item : list->get_array()) {
    const auto* flow = item.if_object();
    if (!flow) continue;
    const auto* status = flow->if_contains("status");
    const auto* requires_ = flow->if_contains("requires");
    if (!status || !status->is_string() || status->get_string() != "live") continue;
    if (!requires_ || !requires_->is_array()) continue;
    const auto& needed = requires_->get_array();
    if (std::find(needed.begin(), needed.end(), json::value(platform)) == needed.end()) continue;
    const auto* name = flow->if_contains("name");
    const auto* id = flow->if_contains("id");
    names.push_back(name && name->is_string() && !name->get_string().empty()
                        ? std::string(name->get_string())
                    : id && id->is_string() ? std::string(id->get_string())
                                            : "");
  }
  return names;
}

std::string confirmation_body(const Viewer& viewer, const std::string& platform,
                              const std::vector<std::string>& pausing) {
  const auto title = escape(platform_title(platform));
  std::string body = "<h1>Disconnect " + title + "?</h1>";
  body += "<h2>These live automations will pause</h2>";
  if (pausing.empty()) body += "<p>No live automation uses " + title + ".</p>";
  body += "<ul class=\"pauses\">";
  for (const auto& name : pausing) body += "<li>" + escape(name) + "</li>";
  body += "</ul><p>They resume by themselves when " + title + " is connected again.</p>";
  body +=
      "<h2>What is kept</h2><ul class=\"keeps\"><li>Drafts of your automations</li>"
      "<li>Inbox conversations</li><li>Analytics</li><li>Contacts</li></ul>"
      "<p>Sparks asks " +
      title + " to revoke its access and forgets the token.</p>";
  const bool owner = viewer.actor.role == Role::owner;
  body += "<form method=\"post\" action=\"" +
          escape(workspace_path(viewer.workspace,
                                "integrations/" + http::percent_encode(platform) + "/disconnect")) +
          "\">" + csrf_field(viewer) +
          "<button type=\"submit\" data-action=\"confirm-disconnect\"" +
          (owner ? "" : " disabled") +
          ">Disconnect</button></form> <a class=\"button secondary\" href=\"" +
          escape(integrations_path(viewer.workspace)) + "\">Cancel</a>";
  if (!owner)
    body += "<p class=\"why-disabled\">Only an owner of this workspace can connect or disconnect " +
            title + ".</p>";
  return body;
}

void disconnect_confirmation(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                             http::Responder respond) {
  const auto platform = request.params.at("platform");
  if (!installed(*app, platform))
    return respond(error_page(404, &viewer, "No platform '" + platform + "' is installed.",
                              integrations_path(viewer.workspace)));
  app->engine->flows(
      viewer.workspace, [viewer, platform, respond = std::move(respond)](Reply reply) {
        if (reply.error)
          return respond(refusal_page(*reply.error, viewer, integrations_path(viewer.workspace)));
        const auto body =
            confirmation_body(viewer, platform, live_flows_needing(reply.value, platform));
        respond(html_response(
            200, page("Disconnect " + platform_title(platform), &viewer, "integrations", body)));
      });
}

void disconnect(std::shared_ptr<App> app, const http::Request& request, Viewer viewer,
                http::Responder respond) {
  const auto platform = request.params.at("platform");
  app->engine->disconnect({viewer.workspace, platform}, viewer.actor,
                          [viewer, platform, respond = std::move(respond)](Reply reply) {
                            const auto back = integrations_path(viewer.workspace);
                            if (reply.error)
                              return respond(refusal_page(*reply.error, viewer, back));
                            respond(see_other(back + flash_query("disconnected", platform)));
                          });
}

}  // namespace

void mount_integrations(http::Router& router, std::shared_ptr<App> app) {
  const std::string base = "/app/workspaces/{ws}/integrations";
  router.add("GET", base, page_route(app, integrations_page));
  router.add("GET", base + "/cards", page_route(app, cards_fragment, SignedOut::unauthorized));
  router.add("POST", base + "/{platform}/connect", action_route(app, connect));
  router.add("GET", base + "/{platform}/disconnect", page_route(app, disconnect_confirmation));
  router.add("POST", base + "/{platform}/disconnect", action_route(app, disconnect));
}

}  // namespace sparks::webapp

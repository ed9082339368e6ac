#include "webapp/automation_html.hpp"

#include <sparks/json_fields.hpp>

#include "http/form.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

namespace {

namespace json = boost::json;
using json_fields::text;

std::string flow_path(const Viewer& viewer, const std::string& id) {
  return workspace_path(viewer.workspace, "automations/" + http::percent_encode(id));
}

std::string list_of(const json::object& flow, std::string_view key, std::string_view none) {
  const auto items = json_fields::strings(flow, key);
  if (items.empty()) return escape(none);
  std::string out = "<ul>";
  for (const auto& item : items) out += "<li>" + escape(item) + "</li>";
  return out + "</ul>";
}

std::string paused_by(const json::object& flow) {
  const auto by = text(flow, "paused_by");
  if (by.empty()) return "—";
  return by == "person" ? "a person" : escape(by) + " (disconnected)";
}

std::string steps_of(const json::object& run) {
  const auto steps = json_fields::array_at(run, "steps");
  if (steps.empty()) return "—";
  std::string out = "<ul class=\"steps\">";
  for (const auto& item : steps) {
    if (!item.is_object()) continue;
    const auto& step = item.get_object();
    out += "<li data-step-status=\"" + escape(text(step, "status")) + "\">" +
           escape(text(step, "action")) + ": " + escape(text(step, "status"));
    if (const auto error = text(step, "error"); !error.empty()) out += " — " + escape(error);
    out += "</li>";
  }
  return out + "</ul>";
}

std::string or_dash(const std::string& value) {
  return value.empty() ? std::string("—") : escape(value);
}

}  // namespace

std::string runs_table(const json::object& answer, Clock::time_point now) {
  std::string rows;
  for (const auto& item : json_fields::array_at(answer, "runs")) {
    if (!item.is_object()) continue;
    const auto& run = item.get_object();
    const auto at = parse_rfc3339(text(run, "at"));
    rows += "<tr data-run=\"" + escape(text(run, "event_id")) + "\">" +
            cell("at", "When", at ? time_element(*at, now) : or_dash(text(run, "at"))) +
            cell("trigger", "Trigger", or_dash(text(run, "trigger"))) +
            cell("user", "Person", or_dash(text(run, "user"))) +
            cell("flow_version", "Version", or_dash(text(run, "flow_version"))) +
            cell("outcome", "Outcome", or_dash(text(run, "outcome"))) +
            cell("reason", "Why", or_dash(text(run, "reason"))) +
            cell("steps", "Steps", steps_of(run)) + "</tr>";
  }
  if (rows.empty()) return "<p>No runs yet.</p>";
  return "<table>" +
         table_head({"When", "Trigger", "Person", "Version", "Outcome", "Why", "Steps"}) +
         "<tbody>" + rows + "</tbody></table>";
}

bool may_change_what_runs(const Viewer& viewer) {
  return viewer.actor.role == Role::owner || viewer.actor.role == Role::admin;
}

std::string why_disabled_flows() {
  return "<p class=\"why-disabled\">Only an owner or admin of this workspace can publish, pause "
         "or resume automations.</p>";
}

std::string flow_button(const json::object& flow, const Viewer& viewer) {
  const auto status = text(flow, "status");
  const char* action = status == "draft" ? "publish" : status == "live" ? "pause" : "resume";
  const char* label = status == "draft" ? "Publish" : status == "live" ? "Pause" : "Resume";
  if (status != "draft" && status != "live" && status != "paused") return {};
  return "<form method=\"post\" action=\"" +
         escape(flow_path(viewer, text(flow, "id")) + "/" + action) + "\">" + csrf_field(viewer) +
         "<button type=\"submit\" data-action=\"" + action + "\"" +
         (may_change_what_runs(viewer) ? "" : " disabled") + ">" + label + "</button></form>";
}

std::string flow_row(const json::object& flow, const Viewer& viewer) {
  const auto id = text(flow, "id");
  const auto name = text(flow, "name");
  return "<tr data-flow=\"" + escape(id) + "\">" +
         cell("name", "Name",
              "<a href=\"" + escape(flow_path(viewer, id)) + "\">" +
                  escape(name.empty() ? id : name) + "</a>") +
         cell("status", "Status", escape(text(flow, "status"))) +
         cell("paused_by", "Paused by", paused_by(flow)) +
         cell("version", "Version", escape(text(flow, "version"))) +
         cell("warnings", "Warnings", list_of(flow, "warnings", "None")) +
         cell("actions", "Actions", flow_button(flow, viewer)) + "</tr>";
}

std::string flow_summary(const json::object& flow, const Viewer& viewer) {
  const auto id = text(flow, "id");
  const auto name = text(flow, "name");
  std::string out = "<p><a href=\"" + escape(workspace_path(viewer.workspace, "automations")) +
                    "\">← Automations</a></p><h1>" + escape(name.empty() ? id : name) + "</h1>";
  out += "<dl class=\"flow\" data-flow=\"" + escape(id) + "\">";
  out += "<dt>Id</dt><dd data-field=\"id\">" + escape(id) + "</dd>";
  out += "<dt>Status</dt><dd data-field=\"status\">" + escape(text(flow, "status")) + "</dd>";
  out += "<dt>Paused by</dt><dd data-field=\"paused_by\">" + paused_by(flow) + "</dd>";
  out += "<dt>Version</dt><dd data-field=\"version\">" + escape(text(flow, "version")) + "</dd>";
  out += "<dt>Requires</dt><dd data-field=\"requires\">" + list_of(flow, "requires", "Nothing") +
         "</dd>";
  out +=
      "<dt>Warnings</dt><dd data-field=\"warnings\">" + list_of(flow, "warnings", "None") + "</dd>";
  out += "</dl>";
  if (!may_change_what_runs(viewer)) out += why_disabled_flows();
  out += "<div class=\"actions\">" + flow_button(flow, viewer) + "</div>";
  return out;
}

}  // namespace sparks::webapp

#pragma once
// A flow (docs/http-api.md "A flow") as HTML: its row in the Automations table, its summary on
// its own page, and the buttons that change what runs.
#include <boost/json/object.hpp>
#include <string>

#include "webapp/html.hpp"

namespace sparks::webapp {

// Owners and admins publish, pause and resume (the engine refuses members).
bool may_change_what_runs(const Viewer& viewer);
// <p class="why-disabled"> for everyone else.
std::string why_disabled_flows();

// The one button its status allows: Publish (a draft), Pause (live), Resume (paused), each in
// its POST form; disabled for a viewer who may not.
std::string flow_button(const boost::json::object& flow, const Viewer& viewer);

// <tr data-flow="id"> with name (a link to its page), status, paused_by, version, warnings.
std::string flow_row(const boost::json::object& flow, const Viewer& viewer);

// The flow's page above its runs: heading, the fields of its row, what it requires.
std::string flow_summary(const boost::json::object& flow, const Viewer& viewer);

// The flow's recent runs ({"runs": [run…]}, newest first): a <tr data-run="event_id"> each, with
// when, trigger, person, version, outcome, why it was skipped, and each step's status.
std::string runs_table(const boost::json::object& answer, Clock::time_point now);

}  // namespace sparks::webapp

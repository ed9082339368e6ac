// `sparks flows publish|pause|resume ID`: moves one flow (POST …/flows/{id}/publish, …/pause,
// …/resume) and says where it is now, with the warnings publishing found.
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "flows_commands.hpp"
#include "server_client.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct StatusChange {
  ServerOptions server;
  std::string id;
};

std::string text_of(const json::object& flow, const char* field) {
  const auto* value = flow.if_contains(field);
  if (!value || value->is_null()) return "-";
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

int run_change(const std::string& verb, const StatusChange& options) {
  const std::string who = "sparks flows " + verb;
  auto server = find_server(options.server, who);
  if (!server) return 1;
  const auto response = call_workspace(*server, "POST", "/flows/" + options.id + "/" + verb);
  if (!response.ok() || response.status != 200) return report_failure(who, *server, response);
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  if (ec || !body.is_object()) {
    std::cerr << who << ": the server's answer is not a flow\n";
    return 1;
  }
  const auto& flow = body.get_object();
  std::cout << "flow '" << text_of(flow, "id") << "' is " << text_of(flow, "status");
  if (const auto by = text_of(flow, "paused_by"); by != "-")
    std::cout << " (paused by " << by << ")";
  std::cout << ", version " << text_of(flow, "version") << "\n";
  if (const auto* warnings = flow.if_contains("warnings"); warnings && warnings->is_array())
    for (const auto& warning : warnings->get_array())
      std::cout << "  warning: "
                << (warning.is_string() ? std::string(warning.get_string())
                                        : json::serialize(warning))
                << "\n";
  return 0;
}

}  // namespace

void add_flows_status_commands(CLI::App& flows, ExitCode& exit_code) {
  struct Verb {
    const char* name;
    const char* what;
  };
  for (const Verb verb :
       {Verb{"publish",
             "Publish a draft flow: it goes live (or paused while a platform it needs "
             "is down)"},
        Verb{"pause", "Pause a live flow"}, Verb{"resume", "Resume a paused flow"}}) {
    auto options = std::make_shared<StatusChange>();
    auto* command = flows.add_subcommand(verb.name, verb.what);
    command->add_option("ID", options->id, "the flow's id (flow.id in its YAML)")->required();
    add_server_options(*command, options->server);
    command->footer(std::string("Example:\n  sparks flows ") + verb.name + " price-question-dm");
    command->callback([name = std::string(verb.name), options, &exit_code] {
      exit_code = run_change(name, *options);
    });
  }
}

}  // namespace sparks::cli

// `sparks flows`: the flows of a workspace on a running `sparks serve`, through its HTTP API
// (docs/http-api.md): apply YAML files, list them, publish, pause and resume one.
#include "command.hpp"
#include "flows_commands.hpp"

namespace sparks::cli {

void add_flows_command(CLI::App& app, ExitCode& exit_code) {
  auto* flows = app.add_subcommand(
      "flows", "Apply, list, publish, pause and resume the flows of a running `sparks serve`");
  flows->require_subcommand(1);
  flows->footer(
      "Examples:\n"
      "  sparks flows apply flows/examples/*.yaml\n"
      "  sparks flows list\n"
      "  sparks flows publish price-question-dm");
  add_flows_apply_command(*flows, exit_code);
  add_flows_list_command(*flows, exit_code);
  add_flows_status_commands(*flows, exit_code);
}

}  // namespace sparks::cli

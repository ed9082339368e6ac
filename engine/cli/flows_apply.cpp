// `sparks flows apply FILE…`: each flow file sent to a running `sparks serve` — created when the
// workspace does not have it (POST …/flows), a new version otherwise (PUT …/flows/{id}) — and a
// line per file saying which. A flow the server refuses gets its problems the way `sparks check`
// prints them, FILE:LINE:COL: error: …, so that editors and CI can point at the line.
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "flows_commands.hpp"
#include "server_client.hpp"
#include "util/read_file.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct ApplyOptions {
  ServerOptions server;
  std::vector<std::string> files;
};

// The server names the YAML it was sent "<request body>" in its diagnostics (docs/http-api.md).
constexpr std::string_view kBodyName = "<request body>";

// flow.id of the YAML, or "" when it has none the server could use (it then says why).
std::string flow_id_of(const std::string& yaml) {
  try {
    const auto id = YAML::Load(yaml)["flow"]["id"];
    return id && id.IsScalar() ? id.as<std::string>() : std::string();
  } catch (const YAML::Exception&) {
    return {};
  }
}

// "the flow has errors:\n<request body>:3:5: error: …" → "FILE:3:5: error: …" per line.
void print_refusal(const std::string& file, const std::string& message) {
  std::size_t start = 0;
  bool printed = false;
  while (start <= message.size()) {
    const auto end = std::min(message.find('\n', start), message.size());
    std::string line = message.substr(start, end - start);
    if (line.starts_with(kBodyName)) {
      std::cerr << file << line.substr(kBodyName.size()) << "\n";
      printed = true;
    }
    start = end + 1;
  }
  if (!printed) std::cerr << file << ": error: " << message << "\n";
}

std::string field(const json::value& body, const char* name) {
  const auto* value = body.is_object() ? body.get_object().if_contains(name) : nullptr;
  if (!value) return "?";
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

// One file: true when the server took it.
bool apply_file(const Server& server, const std::string& file) {
  const std::string who = "sparks flows apply";
  const auto yaml = read_text_file(file);
  if (!yaml) {
    std::cerr << file << ": error: cannot read the file\n";
    return false;
  }
  auto response = call_workspace(server, "POST", "/flows", *yaml, "application/yaml");
  const bool exists = response.status == 409 && error_of(response).code == "flow_exists";
  const auto id = flow_id_of(*yaml);
  if (exists && !id.empty())
    response = call_workspace(server, "PUT", "/flows/" + id, *yaml, "application/yaml");
  if (response.ok() && response.status == 400) {
    print_refusal(file, error_of(response).message);
    return false;
  }
  if (!response.ok() || (response.status != 200 && response.status != 201)) {
    std::cerr << file << ": ";
    report_failure(who, server, response);
    return false;
  }
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  std::cout << file << ": " << (exists ? "updated" : "created") << " flow '" << field(body, "id")
            << "' (version " << field(body, "version") << ", " << field(body, "status") << ")\n";
  return true;
}

int run_apply(const ApplyOptions& options) {
  auto server = find_server(options.server, "sparks flows apply");
  if (!server) return 1;
  int refused = 0;
  for (const auto& file : options.files)
    if (!apply_file(*server, file)) ++refused;
  if (refused > 0)
    std::cerr << refused << " of " << options.files.size() << " flow file"
              << (options.files.size() == 1 ? "" : "s") << " not applied\n";
  return refused > 0 ? 1 : 0;
}

}  // namespace

void add_flows_apply_command(CLI::App& flows, ExitCode& exit_code) {
  auto options = std::make_shared<ApplyOptions>();
  auto* command = flows.add_subcommand(
      "apply",
      "Create or update each flow from its YAML file (a new flow is a draft; publish it next)");
  command->add_option("FILE", options->files, "flow YAML files")->required();
  add_server_options(*command, options->server);
  command->footer("Example:\n  sparks flows apply flows/examples/*.yaml");
  command->callback([options, &exit_code] { exit_code = run_apply(*options); });
}

}  // namespace sparks::cli

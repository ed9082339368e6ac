// `sparks flows list`: the workspace's flows as a table, or as JSON (GET …/flows, every page).
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "flows_commands.hpp"
#include "server_client.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct ListOptions {
  ServerOptions server;
  bool json = false;
};

// Pages are followed to the last; a server that keeps answering with a cursor is stopped here.
constexpr int kMaxPages = 1000;

std::string cell(const json::object& flow, const char* field) {
  const auto* value = flow.if_contains(field);
  if (!value || value->is_null()) return "-";
  if (value->is_array()) return std::to_string(value->get_array().size());
  return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

std::string pad(std::string text, std::size_t width) {
  return text + std::string(text.size() < width ? width - text.size() : 1, ' ');
}

void print_table(const json::array& flows) {
  std::cout << pad("ID", 28) << pad("STATUS", 9) << pad("PAUSED BY", 12) << pad("VERSION", 9)
            << pad("WARNINGS", 10) << "NAME\n";
  for (const auto& item : flows) {
    if (!item.is_object()) continue;
    const auto& flow = item.get_object();
    std::cout << pad(cell(flow, "id"), 28) << pad(cell(flow, "status"), 9)
              << pad(cell(flow, "paused_by"), 12) << pad(cell(flow, "version"), 9)
              << pad(cell(flow, "warnings"), 10) << cell(flow, "name") << "\n";
  }
}

int run_list(const ListOptions& options) {
  const std::string who = "sparks flows list";
  auto server = find_server(options.server, who);
  if (!server) return 1;
  json::array flows;
  std::string cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    const auto response =
        call_workspace(*server, "GET", "/flows" + (cursor.empty() ? "" : "?cursor=" + cursor));
    if (!response.ok() || response.status != 200) return report_failure(who, *server, response);
    boost::system::error_code ec;
    const auto body = json::parse(response.body, ec);
    const auto* listed = !ec && body.is_object() ? body.get_object().if_contains("flows") : nullptr;
    if (!listed || !listed->is_array()) {
      std::cerr << who << ": the server's answer is not a list of flows\n";
      return 1;
    }
    for (const auto& flow : listed->get_array()) flows.push_back(flow);
    const auto* next = body.get_object().if_contains("next_cursor");
    if (!next || !next->is_string() || next->get_string().empty()) break;
    cursor = std::string(next->get_string());
  }
  if (options.json)
    std::cout << json::serialize(json::object{{"flows", std::move(flows)}}) << "\n";
  else
    print_table(flows);
  return 0;
}

}  // namespace

void add_flows_list_command(CLI::App& flows, ExitCode& exit_code) {
  auto options = std::make_shared<ListOptions>();
  auto* command = flows.add_subcommand("list", "List the workspace's flows: status, version, name");
  add_server_options(*command, options->server);
  command->add_flag("--json", options->json, "print {\"flows\": [flow…]} as the API has them");
  command->footer("Example:\n  sparks flows list --json");
  command->callback([options, &exit_code] { exit_code = run_list(*options); });
}

}  // namespace sparks::cli

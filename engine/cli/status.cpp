// `sparks status`: the integration cards of a running `sparks serve`, as a table or as JSON. It
// asks the server over HTTP (GET /api/v1/workspaces/{ws}/integrations) with the API key of the
// workspace's first owner from the same config (or the one given), so it shows exactly what the API
// shows.
#include <unistd.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>

#include "command.hpp"
#include "server_client.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;

struct StatusOptions {
  ServerOptions server;
  bool json = false;
};

std::string text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "-";
  return json::serialize(v);
}

// "● green Connected": the dot and its colour's name, in that colour when the output is a terminal
// (and NO_COLOR is not set).
std::string dot_word(const std::string& dot, const std::string& status, bool colour) {
  if (!colour) return "● " + dot + " " + status;
  const char* code = dot == "green" ? "32" : dot == "yellow" ? "33" : dot == "red" ? "31" : "90";
  return std::string("\033[") + code + "m● " + dot + "\033[0m " + status;
}

// Pads to `width` columns: the dot is one column in three bytes, colour codes take none.
std::string pad(const std::string& cell, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '\033') {
      while (i < cell.size() && cell[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(cell[i]) & 0xC0) != 0x80) ++columns;  // not a continuation
  }
  return cell + std::string(columns < width ? width - columns : 1, ' ');
}

void print_table(const json::array& cards, bool colour) {
  std::cout << pad("PLATFORM", 13) << pad("STATUS", 30) << pad("STATE", 16) << pad("ACCOUNT", 26)
            << pad("LAST SYNC", 22) << "WEBHOOK\n";
  for (const auto& c : cards) {
    const auto& card = c.as_object();
    std::string account = "-";
    if (const auto* a = card.if_contains("account"); a && a->is_object())
      account = text(a->at("name")) + " (" + text(a->at("type")) + ")";
    std::cout << pad(text(card.at("platform")), 13)
              << pad(dot_word(text(card.at("dot")), text(card.at("status")), colour), 30)
              << pad(text(card.at("state")), 16) << pad(account, 26)
              << pad(text(card.at("last_sync")), 22) << text(card.at("webhook")) << "\n";
    for (const auto& issue : card.at("issues").as_array())
      std::cout << "    ! " << text(issue.at("message")) << "\n      → "
                << text(issue.at("troubleshooting")) << "\n";
  }
}

int run_status(const StatusOptions& options) {
  const std::string who = "sparks status";
  auto server = find_server(options.server, who);
  if (!server) return 1;
  const auto response = call_workspace(*server, "GET", "/integrations");
  if (!response.ok() || response.status != 200) return report_failure(who, *server, response);
  if (options.json) {
    std::cout << response.body << "\n";
    return 0;
  }
  boost::system::error_code ec;
  auto body = json::parse(response.body, ec);
  if (ec || !body.is_object() || !body.get_object().contains("integrations")) {
    std::cerr << "sparks status: the server's answer is not a list of cards\n";
    return 1;
  }
  std::cout << "Workspace " << server->workspace << "\n";
  const bool colour = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  print_table(body.at("integrations").as_array(), colour);
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<StatusOptions>();
  auto* command = app.add_subcommand(
      "status", "Print the integration cards of a running `sparks serve` (asks its HTTP API)");
  add_server_options(*command, options->server);
  command->add_flag("--json", options->json, "print the cards as JSON");
  command->callback([options, &exit_code] { exit_code = run_status(*options); });
}

}  // namespace sparks::cli

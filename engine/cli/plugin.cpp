// `sparks plugin inspect PATH.so [--json]`: loads a plugin exactly as the engine would (every check
// of the plugin host, then no configuration, no calls) and prints its descriptor as a table, or as
// the manifest JSON. A refused plugin prints one line, `PATH: refused: REASON: DETAIL`, and
// exits 1.
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "inspection_bridge.hpp"
#include "plugins/loader.hpp"

namespace sparks::cli {
namespace {

using plugins::LoadOutcome;
using plugins::OperationInfo;
using plugins::PluginDescriptor;

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string trimmed(std::string line) {  // no trailing blanks when the last column is empty
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

std::size_t widest(const std::vector<std::string>& texts, std::size_t at_least) {
  std::size_t width = at_least;
  for (const std::string& text : texts) width = std::max(width, text.size());
  return width;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "-" : out;
}

// "  comment_id  string   required  The comment's id  (default {{comment.id}})"
void print_params(std::ostream& out, const std::vector<plugins::ParamInfo>& params) {
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  const std::size_t width = widest(names, 4);
  for (const auto& p : params) {
    std::string about = p.description;
    if (!p.default_value.empty())
      about += (about.empty() ? "" : "  ") + std::string("(default ") + p.default_value + ")";
    out << trimmed("    " + padded(p.name, width) + "  " + padded(p.type, 7) + "  " +
                   padded(p.required ? "required" : "optional", 8) + "  " + about)
        << "\n";
  }
}

// What an operation means to the engine, after its name: "[message]", "[other, answers comment]".
std::string meaning(const OperationInfo& op, bool action) {
  std::string out = "[" + op.kind;
  if (action && op.answers != "any") out += ", answers " + op.answers;
  return out + "]";
}

void print_operations(std::ostream& out, const char* title, const std::vector<OperationInfo>& ops,
                      bool actions) {
  out << "\n" << title << "\n";
  if (ops.empty()) out << "  (none)\n";
  std::vector<std::string> names;
  for (const OperationInfo& op : ops) names.push_back(op.name);
  const std::size_t name_width = widest(names, 4);
  for (const OperationInfo& op : ops) {
    out << trimmed("  " + padded(op.name, name_width) + "  " + meaning(op, actions) + "  " +
                   op.description)
        << "\n";
    print_params(out, op.params);
    for (const auto& v : op.variables)
      out << trimmed("    {{" + v.name + "}} is `" + v.field + "`  " + v.description) << "\n";
  }
}

void print_syncs(std::ostream& out, const std::vector<plugins::SyncInfo>& syncs) {
  out << "\nSyncs\n";
  if (syncs.empty()) return void(out << "  (none)\n");
  std::vector<std::string> whats{"WHAT"};
  for (const auto& s : syncs) whats.push_back(s.what);
  const std::size_t width = widest(whats, 4);
  out << "  " << padded("WHAT", width) << "  KIND      SCOPE\n";
  for (const auto& s : syncs)
    out << trimmed("  " + padded(s.what, width) + "  " + padded(s.kind, 8) + "  " +
                   (s.scope.empty() ? "-" : s.scope))
        << "\n";
}

void print_table(std::ostream& out, const PluginDescriptor& d, const std::string& path) {
  out << "Platform            " << d.platform_id << "\n"
      << "Name                " << d.display_name << "\n"
      << "Version             " << d.version << "\n"
      << "ABI                 " << d.abi_major << "." << d.abi_minor << " (host "
      << SPARKS_PLUGIN_ABI_MAJOR << "." << SPARKS_PLUGIN_ABI_MINOR << ")\n"
      << "File                " << path << "\n"
      << "Lifecycle triggers  " << joined(d.lifecycle_triggers) << "\n";

  out << "\nScopes\n";
  std::vector<std::string> names{"SCOPE"};
  for (const auto& s : d.scopes) names.push_back(s.name);
  const std::size_t width = widest(names, 5);
  out << "  " << padded("SCOPE", width) << "  REQUIRED  ENABLES\n";
  for (const auto& s : d.scopes)
    out << "  " << padded(s.name, width) << "  " << padded(s.required ? "yes" : "no", 8) << "  "
        << joined(s.enables) << "\n";

  print_operations(out, "Flow triggers", d.triggers, false);
  print_operations(out, "Actions", d.actions, true);
  print_syncs(out, d.syncs);
}

int inspect(const std::string& path, bool as_json) {
  boost::asio::io_context io;
  InspectionBridge bridge(io.get_executor());
  plugins::PluginEnvironment environment{&bridge, std::make_shared<plugins::HttpClient>(),
                                         io.get_executor()};
  LoadOutcome outcome = plugins::PluginLoader::load(path, environment);
  if (outcome.refusal) {
    if (as_json)
      std::cout << boost::json::serialize(
                       boost::json::object{{"path", path},
                                           {"refused",
                                            {{"reason", plugins::code_of(outcome.refusal->reason)},
                                             {"detail", outcome.refusal->detail}}}})
                << "\n";
    std::cerr << path << ": refused: " << outcome.refusal->to_string() << "\n";
    return 1;
  }
  const PluginDescriptor& descriptor = outcome.plugin->descriptor();
  if (as_json) {
    boost::json::value manifest = plugins::to_manifest_json(descriptor);
    boost::json::object document{
        {"path", path},
        {"abi", {{"major", descriptor.abi_major}, {"minor", descriptor.abi_minor}}},
        {"plugin", manifest.as_object()["plugin"]}};
    std::cout << boost::json::serialize(document) << "\n";
  } else {
    print_table(std::cout, descriptor, path);
  }
  outcome.plugin->unload();
  io.run();  // lets anything the plugin started during init finish being cancelled
  return 0;
}

}  // namespace

void add_plugin_command(CLI::App& app, ExitCode& exit_code) {
  CLI::App* plugin = app.add_subcommand("plugin", "Work with connector plugins");
  plugin->require_subcommand(1);

  struct Options {
    std::string path;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* inspect_command = plugin->add_subcommand(
      "inspect",
      "Load a plugin as the engine would and print its descriptor, or why it is refused");
  inspect_command->add_option("PATH", options->path, "The plugin's shared library (.so)")
      ->required();
  inspect_command->add_flag("--json", options->json, "Print the manifest as JSON");
  inspect_command->callback(
      [options, &exit_code] { exit_code = inspect(options->path, options->json); });
}

}  // namespace sparks::cli

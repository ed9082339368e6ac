#include "unknown_command.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "util/suggestion.hpp"

namespace sparks::cli {

namespace {

// The options of `sparks` itself that take a value as the next argument.
bool takes_value(const std::string& option) {
  return option == "--log-level";
}

// The next argument from `i` that is not an option (nor an option's value); argc when none.
int next_word(int i, int argc, const char* const* argv) {
  while (i < argc) {
    const std::string word = argv[i];
    if (word.empty() || word.front() != '-') return i;
    i += takes_value(word) ? 2 : 1;
  }
  return argc;
}

CLI::App* find_command(CLI::App& parent, const std::string& name) {
  for (auto* sub : parent.get_subcommands({}))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

bool asks_for_help(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--help" || word == "-h" || word == "--version") return true;
  }
  return false;
}

// "sparks: unknown command 'X' (did you mean 'Y'?)" and the commands there are.
int refuse(CLI::App& parent, const std::string& who, const std::string& word) {
  std::vector<std::string> names;
  for (const auto* sub : parent.get_subcommands({})) names.push_back(sub->get_name());
  std::cerr << who << ": unknown command '" << word << "'" << did_you_mean(word, names) << "\n\n"
            << "Commands:\n";
  for (const auto* sub : parent.get_subcommands({})) {
    const std::string& name = sub->get_name();
    const std::string& about = sub->get_description();
    std::cerr << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ')
              << about.substr(0, about.find('\n')) << "\n";  // its first line
  }
  std::cerr << "\nRun `" << who << " --help` for more.\n";
  return 2;
}

}  // namespace

std::optional<int> reject_unknown_command(CLI::App& app, int argc, const char* const* argv) {
  if (asks_for_help(argc, argv)) return std::nullopt;
  const int first = next_word(1, argc, argv);
  if (first >= argc) return std::nullopt;  // no command: CLI11 says one is required
  auto* command = find_command(app, argv[first]);
  if (!command) return refuse(app, "sparks", argv[first]);
  if (command->get_subcommands({}).empty()) return std::nullopt;
  // A command with commands of its own: the next word names one of them.
  const int second = first + 1;
  if (second >= argc || argv[second][0] == '-') return std::nullopt;
  if (find_command(*command, argv[second])) return std::nullopt;
  return refuse(*command, "sparks " + command->get_name(), argv[second]);
}

}  // namespace sparks::cli

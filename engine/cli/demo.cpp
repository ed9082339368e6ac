// `sparks demo`: a narrated run of the help page's story. Each step states what a person does,
// fires it at a real engine (its own temporary database), and checks the state the card must show.
// Exit 0 only if every step behaved.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <random>

#include "command.hpp"
#include "sparks/engine.hpp"

namespace sparks::cli {

namespace {

struct Step {
  std::string narration;
  std::string platform;
  std::string event;
  Actor actor;
  boost::json::object payload;
  std::string expected_state;
};

boost::json::object granted(std::vector<std::string> missing) {
  boost::json::array missing_json;
  for (auto& s : missing) missing_json.emplace_back(s);
  return {{"account",
           {{"id", "creator"}, {"name", "Creator"}, {"type", "business"}, {"business_id", "biz-1"}}},
          {"missing_scopes", std::move(missing_json)}};
}

std::vector<Step> story() {
  const auto ana = Actor::member("ana", Role::owner);
  const auto ben = Actor::member("ben", Role::member);
  return {
      {"Ben (a member) clicks Connect TikTok", "tiktok", "connect_requested", ben, {}, "disconnected"},
      {"Ana (the owner) clicks Connect TikTok", "tiktok", "connect_requested", ana, {}, "authorizing"},
      {"Ana approves every scope but 'message.list.send'", "tiktok", "authorization_granted",
       Actor::system("platform"), granted({"message.list.send"}), "partial-scopes"},
      {"Ana reconnects", "tiktok", "connect_requested", ana, {}, "authorizing"},
      {"Ana approves every scope", "tiktok", "authorization_granted", Actor::system("platform"),
       granted({}), "connected"},
      {"Refreshing the access token fails for a moment", "tiktok", "token_refresh_failed",
       Actor::system("engine"), {}, "paused"},
      {"The retry gets a new access token", "tiktok", "token_refreshed", Actor::system("engine"), {},
       "connected"},
      {"Ana disconnects TikTok", "tiktok", "disconnect_requested", ana, {}, "disconnected"},
  };
}

class Demo {
 public:
  Demo(boost::asio::io_context& io, Engine& engine) : io_(io), engine_(engine), steps_(story()) {}

  void run_next() {
    if (next_ == steps_.size()) return print_history();
    const Step& step = steps_[next_];
    std::cout << "\n" << next_ + 1 << ". " << step.narration << "\n";
    engine_.fire({"demo", step.platform}, step.event, step.actor, step.payload,
                 [this](FireOutcome outcome) { on_outcome(std::move(outcome)); });
  }

  bool all_behaved() const { return failures_ == 0 && next_ == steps_.size(); }

 private:
  void on_outcome(FireOutcome outcome) {
    const Step& step = steps_[next_++];
    if (!outcome.error.empty()) {
      std::cout << "   FAILED: " << outcome.error << "\n";
      ++failures_;
      return io_.stop();
    }
    std::cout << "   " << step.event << ": " << outcome.from << " → " << outcome.to;
    if (outcome.refusal) std::cout << " (refused: " << *outcome.refusal << ")";
    const bool ok = outcome.to == step.expected_state;
    std::cout << (ok ? "   ✓" : "   ✗ expected " + step.expected_state) << "\n";
    if (!ok) ++failures_;
    engine_.integrations("demo", [this](std::vector<IntegrationView> views) {
      for (const auto& view : views)
        for (const auto& issue : view.issues) std::cout << "   card issue: " << issue.message << "\n";
      run_next();
    });
  }

  void print_history() {
    engine_.transitions({"demo", "tiktok"}, [this](std::vector<TransitionView> history) {
      std::cout << "\nStored transition history of demo/tiktok:\n";
      for (const auto& t : history)
        std::cout << "   " << t.from << " → " << t.to << "  on " << t.event << "  by " << t.actor
                  << "\n";
      if (history.size() != steps_.size()) {
        std::cout << "   ✗ expected " << steps_.size() << " stored transitions\n";
        ++failures_;
      }
      io_.stop();
    });
  }

  boost::asio::io_context& io_;
  Engine& engine_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  int failures_ = 0;
};

int run_demo() {
  const auto folder = std::filesystem::temp_directory_path() /
                      ("sparks-demo-" + std::to_string(std::random_device{}()));
  std::cout << "Sparks demo: connecting TikTok for workspace 'demo' (owner ana, member ben).\n"
            << "Database: " << (folder / "sparks.db").string() << "\n";
  bool behaved = false;
  try {
    boost::asio::io_context io;
    EngineOptions options;
    options.database = folder / "sparks.db";
    Engine engine(io.get_executor(), options);
    Demo demo(io, engine);
    // The engine answers from its writer thread; keep io.run() waiting until the demo stops it.
    auto work = boost::asio::make_work_guard(io);
    demo.run_next();
    io.run();
    engine.stop();
    behaved = demo.all_behaved();
  } catch (const std::exception& e) {
    std::cerr << "sparks demo: " << e.what() << "\n";
  }
  std::filesystem::remove_all(folder);
  std::cout << "\n" << (behaved ? "Every step behaved." : "Some steps did not behave.") << "\n";
  return behaved ? 0 : 1;
}

}  // namespace

void add_demo_command(CLI::App& app, ExitCode& exit_code) {
  auto* demo = app.add_subcommand(
      "demo", "Narrated end-to-end run of connecting TikTok, against a temporary database");
  demo->callback([&exit_code] { exit_code = run_demo(); });
}

}  // namespace sparks::cli

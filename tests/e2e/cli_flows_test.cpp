// The commands that talk to a running `sparks serve` — `sparks flows apply|list|publish|pause|
// resume` and `sparks connect` — run as processes against a ServeRig, and `sparks` naming a
// command that does not exist (exit 2, with the closest one).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::testing::ChildProcess;
using sparks::testing::ServeRig;

const std::string kSparks = SPARKS_BINARY;

struct Run {
  std::string output;  // stdout and stderr, in order
  int exit_code = -1;  // -1: it did not exit by itself
};

// "a b" → "'a' 'b'" for /bin/sh (no argument here holds a quote).
std::string quoted(const std::vector<std::string>& args) {
  std::string line;
  for (const auto& arg : args) line += " '" + arg + "'";
  return line;
}

// Runs `sparks <args>` to its end (30 s at most), `environment` ("NAME=value …") set for it.
Run sparks(const std::vector<std::string>& args, const std::string& environment = "") {
  ChildProcess child("/bin/sh",
                     {"-c", environment + " exec '" + kSparks + "'" + quoted(args) + " 2>&1"});
  Run run;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto line = child.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (!line) break;
    run.output += *line + "\n";
  }
  const int status = child.stop(1s);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(SparksCommands, AnUnknownCommandIsNamedWithTheClosestOneAndExitsTwo) {
  auto typo = sparks({"stauts"});
  EXPECT_EQ(typo.exit_code, 2) << typo.output;
  EXPECT_NE(typo.output.find("sparks: unknown command 'stauts' (did you mean 'status'?)"),
            std::string::npos)
      << typo.output;
  EXPECT_NE(typo.output.find("  flows"), std::string::npos) << "the commands are listed";

  auto sub = sparks({"flows", "aply", "x.yaml"});
  EXPECT_EQ(sub.exit_code, 2) << sub.output;
  EXPECT_NE(sub.output.find("sparks flows: unknown command 'aply' (did you mean 'apply'?)"),
            std::string::npos)
      << sub.output;

  auto far = sparks({"zzzzzzzzzz"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_NE(far.output.find("sparks: unknown command 'zzzzzzzzzz'\n"), std::string::npos)
      << "nothing is close: no guess\n"
      << far.output;

  for (const auto& command : std::vector<std::vector<std::string>>{
           {"flows", "apply", "--help"}, {"flows", "list", "--help"}, {"connect", "--help"}}) {
    auto help = sparks(command);
    EXPECT_EQ(help.exit_code, 0) << help.output;
    EXPECT_NE(help.output.find("Example:\n  sparks " + command[0]), std::string::npos)
        << help.output;
  }
}

class CliAgainstServe : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-cli-flows-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = (folder_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // The options that point a command at the rig's server, as its owner (or `key`).
  std::vector<std::string> at(const ServeRig& rig, std::vector<std::string> args,
                              const std::string& key = ServeRig::kOwnerKey) const {
    for (const std::string& option :
         {std::string("--url"), rig.serve_url(), std::string("--workspace"),
          std::string(ServeRig::kWorkspace), std::string("--api-key"), key})
      args.push_back(option);
    return args;
  }

  fs::path folder_;
};

TEST_F(CliAgainstServe, FlowsAreAppliedListedPublishedPausedAndResumed) {
  ServeRig rig(SPARKS_BINARY, "sparks-cli-flows-rig");
  ASSERT_EQ(rig.connect("tiktok", "creator", sparks::testing::kEveryTikTokScope).status, 200);

  const auto good = write("price-dm.yaml", sparks::testing::kPriceDmFlow);
  auto created = sparks(at(rig, {"flows", "apply", good}));
  EXPECT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find(good + ": created flow 'price-dm' (version 1, draft)"),
            std::string::npos)
      << created.output;
  auto updated = sparks(at(rig, {"flows", "apply", good}));
  EXPECT_EQ(updated.exit_code, 0) << updated.output;
  EXPECT_NE(updated.output.find(good + ": updated flow 'price-dm' (version 2, draft)"),
            std::string::npos)
      << updated.output;

  // A flow the server refuses: its problems at FILE:LINE:COL, as `sparks check` prints them; the
  // good file beside it is applied (version 3).
  const auto bad = write("bad.yaml",
                         "flow:\n  id: bad\n  name: Bad\n  trigger:\n    on: tiktok.comment\n"
                         "  actions:\n    - tiktok.send_dmm: { text: hi }\n");
  auto refused = sparks(at(rig, {"flows", "apply", good, bad}));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(std::regex_search(refused.output, std::regex(bad + ":[0-9]+:[0-9]+: error: ")))
      << refused.output;
  EXPECT_NE(refused.output.find("1 of 2 flow files not applied"), std::string::npos)
      << refused.output;

  // The key from SPARKS_API_KEY instead of --api-key.
  auto listed = sparks(
      {"flows", "list", "--json", "--url", rig.serve_url(), "--workspace", ServeRig::kWorkspace},
      std::string("SPARKS_API_KEY=") + ServeRig::kMemberKey);
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const auto flows = json::parse(listed.output).at("flows").as_array();
  ASSERT_EQ(flows.size(), 1u) << listed.output;
  EXPECT_EQ(flows[0].at("id"), "price-dm");
  auto table = sparks(at(rig, {"flows", "list"}));
  EXPECT_EQ(table.exit_code, 0) << table.output;
  EXPECT_TRUE(std::regex_search(table.output, std::regex("price-dm +draft "))) << table.output;

  auto by_member = sparks(at(rig, {"flows", "publish", "price-dm"}, ServeRig::kMemberKey));
  EXPECT_EQ(by_member.exit_code, 1);
  EXPECT_NE(by_member.output.find("403 not_allowed"), std::string::npos) << by_member.output;

  auto published = sparks(at(rig, {"flows", "publish", "price-dm"}));
  EXPECT_EQ(published.exit_code, 0) << published.output;
  EXPECT_NE(published.output.find("flow 'price-dm' is live, version 3"), std::string::npos)
      << published.output;
  auto paused = sparks(at(rig, {"flows", "pause", "price-dm"}));
  EXPECT_EQ(paused.exit_code, 0) << paused.output;
  EXPECT_NE(paused.output.find("flow 'price-dm' is paused (paused by person)"), std::string::npos)
      << paused.output;
  auto resumed = sparks(at(rig, {"flows", "resume", "price-dm"}));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("flow 'price-dm' is live"), std::string::npos) << resumed.output;
  const auto flow = rig.call("GET", rig.api("/flows/price-dm"), ServeRig::kOwnerKey);
  EXPECT_EQ(flow.body.at("status"), "live");
}

TEST_F(CliAgainstServe, ConnectPrintsTheAuthorizeUrlToOpen) {
  ServeRig rig(SPARKS_BINARY, "sparks-cli-connect-rig");
  auto started = sparks(at(rig, {"connect", "tiktok_shop"}));
  EXPECT_EQ(started.exit_code, 0) << started.output;
  EXPECT_NE(started.output.find("\n" + rig.sandbox_url()), std::string::npos)
      << "the sandbox plays TikTok Shop's authorize page\n"
      << started.output;
  const auto cards = rig.call("GET", rig.api("/integrations"), ServeRig::kOwnerKey);
  EXPECT_EQ(cards.body.at("integrations").at(1).at("status"), "Authorizing");

  auto unknown = sparks(at(rig, {"connect", "myspace"}));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("404 unknown_platform"), std::string::npos) << unknown.output;

  auto nobody = sparks(
      {"flows", "list", "--url", "http://127.0.0.1:9", "--workspace", "acme", "--api-key", "k"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.output.find("no sparks server answers at http://127.0.0.1:9"), std::string::npos)
      << nobody.output;
}

}  // namespace

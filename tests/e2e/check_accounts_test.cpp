// `sparks check --config`: a flow is checked against the accounts connected in that configuration's
// store, so that a step the account's platform will not perform (Business Messaging where the
// account is registered, say) is a warning before anyone publishes the flow.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/connection.hpp"
#include "store/transaction.hpp"

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class CheckAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-check-accounts-" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    std::ofstream(folder_ / "sparks.yaml") << "sparks:\n  database: sparks.db\n"
                                              "  workspaces:\n    - id: eu\n      members:\n"
                                              "        - { user: o, role: owner, api_key: "
                                              "owner-secret-key-1 }\n";
    std::ofstream(folder_ / "flow.yaml")
        << "flow:\n  id: hello\n  name: hello\n  trigger: { on: tiktok.dm }\n  actions:\n"
           "    - tiktok.send_dm: { text: hello }\n";
  }
  void TearDown() override { fs::remove_all(folder_); }

  CommandResult check() {
    return run_command(std::string(SPARKS_BINARY) + " check --config " +
                       (folder_ / "sparks.yaml").string() + " " + (folder_ / "flow.yaml").string());
  }

  fs::path folder_;
};

TEST_F(CheckAccountsTest, AStepTheConnectedAccountCannotUseIsAWarningAtTheStep) {
  {
    auto store = sparks::store::open((folder_ / "sparks.db").string());
    store->begin(true);
    sparks::store::IntegrationFactsRow facts;
    facts.workspace_id = "eu";
    facts.platform = "tiktok";
    facts.account_id = "creator-eu";
    facts.account_json =
        R"({"id":"creator-eu","type":"business","region":"DE","unavailable":[{"action":"tiktok.send_dm","reason":"TikTok does not offer Business Messaging here"}]})";
    store->records().save_facts(facts);
    store->commit();
  }
  const CommandResult result = check();
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("flow.yaml:6:7: warning: tiktok.send_dm is unavailable for "
                               "workspace eu's tiktok account creator-eu: TikTok does not offer "
                               "Business Messaging here; the step will be skipped"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("flow.yaml: ok (flow)"), std::string::npos) << result.output;
}

TEST_F(CheckAccountsTest, WithoutAStoreYetTheFlowIsCheckedAsUsual) {
  const CommandResult result = check();
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("no connected account to check flows against"), std::string::npos)
      << result.output;
  EXPECT_FALSE(fs::exists(folder_ / "sparks.db")) << "checking creates no store";
}

}  // namespace

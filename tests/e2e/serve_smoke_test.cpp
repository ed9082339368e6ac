// `sparks serve` as a real process on 127.0.0.1: it starts from a config file on an ephemeral
// port, says where it listens and which keys are demo-only, answers health, metrics and the API
// (with and without a key) with the sandbox mounted beside them, `sparks status` reads its cards,
// and SIGTERM ends it with exit code 0. Every wait is bounded.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "http/client.hpp"
#include "support/child_process.hpp"
#include "support/openapi_validator.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::testing::ChildProcess;

const std::string kSparks = SPARKS_BINARY;

// The exit code of a reaped child, or -1 when it did not exit by itself (a signal).
int exit_code(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

class ServeSmoke : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-serve-smoke-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    config_ = folder_ / "sparks.yaml";
    // The demo workspace's members with the demo keys, so that the start-up warning shows, and a
    // member with a real key, which is never printed; no platform base URLs, so that the
    // in-process sandbox plays both platforms.
    std::ofstream(config_)
        << "sparks:\n"
        << "  listen: 127.0.0.1:0\n"
        << "  database: data/sparks.db\n"
        << "  secrets: { key_file: data/secret.key }\n"
        << "  http: { max_connections: 64 }\n"
        << "  workspaces:\n"
        << "    - id: demo\n"
        << "      members:\n"
        << "        - { user: ana, role: owner, api_key: ana-demo-key }\n"
        << "        - { user: ben, role: member, api_key: ben-demo-key }\n"
        << "        - { user: cleo, role: admin, api_key: cleo-real-secret-1 }\n";
  }

  void TearDown() override {
    if (serve_) serve_->stop();
    fs::remove_all(folder_);
  }

  // Starts `sparks serve`; the lines it printed up to and including the listening line.
  std::vector<std::string> start_serve() {
    serve_ = std::make_unique<ChildProcess>(
        kSparks, std::vector<std::string>{"serve", "--config", config_.string()});
    std::vector<std::string> lines;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto line = serve_->read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!line) break;
      lines.push_back(*line);
      if (line->starts_with("sparks serve: listening on http://127.0.0.1:")) {
        url_ = line->substr(line->find("http://"));
        break;
      }
    }
    return lines;
  }

  sparks::http::ClientResponse get(const std::string& path, const std::string& key = "") {
    boost::asio::io_context io;
    sparks::http::ClientRequest request{"GET", url_ + path, {}, ""};
    if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
    std::optional<sparks::http::ClientResponse> response;
    sparks::http::send_request(io.get_executor(), request,
                               [&](sparks::http::ClientResponse r) { response = std::move(r); });
    sparks::testing::run_until(
        io, "the answer to GET " + path, [&] { return response.has_value(); }, 15s);
    if (response->ok()) {
      boost::system::error_code ec;
      auto body = json::parse(response->body, ec);
      if (ec) body = json::string(response->body);
      sparks::testing::expect_documented_answer("GET", url_ + path, response->status, body);
    }
    return *response;
  }

  // Runs `sparks <args>` to its end (30 s at most): its stdout lines and its exit code.
  std::pair<std::vector<std::string>, int> run_sparks(const std::vector<std::string>& args) {
    ChildProcess child(kSparks, args);
    std::vector<std::string> lines;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto line = child.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!line) break;
      lines.push_back(*line);
    }
    return {lines, exit_code(child.stop(1s))};
  }

  fs::path folder_, config_;
  std::unique_ptr<ChildProcess> serve_;
  std::string url_;
};

TEST_F(ServeSmoke, ServesTheApiAndStopsCleanly) {
  const auto lines = start_serve();
  ASSERT_FALSE(url_.empty()) << "sparks serve did not say where it listens; it printed:\n"
                             << ::testing::PrintToString(lines);
  auto printed = [&](const std::string& needle) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(printed("DEMO-ONLY")) << "demo keys are announced as such";
  EXPECT_TRUE(printed("ana (owner)") && printed("Bearer ana-demo-key"));
  EXPECT_TRUE(printed("ben (member)") && printed("Bearer ben-demo-key"));
  EXPECT_FALSE(printed("cleo-real-secret-1")) << "a real member's key is never printed";
  EXPECT_TRUE(printed("tiktok: the in-process sandbox at " + url_));
  EXPECT_TRUE(printed("tiktok_shop: the in-process sandbox at " + url_));

  auto health = get("/healthz");
  ASSERT_TRUE(health.ok()) << health.error;
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body),
            (json::value{{"status", "ok"}, {"store", "ok"}, {"writer", "ok"}}));

  auto cards = get("/api/v1/workspaces/demo/integrations", "ana-demo-key");
  ASSERT_EQ(cards.status, 200) << cards.body;
  const auto parsed = json::parse(cards.body);
  ASSERT_EQ(parsed.at("integrations").as_array().size(), 2u) << cards.body;
  EXPECT_EQ(parsed.at("integrations").at(0).at("platform"), "tiktok");
  EXPECT_EQ(parsed.at("integrations").at(0).at("status"), "Disconnected");

  auto anonymous = get("/api/v1/workspaces/demo/integrations");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(json::parse(anonymous.body).at("error").at("code"), "unauthorized");

  auto accounts = get("/sandbox/v1/accounts");
  EXPECT_EQ(accounts.status, 200) << "the sandbox is mounted on the same server";
  EXPECT_NE(accounts.body.find("\"creator\""), std::string::npos);

  auto metrics = get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_TRUE(metrics.headers["Content-Type"].starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(metrics.body.find("sparks_http_requests_total{route=\"/api/v1/workspaces/{ws}/"
                              "integrations\",status=\"401\"} 1"),
            std::string::npos)
      << metrics.body;
  // The HTTP server's own gauges and counters, with the configured cap.
  EXPECT_NE(metrics.body.find("\nsparks_http_connection_limit 64\n"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("\nsparks_http_accept_errors_total 0\n"), std::string::npos);

  auto [status_lines, status_exit] =
      run_sparks({"status", "--config", config_.string(), "--url", url_, "--json"});
  EXPECT_EQ(status_exit, 0);
  ASSERT_EQ(status_lines.size(), 1u) << ::testing::PrintToString(status_lines);
  EXPECT_EQ(json::parse(status_lines[0]), parsed) << "status --json prints the API's cards";

  auto [table, table_exit] = run_sparks({"status", "--config", config_.string(), "--url", url_});
  EXPECT_EQ(table_exit, 0);
  ASSERT_GE(table.size(), 4u) << ::testing::PrintToString(table);
  EXPECT_TRUE(table[1].starts_with("PLATFORM")) << table[1];
  EXPECT_NE(table[2].find("● grey Disconnected"), std::string::npos) << table[2];

  EXPECT_EQ(exit_code(serve_->stop(10s)), 0) << "sparks serve exits with 0 on SIGTERM";
  serve_.reset();

  // Nothing listens there any more: status says so and fails.
  auto [gone_lines, gone_exit] = run_sparks({"status", "--url", url_});
  EXPECT_EQ(gone_exit, 1);
  EXPECT_TRUE(gone_lines.empty()) << "the reason goes to stderr";
}

TEST_F(ServeSmoke, ABadConfigIsRefusedWithItsLineAndExitCode1) {
  std::ofstream(config_) << "sparks:\n  listen: nowhere\n";
  auto [lines, code] = [&] {
    ChildProcess child(kSparks, {"serve", "--config", config_.string()});
    auto line = child.read_line(30s);
    return std::pair{line, exit_code(child.stop(30s))};
  }();
  EXPECT_FALSE(lines.has_value()) << "nothing on stdout: " << lines.value_or("");
  EXPECT_EQ(code, 1);
}

}  // namespace

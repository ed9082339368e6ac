// The plugin host: every refusal reason (with purpose-built bad plugins from tests/plugins/), the
// example echo plugin end to end (descriptor, operations, host HTTP against a local server, timers,
// emitted triggers, webhooks), a plugin that misbehaves at run time, clean unloading with work in
// flight, and `sparks plugin inspect` run as a process. Only 127.0.0.1; every wait has a deadline.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/manifest_file.hpp"
#include "plugins/plugin_host.hpp"
#include "support/wait.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using sparks::plugins::LoadedPlugin;
using sparks::plugins::LoadReport;
using sparks::plugins::Operation;
using sparks::plugins::PluginHost;

const std::string kTestPluginDir = SPARKS_TEST_PLUGIN_DIR;
const std::string kEchoPlugin = SPARKS_ECHO_PLUGIN;
const std::string kCli = SPARKS_CLI;

using sparks::testing::run_until;

// The engine's side, reduced to what a test can look at.
class TestBridge final : public sparks::plugins::PluginHostBridge {
 public:
  struct Emitted {
    std::string platform, integration, trigger, payload;
  };

  explicit TestBridge(asio::io_context& io) : io_(io) {}

  asio::any_io_executor executor_for(std::string_view, std::string_view) override {
    return io_.get_executor();
  }
  bool emit_trigger(std::string_view platform, std::string_view integration,
                    std::string_view trigger, std::string_view payload) override {
    emitted.push_back({std::string(platform), std::string(integration), std::string(trigger),
                       std::string(payload)});
    return true;
  }
  std::optional<std::string> kv_get(std::string_view, std::string_view integration,
                                    std::string_view key) override {
    auto it = kv.find(std::string(integration) + "/" + std::string(key));
    if (it == kv.end()) return std::nullopt;
    return it->second;
  }
  bool kv_put(std::string_view, std::string_view integration, std::string_view key,
              std::string_view value) override {
    kv[std::string(integration) + "/" + std::string(key)] = std::string(value);
    return true;
  }
  bool kv_delete(std::string_view, std::string_view integration, std::string_view key) override {
    return kv.erase(std::string(integration) + "/" + std::string(key)) == 1;
  }

  std::vector<Emitted> emitted;
  std::map<std::string, std::string> kv;

 private:
  asio::io_context& io_;
};

// A token endpoint on 127.0.0.1 that answers by what the request body contains:
//   "stall"   → never answers (the connection is held open);
//   "revoked" → 401;  "flaky" → 503;  anything else → 200 with a token.
class TokenServer {
 public:
  explicit TokenServer(asio::io_context& io)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(io, accept_connections(), asio::detached);
  }
  ~TokenServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& socket : held_) socket.close(ignored);
  }

  std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  std::vector<std::string> requests;  // "POST /oauth/token {body}"

 private:
  asio::awaitable<void> accept_connections() {
    for (int served = 0; served < 64; ++served) {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      co_await answer(std::move(socket));
    }
  }

  asio::awaitable<void> answer(asio::ip::tcp::socket socket) {
    boost::system::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(socket, buffer, request, token);
    if (ec) co_return;
    requests.push_back(std::string(request.method_string()) + " " + std::string(request.target()) +
                       " " + request.body());
    if (request.body().find("stall") != std::string::npos) {
      held_.push_back(std::move(socket));
      co_return;
    }
    http::response<http::string_body> response{http::status::ok, 11};
    if (request.body().find("revoked") != std::string::npos) {
      response.result(http::status::unauthorized);
      response.body() = R"({"error":"invalid_grant"})";
    } else if (request.body().find("flaky") != std::string::npos) {
      response.result(http::status::service_unavailable);
    } else {
      response.body() = R"({"access_token":"at-1","refresh_token":"rt-1","expires_in":86400,)"
                        R"("scope":"echo.read,echo.write","account_id":"acct-7"})";
    }
    response.set(http::field::content_type, "application/json");
    response.prepare_payload();
    co_await http::async_write(socket, response, token);
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  }

  asio::ip::tcp::acceptor acceptor_;
  std::vector<asio::ip::tcp::socket> held_;
};

// One operation's answer, once it has arrived.
struct Answer {
  std::optional<sparks_status_t> status;
  std::string result;
  int calls = 0;
  sparks::plugins::Completion completion() {
    return [this](sparks_status_t s, std::string r) {
      status = s;
      result = std::move(r);
      ++calls;
    };
  }
};

class PluginHostTest : public ::testing::Test {
 protected:
  asio::io_context io;
  TestBridge bridge{io};
  std::optional<TokenServer> server;
  std::optional<PluginHost> host;  // declared after the server: destroyed before it

  void SetUp() override { host.emplace(io.get_executor(), bridge); }

  LoadedPlugin& load_echo() {
    LoadReport report = host->load_file(kEchoPlugin);
    EXPECT_TRUE(report.loaded()) << (report.refusal ? report.refusal->to_string() : "");
    LoadedPlugin* echo = host->find("echo");
    if (echo == nullptr) throw std::runtime_error("echo plugin did not load");
    return *echo;
  }

  LoadedPlugin& load_echo_with_server() {
    server.emplace(io);
    LoadedPlugin& echo = load_echo();
    std::string error;
    EXPECT_TRUE(echo.configure(json::serialize(json::object{{"api_base_url", server->base_url()},
                                                            {"client_key", "key-1"},
                                                            {"client_secret", "secret-1"}}),
                               error))
        << error;
    return echo;
  }

  Answer call(LoadedPlugin& plugin, Operation op, const json::object& request) {
    Answer answer;
    plugin.call(op, "ws-1", json::serialize(request), answer.completion());
    EXPECT_FALSE(answer.status) << "completions never run inside the call";
    run_until(io, "the plugin's answer", [&] { return answer.status.has_value(); });
    return answer;
  }
};

std::string refusal_code(const LoadReport& report) {
  return report.refusal ? std::string(sparks::plugins::code_of(report.refusal->reason)) : "loaded";
}

// ---- refusals
// --------------------------------------------------------------------------------------

TEST_F(PluginHostTest, RefusesEachBadPluginWithItsReasonAndKeepsServing) {
  load_echo();
  std::map<std::string, LoadReport> by_file;
  for (LoadReport& report : host->load_directory(kTestPluginDir))
    by_file.emplace(report.path.filename().string(), std::move(report));

  EXPECT_EQ(refusal_code(by_file.at("not_a_plugin.so")), "not_shared_object");
  EXPECT_EQ(refusal_code(by_file.at("no_entry_point.so")), "no_entry_point");
  EXPECT_EQ(refusal_code(by_file.at("wrong_magic.so")), "wrong_magic");
  EXPECT_EQ(refusal_code(by_file.at("abi_too_new.so")), "abi_too_new");
  EXPECT_EQ(refusal_code(by_file.at("duplicate_platform.so")), "duplicate_platform");
  EXPECT_EQ(refusal_code(by_file.at("init_error.so")), "init_failed");
  EXPECT_EQ(refusal_code(by_file.at("invalid_descriptor.so")), "invalid_descriptor");
  EXPECT_EQ(refusal_code(by_file.at("lying_lengths.so")), "invalid_descriptor");
  EXPECT_EQ(refusal_code(by_file.at("misbehaving.so")), "loaded");

  // Each reason is one line that says what is wrong.
  EXPECT_NE(by_file.at("init_error.so").refusal->detail.find("the widget is missing"),
            std::string::npos);
  // The host's own version, whatever minor it is at.
  const std::string host_abi =
      std::to_string(SPARKS_PLUGIN_ABI_MAJOR) + "." + std::to_string(SPARKS_PLUGIN_ABI_MINOR);
  EXPECT_NE(by_file.at("abi_too_new.so").refusal->detail.find("newer than this host's " + host_abi),
            std::string::npos);
  EXPECT_NE(
      by_file.at("lying_lengths.so").refusal->detail.find("display_name is 1099511627776 bytes"),
      std::string::npos);
  EXPECT_NE(by_file.at("invalid_descriptor.so").refusal->to_string().find("invalid_descriptor: "),
            std::string::npos);
  for (const auto& [file, report] : by_file) {
    if (report.refusal) {
      EXPECT_EQ(report.refusal->to_string().find('\n'), std::string::npos) << file;
    }
  }

  // Only the good plugins stay loaded, and they still work.
  EXPECT_EQ(host->plugins().size(), 2u);
  Answer answer = call(*host->find("echo"), Operation::authorize_url,
                       {{"redirect_uri", "http://127.0.0.1/cb"}, {"state", "s1"}});
  EXPECT_EQ(answer.status, SPARKS_OK) << answer.result;
}

TEST_F(PluginHostTest, RefusesAMissingFileAndTheSameFileTwice) {
  EXPECT_EQ(refusal_code(host->load_file(kTestPluginDir + "/no_such_plugin.so")), "not_found");
  load_echo();
  EXPECT_EQ(refusal_code(host->load_file(kEchoPlugin)), "duplicate_platform");
  EXPECT_EQ(host->plugins().size(), 1u);
}

TEST_F(PluginHostTest, AMissingPluginDirectoryIsNotAnError) {
  EXPECT_TRUE(host->load_directory(kTestPluginDir + "/no_such_dir").empty());
}

// ---- the echo plugin
// ---------------------------------------------------------------------------------

TEST_F(PluginHostTest, EchoDescriptorIsCopiedWhole) {
  const sparks::plugins::PluginDescriptor& d = load_echo().descriptor();
  EXPECT_EQ(d.platform_id, "echo");
  EXPECT_EQ(d.display_name, "Echo (example)");
  EXPECT_EQ(d.version, "1.0.0");
  EXPECT_EQ(d.abi_major, SPARKS_PLUGIN_ABI_MAJOR);
  ASSERT_EQ(d.scopes.size(), 2u);
  EXPECT_EQ(d.scopes[0].name, "echo.read");
  EXPECT_TRUE(d.scopes[0].required);
  EXPECT_EQ(d.scopes[0].enables, std::vector<std::string>{"echo.message"});
  EXPECT_FALSE(d.scopes[1].required);
  EXPECT_EQ(d.scopes[1].enables, std::vector<std::string>{"echo.reply"});
  EXPECT_TRUE(d.declares_trigger("token_refreshed"));
  EXPECT_TRUE(d.declares_trigger("echo.message"));
  EXPECT_FALSE(d.declares_trigger("echo.reply"));
  EXPECT_TRUE(d.declares_action("echo.reply"));
  ASSERT_EQ(d.actions.size(), 1u);
  ASSERT_EQ(d.actions[0].params.size(), 3u);
  EXPECT_EQ(d.actions[0].params[2].name, "delay_ms");
  EXPECT_EQ(d.actions[0].params[2].type, "integer");
  EXPECT_FALSE(d.actions[0].params[2].required);
}

TEST_F(PluginHostTest, EchoBuildsTheAuthorizeUrl) {
  LoadedPlugin& echo = load_echo_with_server();
  Answer answer = call(echo, Operation::authorize_url,
                       {{"redirect_uri", "http://127.0.0.1:8080/oauth/echo/callback"},
                        {"state", "st-1"},
                        {"scopes", json::array{"echo.read", "echo.write"}}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.result;
  std::string url(json::parse(answer.result).at("url").as_string());
  EXPECT_EQ(url,
            server->base_url() +
                "/authorize?client_key=key-1&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Foauth"
                "%2Fecho%2Fcallback&state=st-1&scope=echo.read%2Cecho.write");
}

TEST_F(PluginHostTest, EchoExchangesACodeThroughTheHostsHttp) {
  LoadedPlugin& echo = load_echo_with_server();
  Answer answer = call(echo, Operation::exchange_code, {{"code", "c-42"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.result;
  json::value credentials = json::parse(answer.result);
  EXPECT_EQ(credentials.at("access_token"), "at-1");
  EXPECT_EQ(credentials.at("account_id"), "acct-7");
  EXPECT_EQ(credentials.at("granted_scopes"), (json::array{"echo.read", "echo.write"}));
  ASSERT_EQ(server->requests.size(), 1u);
  EXPECT_EQ(server->requests[0], R"(POST /oauth/token {"code":"c-42","client_key":"key-1"})");
}

TEST_F(PluginHostTest, EchoRefreshEmitsLifecycleTriggers) {
  LoadedPlugin& echo = load_echo_with_server();
  Answer ok = call(echo, Operation::refresh_token, {{"credentials", {{"refresh_token", "rt-1"}}}});
  EXPECT_EQ(ok.status, SPARKS_OK) << ok.result;
  Answer rejected =
      call(echo, Operation::refresh_token, {{"credentials", {{"refresh_token", "revoked"}}}});
  EXPECT_EQ(rejected.status, SPARKS_ERR_UNAUTHORIZED);
  Answer failed =
      call(echo, Operation::refresh_token, {{"credentials", {{"refresh_token", "flaky"}}}});
  EXPECT_EQ(failed.status, SPARKS_ERR_UNAVAILABLE);

  ASSERT_EQ(bridge.emitted.size(), 3u);
  EXPECT_EQ(bridge.emitted[0].trigger, "token_refreshed");
  EXPECT_EQ(bridge.emitted[1].trigger, "refresh_token_rejected");
  EXPECT_EQ(bridge.emitted[2].trigger, "token_refresh_failed");
  EXPECT_EQ(bridge.emitted[2].payload, R"({"http_status":503})");
  for (const auto& e : bridge.emitted) {
    EXPECT_EQ(e.platform, "echo");
    EXPECT_EQ(e.integration, "ws-1");
  }
}

TEST_F(PluginHostTest, EchoActionEmitsAFlowTriggerAfterAHostTimer) {
  LoadedPlugin& echo = load_echo_with_server();
  const auto started = std::chrono::steady_clock::now();
  Answer answer = call(echo, Operation::execute_action,
                       {{"action", "echo.reply"},
                        {"params", {{"user", "u-1"}, {"text", "price?"}, {"delay_ms", 50}}}});
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.result;
  ASSERT_EQ(bridge.emitted.size(), 1u);
  EXPECT_EQ(bridge.emitted[0].trigger, "echo.message");
  EXPECT_EQ(json::parse(bridge.emitted[0].payload),
            json::parse(R"({"user":"u-1","text":"price?"})"));

  Answer unknown = call(echo, Operation::execute_action, {{"action", "echo.nope"}});
  EXPECT_EQ(unknown.status, SPARKS_ERR_NOT_FOUND);
}

TEST_F(PluginHostTest, EchoVerifiesAndNormalizesWebhooks) {
  LoadedPlugin& echo = load_echo_with_server();
  const std::string body = R"({"id":"ev-1","account":"acct-7","user":"u-9","text":"hello"})";
  std::array<uint8_t, 32> mac{};
  const sparks_host_api_t* api = sparks::plugins::host_api();
  ASSERT_EQ(api->hmac_sha256(nullptr, {"secret-1", 8}, {body.data(), body.size()}, mac.data()),
            SPARKS_OK);
  std::string signature;
  for (uint8_t b : mac) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b);
    signature += hex;
  }

  auto verify = [&](std::string sig) {
    std::optional<sparks_status_t> status;
    std::vector<sparks::plugins::WebhookEvent> events;
    echo.verify_webhook(
        {"POST", "/webhooks/echo", "", {{"Echo-Signature", sig}}, body},
        [&](sparks_status_t s, std::string, std::vector<sparks::plugins::WebhookEvent> e) {
          status = s;
          events = std::move(e);
        });
    run_until(io, "the webhook's verdict", [&] { return status.has_value(); });
    return std::make_pair(*status, events);
  };

  auto [status, events] = verify(signature);
  ASSERT_EQ(status, SPARKS_OK);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "ev-1");
  EXPECT_EQ(events[0].account, "acct-7");
  EXPECT_EQ(events[0].trigger, "echo.message");
  EXPECT_EQ(json::parse(events[0].payload_json), json::parse(R"({"user":"u-9","text":"hello"})"));

  EXPECT_EQ(verify(std::string(64, '0')).first, SPARKS_ERR_BAD_SIGNATURE);
}

TEST_F(PluginHostTest, EchoKeepsItsNoConfigurationDefaults) {
  LoadedPlugin& echo = load_echo();
  Answer answer = call(echo, Operation::get_account, {{"credentials", {{"account_id", "a-1"}}}});
  ASSERT_EQ(answer.status, SPARKS_OK);
  EXPECT_EQ(
      json::parse(answer.result),
      json::parse(R"({"id":"a-1","name":"Echo a-1","type":"business","business_id":"biz-echo"})"));
}

// ---- a plugin that misbehaves after loading
// -------------------------------------------------------

TEST_F(PluginHostTest, MisbehavingPluginIsCheckedAtEveryTurn) {
  ASSERT_TRUE(host->load_file(kTestPluginDir + "/misbehaving.so").loaded());
  LoadedPlugin& plugin = *host->find("misbehaving");

  Answer lying = call(plugin, Operation::get_account, {});
  EXPECT_EQ(lying.status, SPARKS_ERR_INTERNAL);
  EXPECT_NE(lying.result.find("1099511627776 bytes"), std::string::npos) << lying.result;

  Answer twice = call(plugin, Operation::sync, {});
  // The plugin answered twice inside the call, so a second answer (wrongly) let through was queued
  // on `io` before this marker: once the marker has run, it would have arrived.
  bool marker_ran = false;
  asio::post(io, [&] { marker_ran = true; });
  run_until(io, "a handler queued after the plugin's answers", [&] { return marker_ran; });
  EXPECT_EQ(twice.status, SPARKS_OK);
  EXPECT_EQ(twice.calls, 1);

  Answer emits = call(plugin, Operation::execute_action, {});
  ASSERT_EQ(emits.status, SPARKS_OK) << emits.result;
  EXPECT_EQ(json::parse(emits.result),
            json::parse(R"({"lying":1,"undeclared":1,"not_object":1})"));  // INVALID_ARGUMENT
  EXPECT_TRUE(bridge.emitted.empty());

  Answer missing = call(plugin, Operation::authorize_url, {});
  EXPECT_EQ(missing.status, SPARKS_ERR_UNSUPPORTED);
}

// ---- operations added in later minors
// ---------------------------------------------------------

TEST_F(PluginHostTest, APluginBuiltForAbi12DoesNotFindActions) {
  // Its table ends before find_action; the member it has past its struct_size is not read.
  LoadReport report = host->load_file(kTestPluginDir + "/older_abi/abi_1_2.so");
  ASSERT_TRUE(report.loaded()) << (report.refusal ? report.refusal->to_string() : "");
  LoadedPlugin& plugin = *host->find("abi_1_2");
  EXPECT_EQ(plugin.descriptor().abi_minor, 2u);

  Answer works = call(plugin, Operation::execute_action, {{"action", "abi_1_2.anything"}});
  EXPECT_EQ(works.status, SPARKS_OK) << works.result;
  Answer find = call(plugin, Operation::find_action,
                     {{"action", "abi_1_2.anything"}, {"params", json::object{}}, {"since", 1}});
  EXPECT_EQ(find.status, SPARKS_ERR_UNSUPPORTED) << find.result;
  EXPECT_NE(find.result.find("find_action"), std::string::npos) << find.result;
}

TEST_F(PluginHostTest, APluginWithoutFindActionAnswersUnsupported) {
  ASSERT_TRUE(host->load_file(kTestPluginDir + "/misbehaving.so").loaded());
  Answer find = call(*host->find("misbehaving"), Operation::find_action,
                     {{"action", "misbehaving.poke"}, {"params", json::object{}}, {"since", 1}});
  EXPECT_EQ(find.status, SPARKS_ERR_UNSUPPORTED) << find.result;
}

// ---- shutdown
// ------------------------------------------------------------------------------------------

TEST_F(PluginHostTest, UnloadingCancelsWorkInFlight) {
  LoadedPlugin& echo = load_echo_with_server();
  Answer stalled;
  echo.call(Operation::exchange_code, "ws-1", R"({"code":"stall"})", stalled.completion());
  run_until(io, "the stalled request at the server", [&] { return !server->requests.empty(); });

  Answer timer;
  echo.call(Operation::execute_action, "ws-1",
            R"({"action":"echo.reply","params":{"user":"u","text":"t","delay_ms":60000}})",
            timer.completion());
  host->unload_all();
  run_until(io, "both cancelled answers", [&] { return stalled.status && timer.status; });
  EXPECT_EQ(stalled.status, SPARKS_ERR_CANCELLED);
  EXPECT_EQ(timer.status, SPARKS_ERR_CANCELLED);
  EXPECT_TRUE(bridge.emitted.empty());
  EXPECT_TRUE(host->plugins().empty());
}

TEST(PluginHttpClient, TimesOutAndRefusesBadUrls) {
  asio::io_context io;
  TokenServer server(io);
  sparks::plugins::HttpClient client;
  std::vector<sparks::plugins::HttpResult> results;
  auto keep = [&](sparks::plugins::HttpResult r) { results.push_back(std::move(r)); };

  client.start(io.get_executor(), {"POST", server.base_url() + "/oauth/token", {}, "stall", 200ms},
               1024, keep);
  client.start(io.get_executor(), {"GET", "ftp://127.0.0.1/x", {}, "", 1s}, 1024, keep);
  // TLS against a plain-HTTP port: the handshake fails, verification never passes silently.
  std::string https = "https" + server.base_url().substr(4) + "/oauth/token";
  client.start(io.get_executor(), {"POST", https, {}, "{}", 2s}, 1024, keep);
  run_until(io, "the three results", [&] { return results.size() == 3; });

  using Outcome = sparks::plugins::HttpResult::Outcome;
  std::map<Outcome, int> seen;
  for (const auto& r : results) ++seen[r.outcome];
  EXPECT_EQ(seen[Outcome::timeout], 1);
  EXPECT_EQ(seen[Outcome::invalid], 1);
  EXPECT_EQ(seen[Outcome::unavailable], 1);
}

// ---- hand-written manifests (sparks check)
// -------------------------------------------------------

TEST(PluginManifestFile, AcceptsAGoodManifestAndPointsAtTheBadLine) {
  const std::string good = R"(plugin:
  platform: acme
  display_name: Acme
  version: 0.1.0
  scopes:
    - { name: dm.send, required: true, enables: [acme.send_dm] }
  lifecycle_triggers: [token_refreshed]
  triggers: []
  actions:
    - { name: acme.send_dm, params: [{ name: text, type: string, required: true }] }
)";
  EXPECT_TRUE(sparks::plugins::check_manifest_file("acme.yaml", good).empty());

  std::string bad = good;
  bad.replace(bad.find("0.1.0"), 5, "banana");
  sparks::Diagnostics diagnostics = sparks::plugins::check_manifest_file("acme.yaml", bad);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].line, 4);
  EXPECT_NE(diagnostics[0].message.find("semantic version"), std::string::npos)
      << diagnostics[0].to_string();
}

// ---- sparks plugin inspect
// -----------------------------------------------------------------------

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

ProcessResult run_cli(const std::string& arguments) {
  ProcessResult result;
  std::string command = kCli + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(PluginInspect, PrintsTheEchoDescriptorAsATable) {
  ProcessResult r = run_cli("plugin inspect " + kEchoPlugin);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Platform            echo\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Version             1.0.0\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("echo.read   yes       echo.message"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("echo.reply"), std::string::npos) << r.output;
}

TEST(PluginInspect, PrintsTheManifestAsJson) {
  ProcessResult r = run_cli("plugin inspect --json " + kEchoPlugin);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  json::value doc = json::parse(r.output);
  EXPECT_EQ(doc.at("plugin").at("platform"), "echo");
  EXPECT_EQ(doc.at("plugin").at("scopes").as_array().size(), 2u);
  EXPECT_EQ(doc.at("abi").at("major"), SPARKS_PLUGIN_ABI_MAJOR);
}

TEST(PluginInspect, GivesTheReasonAndExitsOneForANonPlugin) {
  const std::string path = kTestPluginDir + "/not_a_plugin.so";
  ProcessResult r = run_cli("plugin inspect " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output, path + ": refused: not_shared_object: not a shared object (no ELF header)\n");

  ProcessResult magic = run_cli("plugin inspect " + kTestPluginDir + "/wrong_magic.so");
  EXPECT_EQ(magic.exit_code, 1);
  EXPECT_NE(magic.output.find("refused: wrong_magic: "), std::string::npos) << magic.output;
}

// ---- sparks check --plugin-dir
// -------------------------------------------------------------------

// A flow file in a folder of its own under the system's temporary folder.
std::string flow_file(const std::string& name, const std::string& yaml) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("sparks-check-plugins-" + std::to_string(getpid()));
  std::filesystem::create_directories(folder);
  const auto path = folder / name;
  std::ofstream(path) << yaml;
  return path.string();
}

const std::string kEchoFlow =
    "flow:\n  id: echo-pong\n  name: Ping, pong\n"
    "  trigger: { on: echo.message, keywords: [ping] }\n"
    "  actions:\n    - echo.reply: { text: \"pong to {{message.text}}\" }\n";

TEST(CheckWithPlugins, AcceptsAFlowOnTheTriggerOfAPluginInTheFolder) {
  const std::string plugins = std::filesystem::path(kEchoPlugin).parent_path().string();
  const std::string file = flow_file("echo.yaml", kEchoFlow);
  ProcessResult r = run_cli("check --plugin-dir " + plugins + " " + file);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, file + ": ok (flow)\n");
}

TEST(CheckWithPlugins, RefusesAnUnknownTriggerNamingTheLoadedOnes) {
  const std::string plugins = std::filesystem::path(kEchoPlugin).parent_path().string();
  std::string yaml = kEchoFlow;
  yaml.replace(yaml.find("echo.message"), 12, "echo.mesage");
  const std::string file = flow_file("typo.yaml", yaml);
  ProcessResult r = run_cli("check --plugin-dir " + plugins + " " + file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.output,
            file + ":4:18: error: unknown trigger 'echo.mesage' (did you mean 'echo.message'?)\n");

  yaml.replace(yaml.find("echo.mesage"), 11, "instagram.story");
  const std::string other = flow_file("other.yaml", yaml);
  ProcessResult unknown = run_cli("check --plugin-dir " + plugins + " " + other);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("unknown trigger 'instagram.story' (known: echo.message)"),
            std::string::npos)
      << unknown.output;
}

}  // namespace

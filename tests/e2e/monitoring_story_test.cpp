// What an operator watches, against real `sparks serve` and `sparks sandbox` processes
// (tests/support/serve_rig.hpp): every answer carries X-Request-Id — the caller's, or a new one —
// whatever answers it; /healthz says the store and the writer answer; and once the help page's
// price DM has gone out, /metrics counts it in its histograms and shows the integration's state
// and the outbox emptied in its gauges. A second story runs two instances on one PostgreSQL
// database: a request forwarded to the instance that runs the workspace keeps its id.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "http/client.hpp"
#include "support/postgres_server.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace sparks::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// One request on loopback with its headers, the answer's headers kept.
http::ClientResponse fetch(const std::string& method, const std::string& url,
                           http::Headers headers = {}, const std::string& body = "") {
  boost::asio::io_context io;
  std::optional<http::ClientResponse> answered;
  http::send_request(io.get_executor(), {method, url, std::move(headers), body, 15s},
                     [&](http::ClientResponse r) { answered = std::move(r); });
  run_until(
      io, "the answer to " + method + " " + url, [&] { return answered.has_value(); }, 16s);
  return *answered;
}

bool is_new_id(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string metrics_of(const ServeRig& rig) {
  return fetch("GET", rig.serve_url() + "/metrics").body;
}

// The value of the sample `series` (its name and labels, as written) in `text`; -1 when absent.
double sample(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 2));
}

TEST(MonitoringStory, EveryAnswerCarriesARequestIdAndHealthzChecksTheStore) {
  ServeRig rig(SPARKS_BINARY, "sparks-monitoring-ids");
  const auto& base = rig.serve_url();
  const http::Headers mine{{"X-Request-Id", "probe-1"}};

  auto health = fetch("GET", base + "/healthz", mine);
  ASSERT_TRUE(health.ok()) << health.error;
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body),
            (json::value{{"status", "ok"}, {"store", "ok"}, {"writer", "ok"}}));
  EXPECT_EQ(health.headers["X-Request-Id"], "probe-1");

  // The API with and without a key, a route that does not exist, a webhook whose signature is
  // wrong, an OAuth callback with a forged state, the metrics, and the sandbox's endpoints mounted
  // beside nothing (a 404 of the API's): each echoes the id it was sent, or makes one.
  const std::string api = rig.api("/integrations");
  struct Probe {
    std::string method, url;
    http::Headers headers;
    std::string body;
    int status;
  };
  const std::vector<Probe> probes{
      {"GET", api, {{"Authorization", std::string("Bearer ") + ServeRig::kOwnerKey}}, "", 200},
      {"GET", api, {}, "", 401},
      {"GET", base + "/no/such/route", {}, "", 404},
      {"POST", base + "/webhooks/tiktok", {{"TikTok-Signature", "t=1,s=forged"}}, "{}", 401},
      {"GET", base + "/oauth/tiktok/callback?code=c&state=forged", {}, "", 400},
      {"GET", base + "/metrics", {}, "", 200},
  };
  for (const auto& probe : probes) {
    SCOPED_TRACE(probe.method + " " + probe.url);
    auto sent = probe.headers;
    sent["X-Request-Id"] = "trace-" + std::to_string(probe.status);
    auto echoed = fetch(probe.method, probe.url, sent, probe.body);
    ASSERT_TRUE(echoed.ok()) << echoed.error;
    EXPECT_EQ(echoed.status, probe.status) << echoed.body;
    EXPECT_EQ(echoed.headers["X-Request-Id"], "trace-" + std::to_string(probe.status));

    auto unusable = probe.headers;
    unusable["X-Request-Id"] = "has spaces in it";
    auto made = fetch(probe.method, probe.url, unusable, probe.body);
    EXPECT_TRUE(is_new_id(made.headers["X-Request-Id"])) << made.headers["X-Request-Id"];
    auto none = fetch(probe.method, probe.url, probe.headers, probe.body);
    EXPECT_TRUE(is_new_id(none.headers["X-Request-Id"])) << none.headers["X-Request-Id"];
    EXPECT_NE(none.headers["X-Request-Id"], made.headers["X-Request-Id"]);
  }
}

TEST(MonitoringStory, AfterThePriceDmTheHistogramsCountItAndTheGaugesShowTheStates) {
  ServeRig rig(SPARKS_BINARY, "sparks-monitoring-dm");
  const auto before = metrics_of(rig);
  EXPECT_EQ(sample(before, "sparks_integrations{platform=\"tiktok\",state=\"connected\"}"), 0)
      << before;

  const auto connected = rig.connect("tiktok", "creator", kEveryTikTokScope);
  ASSERT_EQ(connected.status, 200) << json::serialize(connected.body);
  ASSERT_EQ(rig.publish_flow("price-dm", kPriceDmFlow).status, 200);
  // The fan writes first (the DM goes into their open conversation), then asks for the price.
  ASSERT_EQ(rig.control("/sandbox/v1/messages",
                        {{"account", "creator"}, {"user", "fan-1"}, {"text", "hi"}})
                .status,
            201);
  ASSERT_EQ(rig.control("/sandbox/v1/comments", {{"account", "creator"},
                                                 {"video_id", "video-1"},
                                                 {"user", "fan-1"},
                                                 {"text", "what's the price?"}})
                .status,
            201);

  const std::string to_dm = "sparks_webhook_to_dm_seconds_count{platform=\"tiktok\"}";
  std::string text;
  poll_until(
      "the DM to be counted in sparks_webhook_to_dm_seconds",
      [&] {
        text = metrics_of(rig);
        return sample(text, to_dm) == 1;
      },
      kWaitLimit, 50ms);
  EXPECT_EQ(sample(text, "sparks_webhook_to_dm_seconds_bucket{platform=\"tiktok\",le=\"+Inf\"}"),
            1);
  EXPECT_GT(sample(text, "sparks_webhook_to_dm_seconds_sum{platform=\"tiktok\"}"), 0);
  // The connector calls the engine made on the way, each timed under its name.
  for (const char* call : {"exchange_code", "get_account", "send_dm"})
    EXPECT_GE(sample(text, std::string("sparks_platform_call_seconds_count{platform=\"tiktok\","
                                       "call=\"") +
                               call + "\"}"),
              1)
        << call << "\n"
        << text;
  EXPECT_EQ(sample(text, "sparks_integrations{platform=\"tiktok\",state=\"connected\"}"), 1);
  EXPECT_EQ(sample(text, "sparks_integrations{platform=\"tiktok_shop\",state=\"connected\"}"), 0);
  EXPECT_GE(sample(text, "sparks_webhooks_accepted_by_platform_total{platform=\"tiktok\"}"), 1);
  EXPECT_GE(sample(text, "sparks_webhooks_accepted_total"), 1);

  // Once the DM's outcome is stored the outbox has nothing left for TikTok.
  poll_until(
      "the outbox to be empty",
      [&] {
        text = metrics_of(rig);
        return sample(text, "sparks_outbox_depth{platform=\"tiktok\"}") == 0;
      },
      kWaitLimit, 50ms);
  EXPECT_EQ(sample(text, "sparks_outbox_oldest_pending_seconds{platform=\"tiktok\"}"), 0);
}

TEST(MonitoringStory, ARequestForwardedToTheInstanceThatRunsTheWorkspaceKeepsItsId) {
  ServeRig rig(SPARKS_BINARY, "sparks-monitoring-forward",
               {.database = PostgresServer::shared().database(), .instances = 2});
  // Connecting on an instance makes it the workspace's holder; the other sends its writes on.
  const auto connected = rig.connect("tiktok", "creator", kEveryTikTokScope, 0);
  ASSERT_EQ(connected.status, 200) << json::serialize(connected.body);
  const int holder = rig.holder();
  const int other = 1 - holder;
  auto created = fetch("POST", rig.api("/flows", other),
                       {{"Authorization", std::string("Bearer ") + ServeRig::kOwnerKey},
                        {"Content-Type", "application/yaml"},
                        {"X-Request-Id", "forwarded-1"}},
                       kPriceDmFlow);
  ASSERT_TRUE(created.ok()) << created.error;
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers["X-Request-Id"], "forwarded-1");
  // It was sent on (the other instance counts it so), and the holder answered it.
  const std::string route = "sparks_http_requests_total{route=\"/api/v1/workspaces/{ws}/flows\",";
  EXPECT_EQ(sample(fetch("GET", rig.serve_url(other) + "/metrics").body, route + "status=\"307\"}"),
            1);
  EXPECT_EQ(
      sample(fetch("GET", rig.serve_url(holder) + "/metrics").body, route + "status=\"201\"}"), 1);
}

}  // namespace
}  // namespace sparks::testing

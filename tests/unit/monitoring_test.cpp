// What monitoring reads, below the engine: the histogram's text, the counts by platform, the
// rules of X-Request-Id, and a real server on 127.0.0.1 putting one on every answer — routed, 404,
// and one written before a request could be made of what was read (413).
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "http/client.hpp"
#include "http/request_id.hpp"
#include "http/server.hpp"
#include "support/wait.hpp"
#include "util/counts_by_label.hpp"
#include "util/histogram.hpp"
#include "util/prometheus_text.hpp"

namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;
using sparks::http::Request;
using sparks::http::Response;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Histogram, CountsEachValueInTheFirstBucketAtOrAboveItAndCumulates) {
  sparks::util::Histogram histogram({0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 3.0, 42.0}) histogram.observe(v);
  const auto s = histogram.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 3, 4, 5}));  // ≤0.1, ≤1, ≤10, +Inf
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.sum, 45.65);
}

TEST(HistogramFamily, WritesBucketsSumAndCountPerLabelSetInPrometheusText) {
  sparks::util::HistogramFamily calls("sparks_platform_call_seconds", "Connector calls",
                                      {"platform", "call"}, {0.5, 2.5});
  EXPECT_EQ(calls.text(),
            "# HELP sparks_platform_call_seconds Connector calls\n"
            "# TYPE sparks_platform_call_seconds histogram\n");
  calls.observe({"tiktok", "send_dm"}, 0.25);
  calls.observe({"tiktok", "send_dm"}, 1.5);
  calls.observe({"tiktok_shop", "sync"}, 3);
  EXPECT_EQ(
      calls.text(),
      "# HELP sparks_platform_call_seconds Connector calls\n"
      "# TYPE sparks_platform_call_seconds histogram\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok\",call=\"send_dm\",le=\"0.5\"} 1\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok\",call=\"send_dm\",le=\"2.5\"} 2\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok\",call=\"send_dm\",le=\"+Inf\"} 2\n"
      "sparks_platform_call_seconds_sum{platform=\"tiktok\",call=\"send_dm\"} 1.75\n"
      "sparks_platform_call_seconds_count{platform=\"tiktok\",call=\"send_dm\"} 2\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok_shop\",call=\"sync\",le=\"0.5\"} 0\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok_shop\",call=\"sync\",le=\"2.5\"} 0\n"
      "sparks_platform_call_seconds_bucket{platform=\"tiktok_shop\",call=\"sync\",le=\"+Inf\"} 1\n"
      "sparks_platform_call_seconds_sum{platform=\"tiktok_shop\",call=\"sync\"} 3\n"
      "sparks_platform_call_seconds_count{platform=\"tiktok_shop\",call=\"sync\"} 1\n");
}

TEST(HistogramFamily, ObservesFromSeveralThreadsWithoutLosingACount) {
  sparks::util::HistogramFamily family("h", "help", {"platform"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&family, t] {
      for (int i = 0; i < 1000; ++i) family.observe({t % 2 ? "a" : "b"}, 0.001 * i);
    });
  for (auto& thread : threads) thread.join();
  const auto text = family.text();
  EXPECT_TRUE(contains(text, "h_count{platform=\"a\"} 2000\n")) << text;
  EXPECT_TRUE(contains(text, "h_count{platform=\"b\"} 2000\n")) << text;
}

TEST(PrometheusText, EscapesLabelValuesAndSpellsNumbersShortest) {
  EXPECT_EQ(sparks::util::escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(sparks::util::label_set({}), "");
  EXPECT_EQ(sparks::util::label_set({{"platform", "tiktok"}, {"state", "connected"}}),
            "{platform=\"tiktok\",state=\"connected\"}");
  EXPECT_EQ(sparks::util::number_text(0.005), "0.005");
  EXPECT_EQ(sparks::util::number_text(300), "300");
  EXPECT_EQ(sparks::util::number_text(1.0 / 0.0), "+Inf");
}

TEST(CountsByLabel, KeepsTheTotalAndEachLabelsCount) {
  sparks::util::CountsByLabel counts;
  counts.add("tiktok");
  counts.add("tiktok");
  counts.add("tiktok_shop", 3);
  EXPECT_EQ(counts.total(), 5u);
  EXPECT_EQ(counts.by_label().at("tiktok"), 2u);
  EXPECT_EQ(counts.by_label().at("tiktok_shop"), 3u);
}

TEST(RequestId, IsOneTo128PrintableCharactersWithoutSpaces) {
  using sparks::http::is_usable_request_id;
  EXPECT_TRUE(is_usable_request_id("a"));
  EXPECT_TRUE(is_usable_request_id("req-42_ABC:/+=~!"));
  EXPECT_TRUE(is_usable_request_id(std::string(128, 'x')));
  EXPECT_FALSE(is_usable_request_id(""));
  EXPECT_FALSE(is_usable_request_id(std::string(129, 'x')));
  EXPECT_FALSE(is_usable_request_id("two words"));
  EXPECT_FALSE(is_usable_request_id("tab\there"));
  EXPECT_FALSE(is_usable_request_id("caf\xc3\xa9"));  // not ASCII
  EXPECT_FALSE(is_usable_request_id("del\x7f"));
}

TEST(RequestId, ANewOneIs32HexDigitsAndDiffersEachTime) {
  const auto a = sparks::http::new_request_id();
  const auto b = sparks::http::new_request_id();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
  EXPECT_EQ(sparks::http::request_id_for(std::string("mine-1")), "mine-1");
  EXPECT_EQ(sparks::http::request_id_for(std::string("not mine")).size(), 32u);
  EXPECT_EQ(sparks::http::request_id_for(std::nullopt).size(), 32u);
}

// A server on an ephemeral port whose one route answers with the id its handler saw.
class RequestIdServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_->add_sync("GET", "/seen",
                      [](const Request& r) { return Response::text(200, r.request_id); });
    sparks::http::ServerOptions options;
    options.body_limit = 16;
    server_ = std::make_unique<sparks::http::Server>(io_.get_executor(), router_, options);
    server_->listen("127.0.0.1", 0);
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  sparks::http::ClientResponse fetch(std::string method, std::string path,
                                     sparks::http::Headers headers = {}, std::string body = {}) {
    sparks::http::ClientRequest request{std::move(method), server_->base_url() + path,
                                        std::move(headers), std::move(body), 5s};
    return sparks::testing::await_result<sparks::http::ClientResponse>(
        "the answer from " + request.url, [&](auto done) {
          sparks::http::send_request(io_.get_executor(), std::move(request), done);
        });
  }

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  std::shared_ptr<sparks::http::Router> router_ = std::make_shared<sparks::http::Router>();
  std::unique_ptr<sparks::http::Server> server_;
  std::thread thread_;
};

TEST_F(RequestIdServerTest, EchoesAUsableIdAndGivesItToTheHandler) {
  auto r = fetch("GET", "/seen", {{"X-Request-Id", "trace-7f3a"}});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.headers["X-Request-Id"], "trace-7f3a");
  EXPECT_EQ(r.body, "trace-7f3a");
}

TEST_F(RequestIdServerTest, MakesANewIdWhenNoneOrAnUnusableOneWasSent) {
  auto none = fetch("GET", "/seen");
  ASSERT_TRUE(none.ok()) << none.error;
  EXPECT_EQ(none.headers["X-Request-Id"].size(), 32u);
  EXPECT_EQ(none.body, none.headers["X-Request-Id"]);
  auto spaced = fetch("GET", "/seen", {{"X-Request-Id", "has a space"}});
  EXPECT_EQ(spaced.headers["X-Request-Id"].size(), 32u);
  EXPECT_NE(spaced.headers["X-Request-Id"], none.headers["X-Request-Id"]);
  auto long_one = fetch("GET", "/seen", {{"X-Request-Id", std::string(129, 'a')}});
  EXPECT_EQ(long_one.headers["X-Request-Id"].size(), 32u);
}

TEST_F(RequestIdServerTest, NotFoundAndUnreadableRequestsCarryOneToo) {
  auto missing = fetch("GET", "/nowhere", {{"X-Request-Id", "lost-1"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers["X-Request-Id"], "lost-1");
  auto too_large = fetch("POST", "/seen", {{"X-Request-Id", "big-1"}}, std::string(1024, 'x'));
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(too_large.headers["X-Request-Id"], "big-1");
}

}  // namespace

// Pages of the API's listings, driven straight through a Router (no sockets): `limit` and
// `cursor` read from the query, every list answering `next_cursor`, a bad limit or a cursor the
// server did not make refused by name, and a flow's runs (docs/http-api.md, "Pages" and "A run").
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "api/routes.hpp"
#include "config/config.hpp"
#include "http/form.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::Role;
using sparks::http::Request;
using sparks::http::Response;

const std::string kKey = "ana-secret-key";
const std::string kWs = "/api/v1/workspaces/w1";

std::string flow_yaml(const std::string& id) {
  return "flow:\n  id: " + id + "\n  name: \"Flow " + id +
         "\"\n  trigger:\n    on: tiktok.comment\n  actions:\n    - tiktok.send_dm:\n"
         "        text: \"Hi\"\n";
}

class ApiPagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-api-paging-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    sparks::config::Config config;
    config.workspaces.push_back({"w1", "Workspace one", {{"ana", Role::owner, kKey}}});
    config_ = std::make_shared<const sparks::config::Config>(config);
    sparks::EngineOptions options;
    options.database = folder_ / "sparks.db";
    options.key_file = folder_ / "secret.key";
    options.plugin_dir = std::string(SPARKS_BINARY_DIR) + "/plugins";
    options.public_url = "http://127.0.0.1:9";  // nothing is fetched: no platform is reached
    options.platform_config["tiktok"] =
        sparks::config::plugin_config(config_->tiktok, "tiktok", "http://127.0.0.1:9");
    options.platform_config["tiktok_shop"] =
        sparks::config::plugin_config(config_->tiktok_shop, "tiktok_shop", "http://127.0.0.1:9");
    engine_ = std::make_shared<sparks::Engine>(io_.get_executor(), options);
    sparks::api::mount_api(router_, io_.get_executor(), engine_, config_);
  }

  void TearDown() override {
    engine_->stop();
    engine_.reset();
    io_.restart();
    io_.run_for(100ms);
    fs::remove_all(folder_);
  }

  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& content_type = "") {
    Request request;
    request.method = method;
    request.target = target;
    const auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) {
      request.query_string = target.substr(question + 1);
      request.query =
          sparks::http::decode_form(request.query_string).value_or(sparks::http::Fields{});
    }
    request.headers["Authorization"] = "Bearer " + kKey;
    if (!content_type.empty()) request.headers["Content-Type"] = content_type;
    request.body = body;
    auto answered = std::make_shared<std::pair<std::mutex, std::optional<Response>>>();
    router_.dispatch(std::move(request), sparks::http::Responder([answered](Response r) {
                       std::lock_guard lock(answered->first);
                       answered->second = std::move(r);
                     }));
    sparks::testing::run_until(io_, "the answer to " + method + " " + target, [&] {
      std::lock_guard lock(answered->first);
      return answered->second.has_value();
    });
    std::lock_guard lock(answered->first);
    return *answered->second;
  }

  static json::value body(const Response& response) {
    boost::system::error_code ec;
    auto parsed = json::parse(response.body, ec);
    return ec ? json::value(nullptr) : parsed;
  }

  static std::string error_code(const Response& response) {
    const auto parsed = body(response);
    if (!parsed.is_object() || !parsed.get_object().contains("error")) return "(none)";
    return std::string(parsed.at("error").at("code").as_string());
  }

  void create_flows(int count) {
    for (int i = 0; i < count; ++i) {
      auto r = call("POST", kWs + "/flows", flow_yaml("f" + std::to_string(i)), "application/yaml");
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  boost::asio::io_context io_;
  fs::path folder_;
  std::shared_ptr<const sparks::config::Config> config_;
  std::shared_ptr<sparks::Engine> engine_;
  sparks::http::Router router_;
};

TEST_F(ApiPagingTest, EveryListAnswersANextCursorNullOnItsLastPage) {
  for (const char* list : {"flows", "contacts", "inbox", "orders", "audit", "analytics"}) {
    auto r = call("GET", kWs + "/" + list);
    ASSERT_EQ(r.status, 200) << list << ": " << r.body;
    ASSERT_TRUE(body(r).as_object().contains("next_cursor")) << list;
    EXPECT_TRUE(body(r).at("next_cursor").is_null()) << list;
  }
}

TEST_F(ApiPagingTest, FlowsComeAPageAtATimeInIdOrderUntilTheCursorIsNull) {
  create_flows(5);
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto r = call("GET", kWs + "/flows?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto page = body(r);
    EXPECT_LE(page.at("flows").as_array().size(), 2u);
    for (const auto& f : page.at("flows").as_array()) seen.emplace_back(f.at("id").as_string());
    if (page.at("next_cursor").is_null()) break;
    cursor = std::string(page.at("next_cursor").as_string());
    for (char c : cursor)
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
          << "a cursor is URL-safe: " << cursor;
  }
  EXPECT_EQ(pages, 2) << "three pages: 2, 2, 1";
  EXPECT_EQ(seen, (std::vector<std::string>{"f0", "f1", "f2", "f3", "f4"}));
}

TEST_F(ApiPagingTest, ABadLimitIsRefusedByName) {
  for (const char* limit : {"0", "201", "abc", "-1", "", "10x"}) {
    auto r = call("GET", kWs + "/contacts?limit=" + std::string(limit));
    EXPECT_EQ(r.status, 400) << limit;
    EXPECT_EQ(error_code(r), "invalid_limit") << limit;
  }
  EXPECT_EQ(call("GET", kWs + "/contacts?limit=200").status, 200);
  EXPECT_EQ(call("GET", kWs + "/contacts?limit=1").status, 200);
}

TEST_F(ApiPagingTest, ACursorTheServerDidNotMakeForThatListIsRefused) {
  create_flows(3);
  const auto first = body(call("GET", kWs + "/flows?limit=1"));
  const std::string flows_cursor(first.at("next_cursor").as_string());
  for (const std::string& cursor : {std::string("garbage"), std::string("v1.!!"),
                                    std::string("v1.") + "W10", flows_cursor.substr(0, 5)}) {
    auto r = call("GET", kWs + "/flows?cursor=" + cursor);
    EXPECT_EQ(r.status, 400) << cursor;
    EXPECT_EQ(error_code(r), "invalid_cursor") << cursor;
  }
  auto elsewhere = call("GET", kWs + "/orders?cursor=" + flows_cursor);
  EXPECT_EQ(elsewhere.status, 400) << "a flows cursor does not page the orders";
  EXPECT_EQ(error_code(elsewhere), "invalid_cursor");
}

TEST_F(ApiPagingTest, AFlowsRunsArePagedAndAnUnknownFlowIsNotFound) {
  create_flows(1);
  auto runs = call("GET", kWs + "/flows/f0/runs?limit=5");
  ASSERT_EQ(runs.status, 200) << runs.body;
  EXPECT_TRUE(body(runs).at("runs").as_array().empty());
  EXPECT_TRUE(body(runs).at("next_cursor").is_null());
  auto unknown = call("GET", kWs + "/flows/nope/runs");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_code(unknown), "flow_not_found");
  EXPECT_EQ(error_code(call("GET", kWs + "/flows/f0/runs?limit=0")), "invalid_limit");
}

TEST_F(ApiPagingTest, TheAuditLogPagesNewestFirstWithoutRepeats) {
  create_flows(1);
  // Every attempt is audited, whatever its answer.
  for (int i = 0; i < 7; ++i) call("POST", kWs + "/flows/f0/" + (i % 2 ? "pause" : "publish"));
  std::vector<std::string> all;
  const auto everything = body(call("GET", kWs + "/audit?limit=200"));
  for (const auto& e : everything.at("entries").as_array()) all.push_back(json::serialize(e));
  ASSERT_GE(all.size(), 6u);
  std::vector<std::string> paged;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    const auto page =
        body(call("GET", kWs + "/audit?limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    for (const auto& e : page.at("entries").as_array()) paged.push_back(json::serialize(e));
    if (page.at("next_cursor").is_null()) break;
    cursor = std::string(page.at("next_cursor").as_string());
  }
  EXPECT_EQ(paged, all);
}

TEST_F(ApiPagingTest, ADryRunOfADraftSaysWhatWouldHappenAndStoresNothing) {
  create_flows(1);
  const std::string sample =
      R"({"trigger":"tiktok.comment","payload":{"user":"fan","text":"hello","video_id":"v1"}})";
  auto r = call("POST", kWs + "/flows/f0/test", sample, "application/json");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = body(r);
  EXPECT_EQ(answer.at("trigger"), "tiktok.comment");
  EXPECT_EQ(answer.at("sent"), false);
  EXPECT_EQ(answer.at("stored"), false);
  EXPECT_TRUE(answer.at("matches").is_bool());
  EXPECT_TRUE(answer.at("steps").is_array());
  EXPECT_TRUE(body(call("GET", kWs + "/flows/f0/runs")).at("runs").as_array().empty())
      << "a dry run leaves no run behind";

  for (const std::string& bad :
       {std::string("{}"), std::string(R"({"trigger":"nope.never"})"), std::string("not json"),
        std::string(R"({"trigger":"tiktok.comment","payload":3})")}) {
    auto refused = call("POST", kWs + "/flows/f0/test", bad, "application/json");
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(error_code(refused), "invalid_sample") << bad;
  }
  EXPECT_EQ(error_code(call("POST", kWs + "/flows/nope/test", sample, "application/json")),
            "flow_not_found");
}

}  // namespace

// The HTTP API's own layer, driven straight through a Router (no sockets): who the API key names,
// what a missing, foreign or unknown key gets, the YAML content type of flows, how engine errors
// become statuses, and the routes without a key (health, metrics, OAuth callback, webhooks). The
// engine behind them is the real one, on a temporary database, with the built connectors.
#include "api/routes.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "api/auth.hpp"
#include "config/config.hpp"
#include "http/form.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"
#include "support/openapi_validator.hpp"
#include "support/wait.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::Actor;
using sparks::Error;
using sparks::ErrorKind;
using sparks::Role;
using sparks::http::Request;
using sparks::http::Response;

sparks::config::Config test_config() {
  sparks::config::Config config;
  config.workspaces.push_back({"w1",
                               "Workspace one",
                               {{"ana", Role::owner, "ana-secret-key"},
                                {"ben", Role::member, "ben-secret-key"},
                                {"cleo", Role::admin, "cleo-secret-key"}}});
  config.workspaces.push_back({"w2", "Workspace two", {{"zed", Role::owner, "zed-secret-key"}}});
  return config;
}

const std::string kFlowYaml = R"(flow:
  id: question-dm
  name: "A question in the comments → DM"
  trigger:
    on: tiktok.comment
    question: true
  actions:
    - tiktok.send_dm:
        text: "Hi {{contact.username}}, thanks for asking!"
)";

class ApiRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("sparks-api-routes-" + std::to_string(getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    config_ = std::make_shared<const sparks::config::Config>(test_config());

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

  // One request through the router, the io_context run until it is answered.
  Response call(const std::string& method, const std::string& target,
                const std::string& api_key = "", const std::string& body = "",
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
    if (!api_key.empty()) request.headers["Authorization"] = "Bearer " + api_key;
    if (!content_type.empty()) request.headers["Content-Type"] = content_type;
    request.body = body;

    auto answered = std::make_shared<std::pair<std::mutex, std::optional<Response>>>();
    router_.dispatch(std::move(request), sparks::http::Responder([answered](Response r) {
                       std::lock_guard lock(answered->first);
                       answered->second = std::move(r);
                     }));
    auto done = [&] {
      std::lock_guard lock(answered->first);
      return answered->second.has_value();
    };
    sparks::testing::run_until(io_, "the answer to " + method + " " + target, done);
    std::lock_guard lock(answered->first);
    // Every answer is checked against docs/openapi.yaml (its body as JSON, or as the text it is).
    boost::system::error_code ec;
    auto parsed = json::parse(answered->second->body, ec);
    if (ec) parsed = json::string(answered->second->body);
    sparks::testing::expect_documented_answer(method, target, answered->second->status, parsed);
    return *answered->second;
  }

  static json::value body(const Response& response) {
    boost::system::error_code ec;
    auto parsed = json::parse(response.body, ec);
    return ec ? json::value(nullptr) : parsed;
  }

  static std::string error_code(const Response& response) {
    const auto parsed = body(response);
    const auto* error = parsed.is_object() ? parsed.get_object().if_contains("error") : nullptr;
    if (!error || !error->is_object() || !error->get_object().contains("code")) return "(none)";
    return std::string(error->at("code").as_string());
  }

  static std::string error_message(const Response& response) {
    const auto parsed = body(response);
    return parsed.is_object() && parsed.get_object().contains("error")
               ? std::string(parsed.at("error").at("message").as_string())
               : std::string();
  }

  boost::asio::io_context io_;
  fs::path folder_;
  std::shared_ptr<const sparks::config::Config> config_;
  std::shared_ptr<sparks::Engine> engine_;
  sparks::http::Router router_;
};

TEST_F(ApiRoutesTest, HealthzAnswersWithoutAKey) {
  auto r = call("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body(r), (json::value{{"status", "ok"}, {"store", "ok"}, {"writer", "ok"}}));
}

TEST_F(ApiRoutesTest, MetricsAreEngineCountersAndRequestsByRouteAndStatus) {
  call("GET", "/healthz");
  call("GET", "/api/v1/workspaces/w1/integrations");
  auto r = call("GET", "/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.headers["Content-Type"].starts_with("text/plain; version=0.0.4"))
      << r.headers["Content-Type"];
  EXPECT_NE(r.body.find("# TYPE sparks_http_requests_total counter"), std::string::npos);
  EXPECT_NE(r.body.find("sparks_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("sparks_http_requests_total{route=\"/api/v1/workspaces/{ws}/"
                        "integrations\",status=\"401\"} 1\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("sparks_lifecycle_transitions_total"), std::string::npos)
      << "the engine's own counters come first";
}

TEST_F(ApiRoutesTest, AMissingOrUnknownKeyIsUnauthorized) {
  const std::string url = "/api/v1/workspaces/w1/integrations";
  auto missing = call("GET", url);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(error_code(missing), "unauthorized");
  EXPECT_NE(error_message(missing).find("Authorization: Bearer"), std::string::npos);

  auto unknown = call("GET", url, "not-a-configured-key");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(error_code(unknown), "unauthorized");
  EXPECT_EQ(unknown.body.find("not-a-configured-key"), std::string::npos)
      << "a presented key is never repeated back";

  Request basic;
  basic.method = "GET";
  basic.path = url;
  basic.headers["Authorization"] = "Basic YW5hOmFuYS1zZWNyZXQta2V5";
  std::optional<Response> answered;
  router_.dispatch(basic, sparks::http::Responder([&](Response r) { answered = std::move(r); }));
  ASSERT_TRUE(answered) << "refused at once, before the engine is asked";
  EXPECT_EQ(answered->status, 401);
}

TEST_F(ApiRoutesTest, AnotherWorkspacesKeyIsForbidden) {
  auto r = call("GET", "/api/v1/workspaces/w1/integrations", "zed-secret-key");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_code(r), "wrong_workspace");
}

TEST_F(ApiRoutesTest, AnUnknownWorkspaceIsNotFound) {
  auto r = call("GET", "/api/v1/workspaces/nowhere/integrations", "ana-secret-key");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code(r), "workspace_not_found");
}

TEST_F(ApiRoutesTest, AMemberSeesTheCards) {
  auto r = call("GET", "/api/v1/workspaces/w1/integrations", "ben-secret-key");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto parsed = body(r);
  const auto& cards = parsed.at("integrations").as_array();
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].at("platform"), "tiktok");
  EXPECT_EQ(cards[0].at("state"), "disconnected");
  EXPECT_EQ(cards[1].at("platform"), "tiktok_shop");
}

TEST_F(ApiRoutesTest, AnUnknownPlatformIsNotFound) {
  auto r = call("POST", "/api/v1/workspaces/w1/integrations/myspace/connect", "ana-secret-key");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_code(r), "unknown_platform");
}

TEST_F(ApiRoutesTest, TheEngineDecidesWhoMayConnectAndTheRouteCarriesTheActor) {
  auto member = call("POST", "/api/v1/workspaces/w1/integrations/tiktok/connect", "ben-secret-key");
  EXPECT_EQ(member.status, 403);
  EXPECT_EQ(error_code(member), "not_owner");
  EXPECT_NE(error_message(member).find("ben"), std::string::npos) << error_message(member);

  auto admin = call("POST", "/api/v1/workspaces/w1/integrations/tiktok/connect", "cleo-secret-key");
  EXPECT_EQ(admin.status, 403) << "admins are not owners";

  auto owner = call("POST", "/api/v1/workspaces/w1/integrations/tiktok/connect", "ana-secret-key");
  ASSERT_EQ(owner.status, 200) << owner.body;
  EXPECT_TRUE(std::string(body(owner).at("authorize_url").as_string())
                  .starts_with("http://127.0.0.1:9/v2/auth/authorize/"));

  // Disconnecting what is not connected is the engine's to judge; the route only carries it.
  auto member_disconnect =
      call("POST", "/api/v1/workspaces/w1/integrations/tiktok/disconnect", "ben-secret-key");
  EXPECT_EQ(member_disconnect.status, 403);
  EXPECT_EQ(error_code(member_disconnect), "not_owner");

  auto audit = call("GET", "/api/v1/workspaces/w1/audit", "ben-secret-key");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_FALSE(body(audit).at("entries").as_array().empty());
}

TEST_F(ApiRoutesTest, FlowsTakeYamlAndRefuseOtherContentTypesByName) {
  const std::string flows = "/api/v1/workspaces/w1/flows";
  auto as_json = call("POST", flows, "ana-secret-key", kFlowYaml, "application/json");
  EXPECT_EQ(as_json.status, 400);
  EXPECT_EQ(error_code(as_json), "unsupported_content_type");
  EXPECT_NE(error_message(as_json).find("'application/json'"), std::string::npos)
      << error_message(as_json);
  EXPECT_NE(error_message(as_json).find("application/yaml"), std::string::npos);

  auto untyped = call("POST", flows, "ana-secret-key", kFlowYaml);
  EXPECT_EQ(untyped.status, 400);
  EXPECT_NE(error_message(untyped).find("no Content-Type"), std::string::npos);

  auto created = call("POST", flows, "ana-secret-key", kFlowYaml, "Text/YAML; charset=utf-8");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(body(created).at("id"), "question-dm");
  EXPECT_EQ(body(created).at("status"), "draft");

  auto updated =
      call("PUT", flows + "/question-dm", "ana-secret-key", kFlowYaml, "application/x-yaml");
  EXPECT_EQ(updated.status, 200) << updated.body;
  auto put_json = call("PUT", flows + "/question-dm", "ana-secret-key", "{}", "application/json");
  EXPECT_EQ(put_json.status, 400);

  auto bad = call("POST", flows, "ana-secret-key", "flow: [", "application/yaml");
  EXPECT_EQ(bad.status, 400) << "a flow that does not check is invalid input";

  EXPECT_EQ(call("GET", flows + "/question-dm", "ben-secret-key").status, 200);
  EXPECT_EQ(call("GET", flows + "/nothing-here", "ben-secret-key").status, 404);
  auto listing = call("GET", flows, "ben-secret-key");
  ASSERT_EQ(listing.status, 200);
  EXPECT_EQ(body(listing).at("flows").as_array().size(), 1u);

  // Publishing, pausing, resuming and deleting change what runs: a member may not, and each
  // attempt is in the audit log with its outcome.
  for (const auto& [method, path] :
       {std::pair<const char*, const char*>{"POST", "/question-dm/publish"},
        {"POST", "/question-dm/pause"},
        {"POST", "/question-dm/resume"},
        {"DELETE", "/question-dm"}}) {
    auto member = call(method, flows + path, "ben-secret-key");
    EXPECT_EQ(member.status, 403) << path;
    EXPECT_EQ(error_code(member), "not_allowed") << path;
  }
  EXPECT_EQ(call("POST", flows + "/question-dm/publish", "ana-secret-key").status, 200);
  EXPECT_EQ(call("POST", flows + "/question-dm/publish", "ana-secret-key").status, 409)
      << "publishing a live flow";
  const auto audit = std::string(call("GET", "/api/v1/workspaces/w1/audit", "ana-secret-key").body);
  EXPECT_NE(audit.find("\"not_allowed\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"publish\""), std::string::npos) << audit;
  auto paused = call("POST", flows + "/question-dm/pause", "ana-secret-key");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(body(paused).at("paused_by"), "person");
  EXPECT_EQ(call("POST", flows + "/question-dm/resume", "ana-secret-key").status, 200);
  EXPECT_EQ(call("DELETE", flows + "/question-dm", "ana-secret-key").status, 200);
}

TEST_F(ApiRoutesTest, AFlowNestedTooDeeplyIsRefusedWithWhereBeforeItIsParsed) {
  const std::string flows = "/api/v1/workspaces/w1/flows";
  const std::string deep = "flow:\n  id: deep\n  steps: " + std::string(900 * 1024, '[') + "\n";
  const std::string refusal = "<request body>:3:72: error: nesting deeper than 64 levels";
  for (const auto& [method, target] :
       {std::pair<std::string, std::string>{"POST", flows}, {"PUT", flows + "/deep"}}) {
    auto refused = call(method, target, "ana-secret-key", deep, "application/yaml");
    EXPECT_EQ(refused.status, 400) << method;
    EXPECT_EQ(error_code(refused), "invalid_flow") << method;
    EXPECT_NE(error_message(refused).find(refusal), std::string::npos) << error_message(refused);
  }
}

TEST_F(ApiRoutesTest, WhatWasKeptIsListed) {
  for (const auto& [path, field] : {std::pair<const char*, const char*>{"contacts", "contacts"},
                                    {"inbox", "conversations"},
                                    {"orders", "orders"},
                                    {"analytics", "flows"}}) {
    auto r = call("GET", std::string("/api/v1/workspaces/w1/") + path, "ben-secret-key");
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_TRUE(body(r).at(field).is_array()) << path << ": " << r.body;
    EXPECT_EQ(call("GET", std::string("/api/v1/workspaces/w1/") + path).status, 401) << path;
  }
}

TEST_F(ApiRoutesTest, ClosingAWorkspaceWantsItsOwnerAndItsIdRepeated) {
  const std::string ws = "/api/v1/workspaces/w1";
  auto member = call("DELETE", ws, "ben-secret-key", R"({"confirm":"w1"})", "application/json");
  EXPECT_EQ(member.status, 403);
  EXPECT_EQ(error_code(member), "not_owner");

  auto unconfirmed = call("DELETE", ws, "ana-secret-key", R"({"confirm":"w2"})");
  EXPECT_EQ(unconfirmed.status, 400);
  EXPECT_EQ(error_code(unconfirmed), "confirmation_required");
  EXPECT_EQ(call("DELETE", ws, "ana-secret-key", "not json").status, 400);

  auto closed = call("DELETE", ws, "ana-secret-key", R"({"confirm":"w1"})", "application/json");
  EXPECT_EQ(closed.status, 200) << closed.body;
}

TEST_F(ApiRoutesTest, PlatformRoutesTakeNoKeyAndProveThemselves) {
  auto forged = call("GET", "/oauth/tiktok/callback?code=c&scopes=user.info.basic&state=forged");
  EXPECT_EQ(forged.status, 400) << forged.body;
  EXPECT_EQ(error_code(forged), "invalid_state");

  auto unsigned_hook =
      call("POST", "/webhooks/tiktok", "", R"({"event":"comment.update"})", "application/json");
  EXPECT_EQ(unsigned_hook.status, 401) << unsigned_hook.body;

  auto elsewhere = call("POST", "/webhooks/myspace", "", "{}", "application/json");
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
}

TEST(ApiErrors, EachKindHasItsStatusAndTheErrorShape) {
  using sparks::api::status_of;
  EXPECT_EQ(status_of(ErrorKind::invalid), 400);
  EXPECT_EQ(status_of(ErrorKind::unauthorized), 401);
  EXPECT_EQ(status_of(ErrorKind::forbidden), 403);
  EXPECT_EQ(status_of(ErrorKind::not_found), 404);
  EXPECT_EQ(status_of(ErrorKind::conflict), 409);
  EXPECT_EQ(status_of(ErrorKind::unavailable), 502);
  EXPECT_EQ(status_of(ErrorKind::internal), 500);

  auto r = sparks::api::error_response(Error{ErrorKind::conflict, "invalid_state", "not now"});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json::parse(r.body),
            (json::value{{"error", {{"code", "invalid_state"}, {"message", "not now"}}}}));
}

TEST(ApiContentType, TheThreeYamlTypesWithParametersInAnyCase) {
  using sparks::api::is_yaml_content_type;
  EXPECT_TRUE(is_yaml_content_type("application/yaml"));
  EXPECT_TRUE(is_yaml_content_type("text/yaml"));
  EXPECT_TRUE(is_yaml_content_type("application/x-yaml"));
  EXPECT_TRUE(is_yaml_content_type("Application/YAML ; charset=utf-8"));
  EXPECT_FALSE(is_yaml_content_type("application/json"));
  EXPECT_FALSE(is_yaml_content_type("text/plain"));
  EXPECT_FALSE(is_yaml_content_type(""));
  EXPECT_FALSE(is_yaml_content_type("application/yaml-ish"));
}

TEST(ApiAuth, BearerTokens) {
  using sparks::api::bearer_token;
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc  "), "abc");
  EXPECT_EQ(bearer_token("BEARER\tabc"), "abc");
  EXPECT_FALSE(bearer_token("Bearer"));
  EXPECT_FALSE(bearer_token("Bearer   "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token("Basic abc"));
  EXPECT_FALSE(bearer_token(""));
}

TEST(ApiAuth, AKeyNamesItsMemberWithTheirRole) {
  const sparks::api::MemberKeys keys(test_config());
  auto ana = keys.authenticate("Bearer ana-secret-key", "w1");
  ASSERT_TRUE(std::holds_alternative<Actor>(ana));
  EXPECT_EQ(std::get<Actor>(ana).id, "ana");
  EXPECT_EQ(std::get<Actor>(ana).role, Role::owner);
  auto cleo = keys.authenticate("Bearer cleo-secret-key", "w1");
  ASSERT_TRUE(std::holds_alternative<Actor>(cleo));
  EXPECT_EQ(std::get<Actor>(cleo).role, Role::admin);

  auto kind = [&](std::optional<std::string_view> header, std::string_view ws) {
    auto result = keys.authenticate(header, ws);
    return std::holds_alternative<Error>(result) ? std::get<Error>(result).kind
                                                 : ErrorKind::internal;
  };
  EXPECT_EQ(kind(std::nullopt, "w1"), ErrorKind::unauthorized);
  EXPECT_EQ(kind("Bearer ana-secret-ke", "w1"), ErrorKind::unauthorized) << "a prefix is not a key";
  EXPECT_EQ(kind("Bearer ana-secret-key-and-more", "w1"), ErrorKind::unauthorized);
  EXPECT_EQ(kind("Bearer zed-secret-key", "w1"), ErrorKind::forbidden);
  EXPECT_EQ(kind("Bearer zed-secret-key", "w3"), ErrorKind::not_found);
  EXPECT_EQ(kind(std::nullopt, "w3"), ErrorKind::unauthorized)
      << "without a key, nothing is said about which workspaces exist";
}

// docs/openapi.yaml and the router agree: every route is in the document, every path of the
// document is a route, method by method.
TEST_F(ApiRoutesTest, EveryRouteIsInTheOpenApiDocumentAndEveryOperationIsARoute) {
  std::set<std::pair<std::string, std::string>> routes;
  for (const auto& route : router_.routes()) routes.insert({route.method, route.pattern});
  const auto listed = sparks::testing::OpenApiDocument::shipped().operations();
  const std::set<std::pair<std::string, std::string>> documented(listed.begin(), listed.end());
  for (const auto& [method, pattern] : routes)
    EXPECT_TRUE(documented.contains({method, pattern}))
        << method << " " << pattern << " is a route but not in docs/openapi.yaml";
  for (const auto& [method, pattern] : documented)
    EXPECT_TRUE(routes.contains({method, pattern}))
        << method << " " << pattern << " is in docs/openapi.yaml but not a route";
}

TEST_F(ApiRoutesTest, ServesTheOpenApiDocumentWithoutAKey) {
  auto r = call("GET", "/api/v1/openapi.yaml");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["Content-Type"], "application/yaml");
  std::ifstream file(std::string(SPARKS_SOURCE_DIR) + "/docs/openapi.yaml");
  std::ostringstream text;
  text << file.rdbuf();
  EXPECT_EQ(r.body, text.str()) << "the document built in is docs/openapi.yaml";
  EXPECT_EQ(YAML::Load(r.body)["openapi"].as<std::string>(), "3.0.3");
}

// The checker itself: a wrong shape, an unlisted status and an unlisted method are reported; a
// null where the document says `nullable` and a path outside the document are not.
TEST(OpenApiValidator, ReportsWhatTheDocumentDoesNotDescribe) {
  const auto& document = sparks::testing::OpenApiDocument::shipped();
  const std::string flows = "/api/v1/workspaces/w1/flows";
  EXPECT_EQ(document.problem("GET", flows, 200, {{"flows", json::array()}}), std::nullopt);
  EXPECT_NE(document.problem("GET", flows, 200, {{"flows", 3}}), std::nullopt);
  EXPECT_NE(document.problem("GET", flows, 200, {{"flow", json::array()}}), std::nullopt);
  EXPECT_NE(document.problem("GET", flows, 418, {{"flows", json::array()}}), std::nullopt);
  EXPECT_NE(document.problem("PATCH", flows, 200, json::object()), std::nullopt);
  const json::value error{{"error", {{"code", "flow_not_found"}, {"message", "no flow"}}}};
  EXPECT_EQ(document.problem("GET", flows + "/x", 404, error), std::nullopt);
  EXPECT_NE(document.problem("GET", flows + "/x", 404, {{"error", "flow_not_found"}}),
            std::nullopt);
  const json::value entry{{"at", "2026-01-02T03:04:05Z"}, {"actor", "ana"},  {"action", "connect"},
                          {"platform", nullptr},          {"outcome", "ok"}, {"detail", nullptr}};
  EXPECT_EQ(document.problem("GET", "/api/v1/workspaces/w1/audit", 200,
                             {{"entries", json::array{entry}}, {"next_cursor", nullptr}}),
            std::nullopt);
  EXPECT_NE(document.problem("GET", "/api/v1/workspaces/w1/audit", 200,
                             {{"entries", json::array{entry}}, {"next_cursor", 7}}),
            std::nullopt);
  EXPECT_EQ(document.problem("GET", "/sandbox/v1/accounts", 200, json::object()), std::nullopt);
}

}  // namespace

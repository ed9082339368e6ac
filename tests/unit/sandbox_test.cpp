// The sandbox over real HTTP on 127.0.0.1: TikTok OAuth and Business API, TikTok Shop tokens and
// signed calls, the control API, faults, and signed webhooks received by a small server here.
// Signatures are checked with OpenSSL directly, not with the code under test.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "http/client.hpp"
#include "http/form.hpp"
#include "http/server.hpp"
#include "sandbox/sandbox.hpp"
#include "support/child_process.hpp"
#include "support/loopback_sandbox.hpp"
#include "support/platform_test_helpers.hpp"
#include "support/wait.hpp"

namespace {

namespace net = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using sparks::http::ClientResponse;
using sparks::http::Fields;
using sparks::http::Headers;

const std::vector<std::string> kAllShopScopes = {"seller.authorization.info", "seller.order.info",
                                                 "seller.product.basic"};
const std::string kAllTikTokScopes = "user.info.basic,video.list,comment.list,message.list.send";

using sparks::testing::hmac_hex;
using sparks::testing::parse_object;
using sparks::testing::unix_now;

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    platform_ = std::make_unique<sparks::testing::LoopbackSandbox>(io_.get_executor());
    // Two threads, as a host may run: the sandbox's strand must keep its state consistent.
    for (auto& thread : threads_) thread = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    platform_->stop();
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }

  ClientResponse request(std::string method, std::string target, std::string body = {},
                         Headers headers = {}) {
    return sparks::testing::await_result<ClientResponse>(
        "the sandbox's answer to " + method + " " + target, [&](auto done) {
          sparks::http::send_request(io_.get_executor(),
                                     {std::move(method), platform_->base_url() + target,
                                      std::move(headers), std::move(body)},
                                     done);
        });
  }

  ClientResponse post_form(const std::string& target, const Fields& fields) {
    return request("POST", target, sparks::http::encode_form(fields),
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  json::object post_json(const std::string& target, const json::value& body, int expected = 201) {
    auto r = request("POST", target, json::serialize(body), {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, expected) << target << ": " << r.body;
    return parse_object(r.body);
  }

  json::object get_json(const std::string& target, Headers headers = {}) {
    auto r = request("GET", target, {}, std::move(headers));
    return parse_object(r.body);
  }

  // The query of a redirect's Location.
  static Fields location_query(const ClientResponse& r) {
    auto location = r.headers.find("Location");
    if (location == r.headers.end()) return {};
    auto url = boost::urls::parse_absolute_uri(location->second);
    if (!url) return {};
    return sparks::http::decode_form(url->encoded_query()).value_or(Fields{});
  }

  // Approves the consent form for `account` with `scopes` ticked; returns the code.
  std::string authorize(const std::string& account, const std::vector<std::string>& scopes) {
    Fields form{{"client_key", "sandbox-client-key"},
                {"redirect_uri", kRedirect},
                {"state", "st-1"},
                {"account", account}};
    for (const auto& s : scopes) form.emplace_back("scope", s);
    auto r = post_form("/v2/auth/authorize/", form);
    EXPECT_EQ(r.status, 302) << r.body;
    return sparks::http::field(location_query(r), "code").value_or("");
  }

  json::object exchange(const std::string& code, const std::string& redirect = kRedirect) {
    auto r = post_form("/v2/oauth/token/", {{"client_key", "sandbox-client-key"},
                                            {"client_secret", "sandbox-client-secret"},
                                            {"code", code},
                                            {"grant_type", "authorization_code"},
                                            {"redirect_uri", redirect}});
    return parse_object(r.body);
  }

  std::string access_token(const std::string& account, const std::vector<std::string>& scopes) {
    auto tokens = exchange(authorize(account, scopes));
    return tokens.contains("access_token") ? std::string(tokens["access_token"].as_string()) : "";
  }

  json::object business(const std::string& method, const std::string& target,
                        const std::string& token, const json::value& body = nullptr) {
    auto r = request(method, target, body.is_null() ? "" : json::serialize(body),
                     {{"Access-Token", token}, {"Content-Type", "application/json"}});
    last_status_ = r.status;
    return parse_object(r.body);
  }

  json::object send_dm(const std::string& token, const std::string& recipient,
                       const std::string& text) {
    return business("POST", "/open_api/v1.3/business/message/send/", token,
                    {{"business_id", "biz-1"},
                     {"recipient_type", "CONVERSATION"},
                     {"recipient", recipient},
                     {"message_type", "TEXT"},
                     {"text", {{"body", text}}}});
  }

  // Shop: authorize + token/get; returns the token answer's data.
  json::object shop_tokens(const std::string& shop, const std::vector<std::string>& scopes) {
    Fields form{{"app_key", "sandbox-app-key"},
                {"redirect_uri", kRedirect},
                {"state", "shop-state"},
                {"account", shop}};
    for (const auto& s : scopes) form.emplace_back("scope", s);
    auto consent = post_form("/oauth/authorize", form);
    EXPECT_EQ(consent.status, 302);
    const auto code = sparks::http::field(location_query(consent), "code").value_or("");
    auto answer = get_json(
        "/api/v2/token/get?app_key=sandbox-app-key&app_secret=sandbox-app-secret"
        "&auth_code=" +
        code + "&grant_type=authorized_code");
    EXPECT_EQ(answer["code"], 0) << json::serialize(answer);
    return answer["data"].is_object() ? answer["data"].as_object() : json::object{};
  }

  // A signed Shop call, signed here independently of the sandbox's code.
  ClientResponse shop_call(const std::string& method, const std::string& path,
                           std::map<std::string, std::string> params, const std::string& token,
                           const std::string& body = {},
                           std::string secret = "sandbox-app-secret") {
    params.emplace("app_key", "sandbox-app-key");
    params.emplace("timestamp", std::to_string(unix_now()));
    std::string text = path;
    for (const auto& [k, v] : params) text += k + v;  // std::map: sorted by key
    if (method != "GET") text += body;
    Fields query(params.begin(), params.end());
    query.emplace_back("sign", hmac_hex(secret, secret + text + secret));
    return request(method, path + "?" + sparks::http::encode_form(query), body,
                   {{"x-tts-access-token", token}, {"Content-Type", "application/json"}});
  }

  static constexpr const char* kRedirect = "http://127.0.0.1:9/oauth/callback";

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<sparks::testing::LoopbackSandbox> platform_;
  std::thread threads_[2];
  int last_status_ = 0;
};

TEST_F(SandboxTest, ConsentPageIsAFormWithOneTickedCheckboxPerScope) {
  auto r = request("GET",
                   "/v2/auth/authorize/?client_key=sandbox-client-key&response_type=code&state=xyz"
                   "&scope=user.info.basic,comment.list,message.list.send&redirect_uri=" +
                       sparks::http::percent_encode(kRedirect));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<form method=\"post\" action=\"/v2/auth/authorize/\">"),
            std::string::npos);
  for (const char* scope : {"user.info.basic", "comment.list", "message.list.send"}) {
    EXPECT_NE(r.body.find(std::string("name=\"scope\" value=\"") + scope + "\" checked"),
              std::string::npos)
        << scope;
  }
  EXPECT_EQ(r.body.find("value=\"video.list\""), std::string::npos);  // not requested
  EXPECT_NE(r.body.find("<option value=\"creator\">"), std::string::npos);
  EXPECT_NE(r.body.find("<option value=\"personal\">"), std::string::npos);
  EXPECT_NE(r.body.find("name=\"state\" value=\"xyz\""), std::string::npos);
  EXPECT_NE(r.body.find(">Approve</button>"), std::string::npos);
  EXPECT_NE(r.body.find(">Deny</button>"), std::string::npos);

  EXPECT_EQ(request("GET",
                    "/v2/auth/authorize/?client_key=wrong&response_type=code&scope=a"
                    "&redirect_uri=http://x/")
                .status,
            400);
}

TEST_F(SandboxTest, FullOAuthExchangeWithPartialScopesRefreshAndRevoke) {
  // Two of the three requested boxes ticked, sent as one `scope` field per box.
  auto consent = post_form("/v2/auth/authorize/", {{"client_key", "sandbox-client-key"},
                                                   {"redirect_uri", kRedirect},
                                                   {"state", "st-42"},
                                                   {"account", "creator"},
                                                   {"scope", "user.info.basic"},
                                                   {"scope", "comment.list"}});
  ASSERT_EQ(consent.status, 302);
  EXPECT_TRUE(consent.headers["Location"].starts_with(kRedirect));
  auto query = location_query(consent);
  EXPECT_EQ(sparks::http::field(query, "scopes"), "user.info.basic,comment.list");
  EXPECT_EQ(sparks::http::field(query, "state"), "st-42");
  const auto code = sparks::http::field(query, "code").value_or("");
  ASSERT_FALSE(code.empty());

  auto tokens = exchange(code);
  EXPECT_EQ(tokens["open_id"], "open-creator");
  EXPECT_EQ(tokens["scope"], "user.info.basic,comment.list");
  EXPECT_EQ(tokens["expires_in"], 86400);
  EXPECT_EQ(tokens["refresh_expires_in"], 365 * 86400);
  EXPECT_EQ(tokens["token_type"], "Bearer");
  const std::string access = std::string(tokens["access_token"].as_string());
  const std::string refresh = std::string(tokens["refresh_token"].as_string());

  // A code works once.
  auto reused = exchange(code);
  EXPECT_EQ(reused["error"], "invalid_grant");
  EXPECT_TRUE(reused.contains("log_id"));

  // The redirect_uri must be the one used to authorize.
  EXPECT_EQ(
      exchange(authorize("creator", {"user.info.basic"}), "http://127.0.0.1:9/other")["error"],
      "invalid_grant");

  // Wrong secret.
  auto bad_client = post_form("/v2/oauth/token/", {{"client_key", "sandbox-client-key"},
                                                   {"client_secret", "nope"},
                                                   {"code", "x"},
                                                   {"grant_type", "authorization_code"},
                                                   {"redirect_uri", kRedirect}});
  EXPECT_EQ(bad_client.status, 401);

  // Refresh rotates the tokens; the old access token stops working.
  auto refreshed =
      parse_object(post_form("/v2/oauth/token/", {{"client_key", "sandbox-client-key"},
                                                  {"client_secret", "sandbox-client-secret"},
                                                  {"grant_type", "refresh_token"},
                                                  {"refresh_token", refresh}})
                       .body);
  ASSERT_TRUE(refreshed.contains("access_token")) << json::serialize(refreshed);
  const std::string new_access = std::string(refreshed["access_token"].as_string());
  EXPECT_NE(new_access, access);
  EXPECT_EQ(refreshed["scope"], "user.info.basic,comment.list");
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", access)["code"], 40105);
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", new_access)["code"], 0);

  // Revoke.
  auto revoked = post_form("/v2/oauth/revoke/", {{"client_key", "sandbox-client-key"},
                                                 {"client_secret", "sandbox-client-secret"},
                                                 {"token", new_access}});
  EXPECT_EQ(revoked.status, 200);
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", new_access)["code"], 40105);
}

TEST_F(SandboxTest, AuthorizationCodesExpireAfterTenMinutes) {
  const auto code = authorize("creator", {"user.info.basic"});
  post_json("/sandbox/v1/clock", {{"advance_seconds", 601}}, 200);
  auto answer = exchange(code);
  EXPECT_EQ(answer["error"], "invalid_grant");
  EXPECT_NE(std::string(answer["error_description"].as_string()).find("expired"),
            std::string::npos);
}

TEST_F(SandboxTest, DenyRedirectsWithAccessDenied) {
  auto r = post_form("/v2/auth/authorize/", {{"client_key", "sandbox-client-key"},
                                             {"redirect_uri", kRedirect},
                                             {"state", "s"},
                                             {"account", "creator"},
                                             {"scope", "user.info.basic"},
                                             {"decision", "deny"}});
  ASSERT_EQ(r.status, 302);
  auto query = location_query(r);
  EXPECT_EQ(sparks::http::field(query, "error"), "access_denied");
  EXPECT_TRUE(sparks::http::field(query, "error_description"));
  EXPECT_EQ(sparks::http::field(query, "state"), "s");
  EXPECT_FALSE(sparks::http::field(query, "code"));
}

TEST_F(SandboxTest, BusinessApiChecksScopes) {
  const auto token = access_token("creator", {"user.info.basic", "comment.list"});
  auto account = business("GET", "/open_api/v1.3/business/get/", token);
  EXPECT_EQ(account["code"], 0);
  EXPECT_EQ(account["message"], "OK");
  EXPECT_TRUE(account.contains("request_id"));
  auto& data = account["data"].as_object();
  EXPECT_EQ(data["is_business_account"], true);
  EXPECT_EQ(data["business_id"], "biz-1");
  EXPECT_EQ(data["open_id"], "open-creator");

  // No message.list.send: no DMs.
  post_json(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "price?"}});
  auto dm = send_dm(token, "fan-1", "hello");
  EXPECT_EQ(dm["code"], 40001);
  EXPECT_NE(std::string(dm["message"].as_string()).find("message.list.send"), std::string::npos);

  // No token, a bad token.
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", "")["code"], 40104);
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", "act.nope")["code"], 40105);

  // Without user.info.basic, business/get is refused.
  const auto comments_only = access_token("creator", {"comment.list"});
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", comments_only)["code"], 40001);

  // The personal account is not a business account.
  const auto personal = access_token("personal", {"user.info.basic"});
  auto pat = business("GET", "/open_api/v1.3/business/get/", personal);
  EXPECT_EQ(pat["code"], 0);
  EXPECT_EQ(pat["data"].as_object()["is_business_account"], false);
  EXPECT_TRUE(pat["data"].as_object()["business_id"].is_null());
}

TEST_F(SandboxTest, CommentListPagesWithCursor) {
  const auto token = access_token("creator", {"comment.list"});
  for (int i = 0; i < 5; ++i) {
    post_json("/sandbox/v1/comments", {{"account", "creator"},
                                       {"video_id", i < 3 ? "video-1" : "video-2"},
                                       {"user", "fan-" + std::to_string(i)},
                                       {"text", "comment " + std::to_string(i)}});
  }
  std::vector<std::string> seen;
  std::int64_t cursor = 0;
  for (int page = 0; page < 10; ++page) {  // bounded
    auto r =
        business("GET",
                 "/open_api/v1.3/business/comment/list/?business_id=biz-1&max_count=2&cursor=" +
                     std::to_string(cursor),
                 token);
    ASSERT_EQ(r["code"], 0) << json::serialize(r);
    auto& data = r["data"].as_object();
    for (auto& c : data["comments"].as_array()) {
      seen.emplace_back(c.as_object()["text"].as_string());
    }
    cursor = data["cursor"].as_int64();
    if (!data["has_more"].as_bool()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"comment 0", "comment 1", "comment 2", "comment 3",
                                            "comment 4"}));
  auto video_2 = business("GET", "/open_api/v1.3/business/comment/list/?video_id=video-2", token);
  EXPECT_EQ(video_2["data"].as_object()["comments"].as_array().size(), 2u);
}

TEST_F(SandboxTest, DirectMessagesFollowTheConversationRules) {
  const auto token = access_token("creator", {"user.info.basic", "message.list.send"});
  // Nobody wrote yet.
  EXPECT_EQ(send_dm(token, "fan-1", "hi")["code"], 40060);

  auto comment = post_json(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "price?"}});
  const std::string conversation =
      std::string(comment["comment"].as_object()["conversation_id"].as_string());
  for (int i = 0; i < 10; ++i) {
    auto sent = send_dm(token, i % 2 ? conversation : "fan-1", "msg " + std::to_string(i));
    ASSERT_EQ(sent["code"], 0) << json::serialize(sent);
    EXPECT_TRUE(sent["data"].as_object()["message"].as_object().contains("message_id"));
  }
  auto eleventh = send_dm(token, conversation, "one too many");
  EXPECT_EQ(eleventh["code"], 40062);

  // The user writes again: ten more are allowed.
  post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-1"}, {"text", "and?"}});
  EXPECT_EQ(send_dm(token, conversation, "answer")["code"], 0);

  // 48 hours after the user's last message the window is closed.
  post_json("/sandbox/v1/clock", {{"advance_seconds", 48 * 3600 + 1}}, 200);
  const auto fresh = access_token("creator", {"message.list.send"});  // the first one expired
  EXPECT_EQ(send_dm(fresh, conversation, "too late")["code"], 40061);

  auto sent = get_json("/sandbox/v1/sent-messages?account=creator");
  auto& messages = sent["messages"].as_array();
  ASSERT_EQ(messages.size(), 11u);
  auto& first = messages[0].as_object();
  EXPECT_EQ(first["recipient"], "fan-1");
  EXPECT_EQ(first["user"], "fan-1");
  EXPECT_EQ(first["text"], "msg 0");
  EXPECT_TRUE(first.contains("message_id"));
  EXPECT_TRUE(first.contains("sent_at"));
}

TEST_F(SandboxTest, AccessTokensExpireWhenTheClockMoves) {
  const auto token = access_token("creator", {"user.info.basic"});
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", token)["code"], 0);
  post_json("/sandbox/v1/clock", {{"advance_seconds", 86401}}, 200);
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", token)["code"], 40102);
}

TEST_F(SandboxTest, InjectedRateLimitThenSuccess) {
  const auto token = access_token("creator", {"message.list.send"});
  post_json("/sandbox/v1/comments",
            {{"account", "creator"}, {"video_id", "video-1"}, {"user", "fan-1"}, {"text", "hi"}});
  auto armed = post_json("/sandbox/v1/faults", {{"kind", "http_error"},
                                                {"path", "/open_api/v1.3/business/message/send/"},
                                                {"status", 429},
                                                {"count", 1}});
  EXPECT_EQ(armed["faults"].as_array().size(), 1u);
  auto limited = send_dm(token, "fan-1", "first try");
  EXPECT_EQ(last_status_, 429);
  EXPECT_EQ(limited["code"], 40100);
  auto ok = send_dm(token, "fan-1", "second try");
  EXPECT_EQ(last_status_, 200);
  EXPECT_EQ(ok["code"], 0);

  // A 5xx for the token endpoint, and a malformed fault refused.
  post_json("/sandbox/v1/faults",
            {{"kind", "http_error"}, {"path", "/v2/oauth/token/"}, {"status", 503}});
  EXPECT_EQ(post_form("/v2/oauth/token/", {}).status, 503);
  post_json("/sandbox/v1/faults", {{"kind", "http_error"}, {"path", "/x"}, {"status", 404}}, 400);
  post_json("/sandbox/v1/faults", {{"kind", "nonsense"}}, 400);
}

TEST_F(SandboxTest, SlowFaultDelaysTheAnswer) {
  post_json("/sandbox/v1/faults",
            {{"kind", "slow"}, {"path", "/sandbox/v1/accounts"}, {"delay_ms", 300}});
  const auto start = std::chrono::steady_clock::now();
  auto accounts = get_json("/sandbox/v1/accounts");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(accounts["accounts"].as_array().size(), 4u);
}

TEST_F(SandboxTest, RefreshRejectedFault) {
  auto tokens = exchange(authorize("creator", {"user.info.basic"}));
  post_json("/sandbox/v1/faults", {{"kind", "refresh_rejected"}, {"account", "creator"}});
  auto r = post_form("/v2/oauth/token/",
                     {{"client_key", "sandbox-client-key"},
                      {"client_secret", "sandbox-client-secret"},
                      {"grant_type", "refresh_token"},
                      {"refresh_token", std::string(tokens["refresh_token"].as_string())}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(parse_object(r.body)["error"], "invalid_grant");
}

TEST_F(SandboxTest, SeededAccountsAndProducts) {
  auto accounts = get_json("/sandbox/v1/accounts")["accounts"].as_array();
  std::map<std::string, json::object> by_id;
  for (auto& a : accounts) by_id[std::string(a.as_object().at("id").as_string())] = a.as_object();
  EXPECT_EQ(by_id["creator"]["type"], "business");
  EXPECT_EQ(by_id["creator"]["business_id"], "biz-1");
  EXPECT_EQ(by_id["personal"]["type"], "personal");
  EXPECT_EQ(by_id["shop"]["platform"], "tiktok_shop");
  EXPECT_EQ(by_id["shop"]["business_id"], "biz-1");
  EXPECT_EQ(by_id["other-shop"]["business_id"], "biz-2");
  auto products = get_json("/sandbox/v1/products?shop=shop")["products"].as_array();
  EXPECT_EQ(products.size(), 5u);
  EXPECT_EQ(
      products[0].as_object()["skus"].as_array()[0].as_object()["price"].as_object()["sale_price"],
      "39.99");
}

TEST_F(SandboxTest, ShopTokensGetAndRefresh) {
  auto consent = request("GET", "/oauth/authorize?app_key=sandbox-app-key&state=abc&redirect_uri=" +
                                    sparks::http::percent_encode(kRedirect));
  ASSERT_EQ(consent.status, 200);
  EXPECT_NE(consent.body.find("value=\"seller.order.info\" checked"), std::string::npos);
  EXPECT_NE(consent.body.find("value=\"seller.product.basic\" checked"), std::string::npos);
  EXPECT_NE(consent.body.find("<option value=\"other-shop\">"), std::string::npos);

  auto data = shop_tokens("shop", kAllShopScopes);
  EXPECT_EQ(data["seller_name"], "Creator Goods");
  EXPECT_EQ(data["granted_scopes"].as_array().size(), 3u);
  const auto expires = data["access_token_expire_in"].as_int64();
  EXPECT_NEAR(static_cast<double>(expires), static_cast<double>(unix_now() + 7 * 86400), 60.0);

  const std::string refresh = std::string(data["refresh_token"].as_string());
  auto refreshed = get_json(
      "/api/v2/token/refresh?app_key=sandbox-app-key&app_secret=sandbox-app-"
      "secret&grant_type=refresh_token&refresh_token=" +
      refresh);
  ASSERT_EQ(refreshed["code"], 0) << json::serialize(refreshed);
  EXPECT_NE(refreshed["data"].as_object()["access_token"], data["access_token"]);
  EXPECT_NE(refreshed["data"].as_object()["refresh_token"], data["refresh_token"]);
  // The old refresh token was rotated away.
  auto again = get_json(
      "/api/v2/token/refresh?app_key=sandbox-app-key&app_secret=sandbox-app-"
      "secret&grant_type=refresh_token&refresh_token=" +
      refresh);
  EXPECT_NE(again["code"], 0);
}

TEST_F(SandboxTest, ShopSignedCallsProductsAndOrders) {
  auto data = shop_tokens("shop", kAllShopScopes);
  const std::string token = std::string(data["access_token"].as_string());

  auto shops = shop_call("GET", "/authorization/202309/shops", {}, token);
  ASSERT_EQ(shops.status, 200) << shops.body;
  auto shop = parse_object(shops.body)["data"].as_object()["shops"].as_array()[0].as_object();
  const std::string cipher = std::string(shop["cipher"].as_string());

  // A wrong signature, and a stale timestamp.
  auto forged = shop_call("GET", "/authorization/202309/shops", {}, token, {}, "wrong-secret");
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(parse_object(forged.body)["code"], 106001);
  auto stale = shop_call("GET", "/authorization/202309/shops",
                         {{"timestamp", std::to_string(unix_now() - 600)}}, token);
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(parse_object(stale.body)["code"], 36009004);

  // Products, two per page.
  std::vector<std::string> ids;
  std::string page_token;
  int pages = 0;
  for (; pages < 10; ++pages) {  // bounded
    std::map<std::string, std::string> params{{"shop_cipher", cipher}, {"page_size", "2"}};
    if (!page_token.empty()) params["page_token"] = page_token;
    auto r = shop_call("POST", "/product/202309/products/search", params, token, "{}");
    ASSERT_EQ(r.status, 200) << r.body;
    auto d = parse_object(r.body)["data"].as_object();
    EXPECT_EQ(d["total_count"], 5);
    for (auto& p : d["products"].as_array()) ids.emplace_back(p.as_object()["id"].as_string());
    page_token = std::string(d["next_page_token"].as_string());
    if (page_token.empty()) break;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(ids.size(), 5u);

  // An order made through the control API, read back by id.
  auto made = post_json("/sandbox/v1/orders",
                        {{"shop", "shop"},
                         {"buyer", "fan-1"},
                         {"items", json::array{{{"sku_id", "sku-1002"}, {"quantity", 2}},
                                               {{"sku_id", "sku-1004"}, {"quantity", 1}}}}});
  const std::string order_id = std::string(made["order"].as_object()["id"].as_string());
  auto orders =
      shop_call("GET", "/order/202309/orders", {{"shop_cipher", cipher}, {"ids", order_id}}, token);
  ASSERT_EQ(orders.status, 200) << orders.body;
  auto order = parse_object(orders.body)["data"].as_object()["orders"].as_array().at(0).as_object();
  EXPECT_EQ(order["user_id"], "fan-1");
  EXPECT_EQ(order["payment"].as_object()["total_amount"], "44.97");
  EXPECT_EQ(order["line_items"].as_array().size(), 3u);
  EXPECT_EQ(order["line_items"].as_array()[0].as_object()["product_name"], "Canvas Tote Bag");

  // The wrong shop's cipher, and a token without seller.product.basic.
  auto wrong_cipher = shop_call("GET", "/order/202309/orders",
                                {{"shop_cipher", "cipher-shop-7002"}, {"ids", order_id}}, token);
  EXPECT_EQ(wrong_cipher.status, 400);
  auto orders_only = shop_tokens("shop", {"seller.authorization.info", "seller.order.info"});
  auto no_scope = shop_call("POST", "/product/202309/products/search", {{"shop_cipher", cipher}},
                            std::string(orders_only["access_token"].as_string()), "{}");
  EXPECT_EQ(no_scope.status, 403);
}

TEST_F(SandboxTest, TikTokWebhooksAreSignedAndCarryContentAsAString) {
  post_json(
      "/sandbox/v1/comments",
      {{"account", "creator"}, {"video_id", "video-2"}, {"user", "fan-7"}, {"text", "price?"}});
  post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-7"}, {"text", "hello"}});
  ASSERT_TRUE(platform_->inbox.wait_for_count(2));

  std::map<std::string, json::object> by_event;
  for (std::size_t i = 0; i < 2; ++i) {
    auto webhook = platform_->inbox.at(i);
    EXPECT_EQ(webhook.path, "/webhooks/tiktok");
    // TikTok-Signature: t=<seconds>,s=<hex HMAC(client_secret, t + "." + body)>
    const auto header = webhook.header("TikTok-Signature").value_or("");
    const auto comma = header.find(',');
    ASSERT_TRUE(header.starts_with("t=") && comma != std::string::npos) << header;
    const std::string t = header.substr(2, comma - 2);
    EXPECT_EQ(header.substr(comma + 1),
              "s=" + hmac_hex("sandbox-client-secret", t + "." + webhook.body));
    EXPECT_LE(std::llabs(std::stoll(t) - unix_now()), 60);
    auto body = parse_object(webhook.body);
    EXPECT_EQ(body["client_key"], "sandbox-client-key");
    EXPECT_EQ(body["user_openid"], "open-creator");
    EXPECT_TRUE(body["create_time"].is_int64());
    ASSERT_TRUE(body["content"].is_string());
    by_event[std::string(body["event"].as_string())] =
        parse_object(std::string(body["content"].as_string()));
  }
  auto& comment = by_event.at("comment.update");
  EXPECT_EQ(comment["video_id"], "video-2");
  EXPECT_EQ(comment["text"], "price?");
  EXPECT_EQ(comment["action"], "insert");
  EXPECT_EQ(comment["author"].as_object()["user_id"], "fan-7");
  auto& message = by_event.at("im_receive_msg");
  EXPECT_EQ(message["text"].as_object()["body"], "hello");
  EXPECT_EQ(message["sender"].as_object()["user_id"], "fan-7");
  EXPECT_TRUE(message.contains("conversation_id"));
}

TEST_F(SandboxTest, ShopWebhooksAreSigned) {
  post_json(
      "/sandbox/v1/orders",
      {{"shop", "shop"}, {"buyer", "fan-1"}, {"items", json::array{{{"sku_id", "sku-1003"}}}}});
  ASSERT_TRUE(platform_->inbox.wait_for_count(1));
  auto webhook = platform_->inbox.at(0);
  EXPECT_EQ(webhook.path, "/webhooks/tiktok_shop");
  const std::string order_id =
      std::string(parse_object(webhook.body)["data"].as_object()["order_id"].as_string());
  post_json("/sandbox/v1/orders/" + order_id + "/status", {{"status", "DELIVERED"}}, 200);
  ASSERT_TRUE(platform_->inbox.wait_for_count(2));
  EXPECT_EQ(parse_object(platform_->inbox.at(1).body)["data"].as_object()["order_status"],
            "DELIVERED");
  post_json("/sandbox/v1/orders/nope/status", {{"status", "DELIVERED"}}, 404);
  EXPECT_EQ(webhook.header("Authorization"),
            hmac_hex("sandbox-app-secret", "sandbox-app-key" + webhook.body));
  auto body = parse_object(webhook.body);
  EXPECT_EQ(body["type"], 1);
  EXPECT_EQ(body["shop_id"], "7001");
  EXPECT_TRUE(body.contains("tts_notification_id"));
  EXPECT_EQ(body["data"].as_object()["order_status"], "AWAITING_SHIPMENT");
}

TEST_F(SandboxTest, RevokeEmitsAndStopsTokens) {
  const auto token = access_token("creator", {"user.info.basic"});
  auto shop = shop_tokens("shop", {"seller.authorization.info", "seller.order.info"});
  auto revoked = post_json("/sandbox/v1/revoke", {{"account", "creator"}}, 200);
  EXPECT_EQ(revoked["revoked_grants"], 1);
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", token)["code"], 40105);
  post_json("/sandbox/v1/revoke", {{"account", "shop"}}, 200);
  ASSERT_TRUE(platform_->inbox.wait_for_count(2));
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < 2; ++i) {
    auto body = parse_object(platform_->inbox.at(i).body);
    if (body.contains("event")) kinds.insert(std::string(body["event"].as_string()));
    if (body.contains("type")) kinds.insert("type " + std::to_string(body["type"].as_int64()));
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"authorization.removed", "type 6"}));
}

TEST_F(SandboxTest, WebhooksAreRetriedAfterAFailure) {
  {
    std::lock_guard lock(platform_->inbox.mutex);
    platform_->inbox.fail_first = 2;
  }
  post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-2"}, {"text", "yo"}});
  ASSERT_TRUE(platform_->inbox.wait_for_count(1));
  {
    std::lock_guard lock(platform_->inbox.mutex);
    EXPECT_EQ(platform_->inbox.answered_500, 2);
  }
  json::object delivery;
  sparks::testing::poll_until("the sandbox to record the 2xx", [&] {
    delivery = get_json("/sandbox/v1/webhooks")["webhooks"].as_array().at(0).as_object();
    return delivery["delivered"].as_bool();
  });
  EXPECT_EQ(delivery["delivered"], true);
  EXPECT_EQ(delivery["attempts"], 3);
}

TEST_F(SandboxTest, DuplicateWebhookFault) {
  post_json("/sandbox/v1/faults", {{"kind", "webhook_duplicate"}});
  post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-3"}, {"text", "x"}});
  ASSERT_TRUE(platform_->inbox.wait_for_count(2));
  EXPECT_EQ(platform_->inbox.at(0).body, platform_->inbox.at(1).body);
}

TEST_F(SandboxTest, BusinessApiRateLimitsEachToken) {
  const auto token = access_token("creator", {"user.info.basic"});
  // More than 20 calls in one second get a 429; quick calls reach that well within 200.
  bool limited = false;
  for (int i = 0; i < 200 && !limited; ++i) {
    auto r = business("GET", "/open_api/v1.3/business/get/", token);
    if (last_status_ == 429) {
      EXPECT_EQ(r["code"], 40100);
      limited = true;
    }
  }
  EXPECT_TRUE(limited);
  // Another token has its own budget.
  const auto other = access_token("creator", {"user.info.basic"});
  EXPECT_EQ(business("GET", "/open_api/v1.3/business/get/", other)["code"], 0);
}

TEST_F(SandboxTest, ReorderedWebhooksArriveInReverse) {
  post_json("/sandbox/v1/faults", {{"kind", "webhook_reorder"}, {"count", 3}});
  for (const char* text : {"one", "two", "three"}) {
    post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-4"}, {"text", text}});
  }
  ASSERT_TRUE(platform_->inbox.wait_for_count(3));
  std::vector<std::string> order;
  for (std::size_t i = 0; i < 3; ++i) {
    auto content =
        parse_object(std::string(parse_object(platform_->inbox.at(i).body)["content"].as_string()));
    order.emplace_back(content["text"].as_object()["body"].as_string());
  }
  // Sent in reverse; each is its own connection, so arrival order is only likely, not certain.
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()),
            (std::set<std::string>{"one", "two", "three"}));
  auto log = get_json("/sandbox/v1/webhooks")["webhooks"].as_array();
  EXPECT_EQ(log.size(), 3u);
}

TEST_F(SandboxTest, DelayedWebhookWaits) {
  post_json("/sandbox/v1/faults", {{"kind", "webhook_delay"}, {"delay_ms", 300}});
  const auto start = std::chrono::steady_clock::now();
  post_json("/sandbox/v1/messages", {{"account", "creator"}, {"user", "fan-5"}, {"text", "x"}});
  ASSERT_TRUE(platform_->inbox.wait_for_count(1));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST_F(SandboxTest, ControlApiRefusesBadInput) {
  post_json("/sandbox/v1/comments", {{"account", "nobody"}, {"video_id", "video-1"}}, 404);
  post_json("/sandbox/v1/comments",
            {{"account", "creator"}, {"video_id", "video-4"}, {"user", "u"}, {"text", "t"}}, 404);
  post_json("/sandbox/v1/orders",
            {{"shop", "shop"}, {"buyer", "b"}, {"items", json::array{{{"sku_id", "sku-2001"}}}}},
            404);  // another shop's SKU
  post_json("/sandbox/v1/clock", {{"advance_seconds", -5}}, 400);
  EXPECT_EQ(request("POST", "/sandbox/v1/messages", "not json").status, 400);
}

TEST_F(SandboxTest, VideoListNeedsItsScope) {
  const auto token = access_token("creator", {"video.list"});
  auto r = request("POST", "/v2/video/list/?fields=id,title", R"({"max_count":2})",
                   {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse_object(r.body);
  EXPECT_EQ(body["error"].as_object()["code"], "ok");
  auto& data = body["data"].as_object();
  EXPECT_EQ(data["videos"].as_array().size(), 2u);
  EXPECT_EQ(data["has_more"], true);
  EXPECT_EQ(data["videos"].as_array()[0].as_object()["id"], "video-1");

  const auto no_scope = access_token("creator", {"comment.list"});
  EXPECT_EQ(
      request("POST", "/v2/video/list/", "{}", {{"Authorization", "Bearer " + no_scope}}).status,
      403);
}

// The connectors' configuration for a sandbox: its keys, and every base URL at the one given.
TEST(SandboxPlatformConfig, PointsBothConnectorsAtTheBaseUrlWithTheSandboxKeys) {
  auto config = sparks::sandbox::platform_config("http://127.0.0.1:4242");
  ASSERT_EQ(config.size(), 2u);
  EXPECT_EQ(
      json::parse(config.at("tiktok")),
      json::parse(
          R"({"client_key":"sandbox-client-key","client_secret":"sandbox-client-secret",)"
          R"("auth_base_url":"http://127.0.0.1:4242","api_base_url":"http://127.0.0.1:4242"})"));
  EXPECT_EQ(
      json::parse(config.at("tiktok_shop")),
      json::parse(
          R"({"app_key":"sandbox-app-key","app_secret":"sandbox-app-secret",)"
          R"("auth_base_url":"http://127.0.0.1:4242","api_base_url":"http://127.0.0.1:4242"})"));

  sparks::sandbox::SandboxOptions keys;
  keys.client_key = "ck", keys.client_secret = "cs", keys.app_key = "ak", keys.app_secret = "as";
  config = sparks::sandbox::platform_config("http://127.0.0.1:4242/", keys);
  EXPECT_EQ(
      json::parse(config.at("tiktok")),
      json::parse(
          R"({"client_key":"ck","client_secret":"cs",)"
          R"("auth_base_url":"http://127.0.0.1:4242","api_base_url":"http://127.0.0.1:4242"})"))
      << "a trailing slash is dropped: the connectors append paths that start with one";
  EXPECT_EQ(json::parse(config.at("tiktok_shop")).at("app_secret"), "as");
}

// `sparks sandbox --listen 127.0.0.1:0` prints its real address and serves there.
TEST(SandboxCommand, PrintsTheListeningAddressAndServes) {
  sparks::testing::ChildProcess sandbox(SPARKS_BINARY_DIR "/sparks",
                                        {"sandbox", "--listen", "127.0.0.1:0"});
  auto line = sandbox.wait_for_line("sandbox listening on http://127.0.0.1:", 20s);
  ASSERT_TRUE(line);
  const std::string base = line->substr(line->find("http://"));
  net::io_context io;
  std::optional<ClientResponse> answer;
  sparks::http::send_request(io.get_executor(), {"GET", base + "/sandbox/v1/accounts"},
                             [&](ClientResponse r) { answer = std::move(r); });
  sparks::testing::run_until(io, "the sandbox's answer", [&] { return answer.has_value(); });
  ASSERT_TRUE(answer && answer->ok()) << (answer ? answer->error : "no answer");
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(parse_object(answer->body)["accounts"].as_array().size(), 4u);
  EXPECT_EQ(sandbox.stop(), 0);
}

}  // namespace

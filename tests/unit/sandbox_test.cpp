// The sandbox over real HTTP on 127.0.0.1: TikTok OAuth and Business API, TikTok Shop tokens and
// signed calls, the control API, faults, and signed webhooks received by a small server here.
// Signatures are checked with OpenSSL directly, not with the code under test.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
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
#include "support/loopback_sandbox_test.hpp"
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

using sparks::testing::hmac_hex;
using sparks::testing::parse_object;
using sparks::testing::unix_now;

class SandboxTest : public sparks::testing::LoopbackSandboxTest {
 protected:
  // Two threads, as a host may run: the sandbox's strand must keep its state consistent.
  SandboxTest() : LoopbackSandboxTest(2) {}

  ClientResponse post_form(const std::string& target, const Fields& fields) {
    return request("POST", target, sparks::http::encode_form(fields),
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  json::object post_json(const std::string& target, const json::value& body, int expected = 201) {
    return json_call("POST", target, body, expected);
  }

  json::object get_json(const std::string& target, Headers headers = {}) {
    auto r = request("GET", target, {}, std::move(headers));
    return parse_object(r.body);
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

  // tt_user/oauth2/token/: the answer {code, message, request_id, data}.
  json::object exchange(const std::string& code, const std::string& redirect = kRedirect) {
    auto r = request("POST", "/open_api/v1.3/tt_user/oauth2/token/",
                     json::serialize(json::object{{"client_id", "sandbox-client-key"},
                                                  {"client_secret", "sandbox-client-secret"},
                                                  {"grant_type", "authorization_code"},
                                                  {"auth_code", code},
                                                  {"redirect_uri", redirect}}),
                     {{"Content-Type", "application/json"}});
    return parse_object(r.body);
  }

  std::string access_token(const std::string& account, const std::vector<std::string>& scopes) {
    auto answer = exchange(authorize(account, scopes));
    const auto* token = answer["data"].is_object()
                            ? answer["data"].as_object().if_contains("access_token")
                            : nullptr;
    return token != nullptr ? std::string(token->as_string()) : "";
  }

  json::object business(const std::string& method, const std::string& target,
                        const std::string& token, const json::value& body = nullptr) {
    auto r = request(method, target, body.is_null() ? "" : json::serialize(body),
                     {{"Access-Token", token}, {"Content-Type", "application/json"}});
    last_status_ = r.status;
    return parse_object(r.body);
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

TEST_F(SandboxTest, AuthorizationCodesExpireAfterTenMinutes) {
  const auto code = authorize("creator", {"user.info.basic"});
  post_json("/sandbox/v1/clock", {{"advance_seconds", 601}}, 200);
  auto answer = exchange(code);
  EXPECT_EQ(answer["code"], 40110);
  EXPECT_NE(std::string(answer["message"].as_string()).find("expired"), std::string::npos);
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

TEST_F(SandboxTest, SlowFaultDelaysTheAnswer) {
  post_json("/sandbox/v1/faults",
            {{"kind", "slow"}, {"path", "/sandbox/v1/accounts"}, {"delay_ms", 300}});
  const auto start = std::chrono::steady_clock::now();
  auto accounts = get_json("/sandbox/v1/accounts");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(accounts["accounts"].as_array().size(), 5u);
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
  EXPECT_EQ(comment["comment_action"], "insert");
  EXPECT_TRUE(comment["unique_identifier"].is_string());
  auto& message = by_event.at("im_receive_msg");
  EXPECT_EQ(message["text"].as_object()["body"], "hello");
  EXPECT_EQ(message["from"], "fan-7");
  EXPECT_EQ(message["unique_identifier"], comment["unique_identifier"]);
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
  EXPECT_EQ(business("GET",
                     "/open_api/v1.3/business/get/?business_id=open-creator"
                     "&fields=%5B%22username%22%5D",
                     token)["code"],
            40105);
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
  EXPECT_EQ(parse_object(answer->body)["accounts"].as_array().size(), 5u);
  EXPECT_EQ(sandbox.stop(), 0);
}

}  // namespace

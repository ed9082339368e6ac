// The sandbox's TikTok Shop side over real HTTP on 127.0.0.1, against the golden fixtures
// (tests/data/platforms/tiktok_shop/): the fixtures' requests, with real tokens, get answers of the
// fixtures' shapes; refusals carry the platform's codes; Update Shop Webhook redirects the shop's
// webhooks; an order placed through a DM carries back only what the buyer copies into its note;
// the type 7 notice. Signatures are computed here with OpenSSL.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "http/client.hpp"
#include "http/form.hpp"
#include "support/loopback_sandbox_test.hpp"
#include "support/platform_fixtures.hpp"
#include "support/platform_test_helpers.hpp"
#include "support/wait.hpp"

namespace {

namespace json = boost::json;
using sparks::http::ClientResponse;
using sparks::http::Fields;
using sparks::testing::hmac_hex;
using sparks::testing::parse_object;

const std::string kSecret = "sandbox-app-secret";
const std::string kRedirect = "http://127.0.0.1:9/oauth/callback";
const std::vector<std::string> kAllScopes = {"seller.authorization.info", "seller.order.info",
                                             "seller.product.basic"};

json::object fixture(const std::string& name) {
  return sparks::testing::platform_fixture("tiktok_shop", name);
}

std::string str(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

class SandboxShopTest : public sparks::testing::LoopbackSandboxTest {
 protected:
  json::object control(const std::string& target, const json::value& body, int expected = 201) {
    return json_call("POST", target, body, expected);
  }

  // The consent form approved for `shop` on `page` (/oauth/authorize or /open/authorize).
  ClientResponse consent(const std::string& page, Fields app,
                         const std::vector<std::string>& scopes, const std::string& shop = "shop") {
    app.emplace_back("redirect_uri", kRedirect);
    app.emplace_back("state", "st-1");
    app.emplace_back("account", shop);
    for (const auto& s : scopes) app.emplace_back("scope", s);
    return request("POST", page, sparks::http::encode_form(app),
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  // The fixture's token request with `auth_code` (or `refresh_token`) replaced; the answer's body.
  json::object token_call(const std::string& name, const std::string& key,
                          const std::string& value) {
    json::object query = fixture(name).at("query").as_object();
    query[key] = value;
    Fields fields;
    for (const auto& [k, v] : query) fields.emplace_back(std::string(k), str(v));
    auto r =
        request("GET", str(fixture(name).at("path")) + "?" + sparks::http::encode_form(fields));
    EXPECT_EQ(r.status, 200) << r.body;
    return parse_object(r.body);
  }

  json::object tokens(const std::vector<std::string>& scopes = kAllScopes) {
    auto page = consent("/oauth/authorize", {{"app_key", "sandbox-app-key"}}, scopes);
    EXPECT_EQ(page.status, 302) << page.body;
    const auto code = sparks::http::field(location_query(page), "code").value_or("");
    auto answer = token_call("token_get.request.json", "auth_code", code);
    EXPECT_EQ(answer["code"], 0) << json::serialize(answer);
    return answer["data"].is_object() ? answer["data"].as_object() : json::object{};
  }

  // The fixture's signed request, signed here with a current timestamp and `token`.
  ClientResponse signed_call(const std::string& name, const std::string& token,
                             std::map<std::string, std::string> overrides = {},
                             const std::string& secret = kSecret) {
    const json::object f = fixture(name);
    const std::string method = str(f.at("method")), path = str(f.at("path"));
    std::map<std::string, std::string> query;
    for (const auto& [k, v] : f.at("query").as_object())
      if (k != "sign") query[std::string(k)] = str(v);
    query["timestamp"] = std::to_string(sparks::testing::unix_now());
    for (auto& [k, v] : overrides) query[k] = v;
    const std::string body = f.contains("body") ? json::serialize(f.at("body")) : std::string();
    std::string text = secret + path;
    for (const auto& [k, v] : query) text += k + v;
    if (method != "GET") text += body;
    Fields fields(query.begin(), query.end());
    fields.emplace_back("sign", hmac_hex(secret, text + secret));
    return request(method, path + "?" + sparks::http::encode_form(fields), body,
                   {{"x-tts-access-token", token}, {"Content-Type", "application/json"}});
  }

  void expect_shape(const std::string& response_fixture, const ClientResponse& r) {
    const json::object f = fixture(response_fixture);
    EXPECT_EQ(r.status, f.at("http_status").as_int64()) << r.body;
    std::string where;
    EXPECT_TRUE(sparks::testing::same_shape(f.at("body"), json::parse(r.body), where))
        << response_fixture << " differs at " << where << ": " << r.body;
  }
};

TEST_F(SandboxShopTest, TokenCallsAnswerInTheFixturesShapes) {
  json::object data = tokens();
  std::string where;
  EXPECT_TRUE(sparks::testing::same_shape(fixture("token_get.response.json").at("body").at("data"),
                                          data, where))
      << where;
  EXPECT_EQ(data["granted_scopes"].as_array().size(), 3u);
  auto refreshed =
      token_call("token_refresh.request.json", "refresh_token", str(data["refresh_token"]));
  EXPECT_TRUE(sparks::testing::same_shape(fixture("token_refresh.response.json").at("body"),
                                          refreshed, where))
      << where;
  // Used codes and rotated refresh tokens: the platform's codes, with HTTP 200.
  EXPECT_EQ(token_call("token_get.request.json", "auth_code", "used")["code"],
            fixture("token_get.code_36004004.response.json").at("body").at("code"));
  EXPECT_EQ(
      token_call("token_refresh.request.json", "refresh_token", str(data["refresh_token"]))["code"],
      fixture("token_refresh.code_36004005.response.json").at("body").at("code"));
}

TEST_F(SandboxShopTest, TheServicesPageAndTheLegacyOneBothAuthorize) {
  auto page = request("GET", "/open/authorize?service_id=sandbox-service-id&state=s&redirect_uri=" +
                                 sparks::http::percent_encode(kRedirect));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("action=\"/open/authorize\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"seller.authorization.info\" checked"), std::string::npos);
  auto approved = consent("/open/authorize", {{"service_id", "sandbox-service-id"}}, kAllScopes);
  ASSERT_EQ(approved.status, 302) << approved.body;
  const Fields back = location_query(approved);
  EXPECT_FALSE(sparks::http::field(back, "code").value_or("").empty());
  EXPECT_EQ(sparks::http::field(back, "state"), "st-1");
  EXPECT_EQ(sparks::http::field(back, "shop_region"), "US");

  EXPECT_EQ(request("GET", "/open/authorize?service_id=other&redirect_uri=" +
                               sparks::http::percent_encode(kRedirect))
                .status,
            400);
  // Login Kit-style and made-up scopes are unknown to Partner Center.
  EXPECT_EQ(consent("/oauth/authorize", {{"app_key", "sandbox-app-key"}}, {"order.read"}).status,
            400);
}

TEST_F(SandboxShopTest, SignedCallsAnswerInTheFixturesShapes) {
  const std::string token = str(tokens()["access_token"]);
  expect_shape("authorization_shops.response.json",
               signed_call("authorization_shops.request.json", token));
  expect_shape("products_search.response.json", signed_call("products_search.request.json", token));
  auto placed = control("/sandbox/v1/orders",
                        {{"shop", "shop"},
                         {"buyer", "7494000000000000001"},
                         {"buyer_message", "code SPK-7Q2M9X please"},
                         {"items", json::array{{{"sku_id", "sku-1002"}, {"quantity", 2}}}}});
  const std::string id = str(placed["order"].as_object()["id"]);
  auto orders = signed_call("orders_get.request.json", token, {{"ids", id}});
  expect_shape("orders_get.response.json", orders);
  const json::object order =
      parse_object(orders.body)["data"].as_object()["orders"].as_array()[0].as_object();
  EXPECT_EQ(order.at("user_id"), "7494000000000000001");
  EXPECT_EQ(order.at("buyer_message"), "code SPK-7Q2M9X please");
}

TEST_F(SandboxShopTest, RefusalsCarryThePlatformsCodes) {
  const std::string token =
      str(tokens({"seller.authorization.info", "seller.order.info"})["access_token"]);
  auto code_of = [](const ClientResponse& r) { return parse_object(r.body)["code"]; };
  const auto fixture_code = [](const std::string& name) {
    return fixture(name).at("body").at("code");
  };
  auto forged = signed_call("authorization_shops.request.json", token, {}, "wrong-secret");
  expect_shape("signed_call.code_106001.response.json", forged);
  EXPECT_EQ(code_of(forged), fixture_code("signed_call.code_106001.response.json"));
  auto stale = signed_call("authorization_shops.request.json", token,
                           {{"timestamp", std::to_string(sparks::testing::unix_now() - 600)}});
  expect_shape("signed_call.code_36009004.response.json", stale);
  EXPECT_EQ(code_of(stale), fixture_code("signed_call.code_36009004.response.json"));
  auto no_scope = signed_call("products_search.request.json", token);
  expect_shape("signed_call.code_105005.response.json", no_scope);
  EXPECT_EQ(code_of(no_scope), fixture_code("signed_call.code_105005.response.json"));
  EXPECT_EQ(code_of(signed_call("orders_get.request.json", "not-a-token", {{"ids", "1"}})),
            36009004);

  // Throttling has no published limit to emulate; a fault injects the platform's answer.
  control("/sandbox/v1/faults",
          {{"kind", "http_error"}, {"path", "/order/202309/orders"}, {"status", 429}});
  auto throttled = signed_call("orders_get.request.json", token, {{"ids", "1"}});
  expect_shape("signed_call.code_36009002.response.json", throttled);
  EXPECT_EQ(code_of(throttled), fixture_code("signed_call.code_36009002.response.json"));

  // An expired access token: 105002.
  control("/sandbox/v1/clock", {{"advance_seconds", 8 * 86400}}, 200);
  auto expired = signed_call("orders_get.request.json", token, {{"ids", "1"}});
  EXPECT_EQ(code_of(expired), fixture_code("signed_call.code_105002.response.json"));
}

TEST_F(SandboxShopTest, UpdateShopWebhookRedirectsTheShopsWebhooks) {
  const std::string token = str(tokens()["access_token"]);
  auto updated = signed_call("event_webhooks_update.request.json", token);
  expect_shape("event_webhooks_update.response.json", updated);
  control("/sandbox/v1/orders",
          {{"shop", "shop"}, {"buyer", "b-1"}, {"items", json::array{{{"sku_id", "sku-1003"}}}}});
  json::object delivery;
  sparks::testing::poll_until("the webhook to be logged", [&] {
    auto log = parse_object(request("GET", "/sandbox/v1/webhooks").body)["webhooks"].as_array();
    if (log.empty()) return false;
    delivery = log.back().as_object();
    return true;
  });
  EXPECT_EQ(delivery["url"], "https://sparks.example/webhooks/tiktok_shop")
      << "ORDER_STATUS_CHANGE goes where the shop subscribed it";
  EXPECT_EQ(delivery["event"], "ORDER_STATUS_CHANGE");
}

// The DM is sent by the TikTok side as a connector would (consent, token, message/send in the
// conversation the person opened by writing first, docs/sandbox.md); the order placed through it
// carries the DM's code in buyer_message and the Shop's buyer, not the DM's user.
TEST_F(SandboxShopTest, AnOrderThroughADmCarriesOnlyWhatTheBuyerCopiesIntoTheNote) {
  auto page = request("POST", "/v2/auth/authorize/",
                      sparks::http::encode_form({{"client_key", "sandbox-client-key"},
                                                 {"redirect_uri", kRedirect},
                                                 {"state", "s"},
                                                 {"account", "creator"},
                                                 {"scope", "user.info.basic"},
                                                 {"scope", "message.list.send"}}),
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(page.status, 302) << page.body;
  auto token = parse_object(
      request("POST", "/open_api/v1.3/tt_user/oauth2/token/",
              json::serialize(json::object{
                  {"client_id", "sandbox-client-key"},
                  {"client_secret", "sandbox-client-secret"},
                  {"grant_type", "authorization_code"},
                  {"auth_code", sparks::http::field(location_query(page), "code").value_or("")},
                  {"redirect_uri", kRedirect}}),
              {{"Content-Type", "application/json"}})
          .body);
  const json::object grant = token["data"].as_object();
  // The person writes first: a business may not start a conversation.
  auto wrote = control("/sandbox/v1/messages",
                       {{"account", "creator"}, {"user", "fan-9"}, {"text", "price?"}});
  const std::string conversation = str(wrote["message"].as_object()["conversation_id"]);
  auto sent = parse_object(
      request(
          "POST", "/open_api/v1.3/business/message/send/",
          json::serialize(json::object{{"business_id", grant.at("open_id")},
                                       {"recipient_type", "CONVERSATION"},
                                       {"recipient", conversation},
                                       {"message_type", "TEXT"},
                                       {"text", {{"body", "Use code SPK-7Q2M9X at checkout!"}}}}),
          {{"Access-Token", str(grant.at("access_token"))}, {"Content-Type", "application/json"}})
          .body);
  const std::string message_id = str(sent["data"].as_object()["message"].as_object()["message_id"]);
  ASSERT_FALSE(message_id.empty()) << json::serialize(sent);

  auto placed = control("/sandbox/v1/orders", {{"shop", "shop"},
                                               {"buyer", "7494000000000000001"},
                                               {"from_message", message_id},
                                               {"items", json::array{{{"sku_id", "sku-1003"}}}}});
  const json::object order = placed["order"].as_object();
  EXPECT_EQ(order.at("buyer_message"), "SPK-7Q2M9X");
  EXPECT_EQ(order.at("user_id"), "7494000000000000001") << "never the DM's TikTok user";
  control("/sandbox/v1/orders",
          {{"shop", "shop"},
           {"buyer", "b-1"},
           {"from_message", "msg-none"},
           {"items", json::array{{{"sku_id", "sku-1003"}}}}},
          404);
}

TEST_F(SandboxShopTest, TheExpiryNoticeIsTypeSevenAndSigned) {
  tokens();
  control("/sandbox/v1/authorization-expiring", {{"account", "shop"}, {"expires_at", 1769817600}});
  auto delivered = platform_->inbox.wait_for("/webhooks/tiktok_shop", 1);
  ASSERT_EQ(delivered.size(), 1u);
  const auto& webhook = delivered[0];
  EXPECT_EQ(webhook.header("Authorization"), hmac_hex(kSecret, "sandbox-app-key" + webhook.body));
  const json::object expected =
      parse_object(str(fixture("webhook_upcoming_authorization_expiration.json").at("body")));
  std::string where;
  EXPECT_TRUE(sparks::testing::same_shape(expected, json::parse(webhook.body), where)) << where;
  const json::object body = parse_object(webhook.body);
  EXPECT_EQ(body.at("type"), 7);
  EXPECT_EQ(body.at("data").at("expiration_time"), "1769817600");
}

}  // namespace

// The TikTok Shop connector against the golden fixtures (tests/data/platforms/tiktok_shop/): a
// stand-in platform on 127.0.0.1 answers every call with the fixture's response and records the
// request, which is checked against the fixture's request — method, path, query, headers, body,
// and the signature recomputed here with OpenSSL. Also the webhooks of the fixtures, the error
// answers and what each means, and the authorize page the configuration points at.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "support/connector_harness.hpp"
#include "support/platform_fixtures.hpp"
#include "support/platform_test_helpers.hpp"

namespace {

namespace json = boost::json;
using sparks::plugins::Operation;
using sparks::testing::hmac_hex;
using sparks::testing::parse_object;
using Answer = sparks::testing::PluginAnswer;
using Verified = sparks::testing::WebhookVerdict;

const std::string kAppKey = "sandbox-app-key";
const std::string kAppSecret = "sandbox-app-secret";

json::object fixture(const std::string& name) {
  return sparks::testing::platform_fixture("tiktok_shop", name);
}

std::string str(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

// The Partner API signature, worked out here from the documentation (docs/connectors.md).
std::string expected_sign(const sparks::http::Request& request) {
  std::map<std::string, std::string> sorted;
  for (const auto& [key, value] : request.query)
    if (key != "sign" && key != "access_token") sorted[key] = value;
  std::string text = kAppSecret + request.path;
  for (const auto& [key, value] : sorted) text += key + value;
  if (request.method != "GET") text += request.body;
  return hmac_hex(kAppSecret, text + kAppSecret);
}

// A recorded signed call against its request fixture: method, path, the same query keys with the
// same values (timestamp and sign excepted, the sign recomputed), the token header, the body.
void expect_matches_fixture(const sparks::http::Request& request, const std::string& name,
                            const std::string& token) {
  const json::object expected = fixture(name);
  EXPECT_EQ(request.method, str(expected.at("method"))) << name;
  EXPECT_EQ(request.path, str(expected.at("path"))) << name;
  std::map<std::string, std::string> query(request.query.begin(), request.query.end());
  std::map<std::string, std::string> wanted;
  for (const auto& [key, value] : expected.at("query").as_object())
    wanted[std::string(key)] = str(value);
  ASSERT_EQ(query.size(), wanted.size()) << name << ": " << request.query_string;
  for (const auto& [key, value] : wanted) {
    ASSERT_TRUE(query.count(key)) << name << " lacks " << key;
    if (key != "timestamp" && key != "sign") {
      EXPECT_EQ(query[key], value) << name << ": " << key;
    }
  }
  if (!wanted.count("sign")) return;  // token calls are not signed
  EXPECT_EQ(query["sign"], expected_sign(request)) << name;
  EXPECT_LE(std::llabs(std::stoll(query["timestamp"]) - sparks::testing::unix_now()), 60);
  EXPECT_EQ(request.header("x-tts-access-token").value_or(""), token) << name;
  if (const auto* body = expected.if_contains("body")) {
    EXPECT_EQ(json::parse(request.body), *body) << name;
  }
}

class ShopConnectorTest : public sparks::testing::ConnectorTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(start(
        "libsparks_tiktok_shop.so", "tiktok_shop",
        {"/api/v2/token/get", "/api/v2/token/refresh", "/authorization/202309/shops",
         "/product/202309/products/search", "/order/202309/orders", "/event/202309/webhooks"}));
    configure({});
  }

  // The sandbox-like configuration (both base URLs at the stand-in) plus `extra`.
  std::string configure(json::object extra) {
    json::object config{{"app_key", kAppKey},
                        {"app_secret", kAppSecret},
                        {"auth_base_url", platform_->base_url()},
                        {"api_base_url", platform_->base_url()}};
    for (auto& [key, value] : extra) config[key] = value;
    return configure_plugin(config);
  }

  Verified verify(const json::object& webhook, const std::string& signature) {
    sparks::plugins::WebhookRequest request{
        "POST", "/webhooks/tiktok_shop", "", {}, str(webhook.at("body"))};
    request.headers.emplace_back("Authorization", signature);
    request.headers.emplace_back("Content-Type", "application/json");
    return ConnectorTest::verify(request);
  }

  // The credentials the fixtures' token and shop answers make.
  json::object credentials() {
    json::object c{{"access_token", "ROW_at_fixture"},
                   {"refresh_token", "ROW_rt_fixture"},
                   {"shop_cipher", "cipher-shop-7001"},
                   {"account_id", "7001"},
                   {"shop_id", "7001"}};
    return c;
  }

  // Every call to `path` is answered with the response fixture `response_fixture`.
  void answer(const std::string& path, const std::string& response_fixture) {
    platform_->answer_always(path, sparks::testing::fixture_response(fixture(response_fixture)));
  }
};

TEST_F(ShopConnectorTest, AuthorizePageIsTheServicesOrTheLegacyOne) {
  const json::object request{{"state", "st/1"}, {"redirect_uri", "https://sparks.example/cb/"}};
  const std::string base = platform_->base_url();
  EXPECT_EQ(str(call(Operation::authorize_url, request).json()["url"]),
            base +
                "/oauth/authorize?app_key=sandbox-app-key&state=st%2F1&redirect_uri=https%3A%2F%2F"
                "sparks.example%2Fcb%2F");
  ASSERT_EQ(configure({{"service_id", "7001234"}}), "");
  EXPECT_EQ(str(call(Operation::authorize_url, request).json()["url"]),
            base +
                "/open/authorize?service_id=7001234&state=st%2F1&redirect_uri=https%3A%2F%2F"
                "sparks.example%2Fcb%2F");
  // The real hosts: tokens on auth.tiktok-shops.com, the service's page on services.tiktokshop.com.
  ASSERT_EQ(
      configure({{"service_id", "7001234"}, {"auth_base_url", "https://auth.tiktok-shops.com"}}),
      "");
  EXPECT_EQ(str(call(Operation::authorize_url, {{"state", "s"}}).json()["url"]),
            "https://services.tiktokshop.com/open/authorize?service_id=7001234&state=s");
  ASSERT_EQ(configure({{"service_id", "7001234"},
                       {"auth_base_url", "https://auth.tiktok-shops.com"},
                       {"authorize_base_url", "https://services.us.tiktokshop.com"}}),
            "");
  EXPECT_EQ(str(call(Operation::authorize_url, {{"state", "s"}}).json()["url"]),
            "https://services.us.tiktokshop.com/open/authorize?service_id=7001234&state=s");
}

TEST_F(ShopConnectorTest, ExchangeCodeIsTokenGetThenTheAuthorizedShop) {
  answer("/api/v2/token/get", "token_get.response.json");
  answer("/authorization/202309/shops", "authorization_shops.response.json");
  Answer answer = call(Operation::exchange_code, {{"code", "TTP_code_fixture"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;

  auto token_calls = platform_->requests("/api/v2/token/get");
  ASSERT_EQ(token_calls.size(), 1u);
  expect_matches_fixture(token_calls[0], "token_get.request.json", "");
  auto shop_calls = platform_->requests("/authorization/202309/shops");
  ASSERT_EQ(shop_calls.size(), 1u);
  expect_matches_fixture(shop_calls[0], "authorization_shops.request.json", "ROW_at_fixture");

  json::object c = answer.json();
  EXPECT_EQ(c["access_token"], "ROW_at_fixture");
  EXPECT_EQ(c["refresh_token"], "ROW_rt_fixture");
  EXPECT_EQ(c["expires_at"], 1893456000) << "access_token_expire_in is an absolute time";
  EXPECT_EQ(c["refresh_expires_at"], 1924992000);
  EXPECT_EQ(c["granted_scopes"], (json::array{"seller.authorization.info", "seller.order.info",
                                              "seller.product.basic"}));
  EXPECT_EQ(c["account_id"], "7001");
  EXPECT_EQ(c["shop_cipher"], "cipher-shop-7001");
  EXPECT_EQ(c["seller_name"], "Creator Goods");
  EXPECT_TRUE(platform_->requests("/event/202309/webhooks").empty())
      << "no webhook_url configured: the console's webhook URL is left alone";
}

TEST_F(ShopConnectorTest, ExchangeCodeSubscribesTheShopsWebhooksWhenConfigured) {
  ASSERT_EQ(configure({{"webhook_url", "https://sparks.example/webhooks/tiktok_shop"}}), "");
  answer("/api/v2/token/get", "token_get.response.json");
  answer("/authorization/202309/shops", "authorization_shops.response.json");
  answer("/event/202309/webhooks", "event_webhooks_update.response.json");
  Answer answer = call(Operation::exchange_code, {{"code", "TTP_code_fixture"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  auto puts = platform_->requests("/event/202309/webhooks");
  ASSERT_EQ(puts.size(), 3u);
  expect_matches_fixture(puts[0], "event_webhooks_update.request.json", "ROW_at_fixture");
  std::vector<std::string> types;
  for (const auto& put : puts) {
    EXPECT_EQ(put.method, "PUT");
    EXPECT_EQ(expected_sign(put), put.query_value("sign").value_or("")) << "the body is signed";
    const json::object body = parse_object(put.body);
    EXPECT_EQ(body.at("address"), "https://sparks.example/webhooks/tiktok_shop");
    types.push_back(str(body.at("event_type")));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ORDER_STATUS_CHANGE", "SELLER_DEAUTHORIZATION",
                                             "UPCOMING_AUTHORIZATION_EXPIRATION"}));
}

TEST_F(ShopConnectorTest, AnInvalidAuthCodeIsUnauthorized) {
  answer("/api/v2/token/get", "token_get.code_36004004.response.json");
  Answer answer = call(Operation::exchange_code, {{"code", "used"}});
  EXPECT_EQ(answer.status, SPARKS_ERR_UNAUTHORIZED) << answer.text;
  EXPECT_NE(answer.text.find("36004004"), std::string::npos) << answer.text;
}

TEST_F(ShopConnectorTest, RefreshRotatesAndARejectedRefreshAsksForReconnection) {
  answer("/api/v2/token/refresh", "token_refresh.response.json");
  Answer refreshed = call(Operation::refresh_token, {{"credentials", credentials()}});
  ASSERT_EQ(refreshed.status, SPARKS_OK) << refreshed.text;
  auto calls = platform_->requests("/api/v2/token/refresh");
  ASSERT_EQ(calls.size(), 1u);
  expect_matches_fixture(calls[0], "token_refresh.request.json", "");
  EXPECT_EQ(refreshed.json()["access_token"], "ROW_at_fixture_2");
  EXPECT_EQ(refreshed.json()["shop_cipher"], "cipher-shop-7001") << "carried over";

  answer("/api/v2/token/refresh", "token_refresh.code_36004005.response.json");
  Answer rejected = call(Operation::refresh_token, {{"credentials", credentials()}});
  EXPECT_EQ(rejected.status, SPARKS_ERR_UNAUTHORIZED) << rejected.text;
  EXPECT_EQ(bridge_.triggers(),
            (std::vector<std::string>{"token_refreshed", "refresh_token_rejected"}));
}

TEST_F(ShopConnectorTest, ProductSearchIsNormalizedOneItemPerSku) {
  answer("/product/202309/products/search", "products_search.response.json");
  Answer page = call(Operation::sync,
                     {{"credentials", credentials()}, {"what", "products"}, {"page_size", 2}});
  ASSERT_EQ(page.status, SPARKS_OK) << page.text;
  auto calls = platform_->requests("/product/202309/products/search");
  ASSERT_EQ(calls.size(), 1u);
  expect_matches_fixture(calls[0], "products_search.request.json", "ROW_at_fixture");
  const json::object result = page.json();
  EXPECT_EQ(result.at("next_cursor"), "2");
  ASSERT_EQ(result.at("items").as_array().size(), 3u);
  EXPECT_EQ(result.at("items").as_array()[2], parse_object(R"({"sku_id":"sku-1002",
      "product_id":"prod-1002","seller_sku":"TOTE-1","title":"Canvas Tote Bag","price":"19.99",
      "currency":"USD","url":"https://shop.tiktok.com/view/product/prod-1002"})"));
}

TEST_F(ShopConnectorTest, OrdersCarryTheShopsBuyerAndTheCodesOfTheirNote) {
  answer("/order/202309/orders", "orders_get.response.json");
  Answer orders = call(
      Operation::sync,
      {{"credentials", credentials()}, {"what", "orders"}, {"ids", json::array{"576000000001"}}});
  ASSERT_EQ(orders.status, SPARKS_OK) << orders.text;
  auto calls = platform_->requests("/order/202309/orders");
  ASSERT_EQ(calls.size(), 1u);
  expect_matches_fixture(calls[0], "orders_get.request.json", "ROW_at_fixture");
  const json::object order = orders.json()["items"].as_array().at(0).as_object();
  EXPECT_EQ(order.at("id"), "576000000001");
  EXPECT_EQ(order.at("buyer"), "7494000000000000001") << "the Shop's own buyer id";
  EXPECT_EQ(order.at("total"), "52.48");
  EXPECT_EQ(order.at("attribution_codes"), json::array{"SPK-7Q2M9X"});
  EXPECT_EQ(order.at("items"), json::parse(R"([
      {"sku_id":"sku-1002","seller_sku":"TOTE-1","quantity":2,"price":"19.99"},
      {"sku_id":"sku-1003","seller_sku":"MUG-1","quantity":1,"price":"12.50"}])"));

  Answer lookup = call(Operation::execute_action, {{"credentials", credentials()},
                                                   {"action", "tiktok_shop.get_order"},
                                                   {"params", {{"order_id", "576000000001"}}}});
  ASSERT_EQ(lookup.status, SPARKS_OK) << lookup.text;
  EXPECT_EQ(lookup.json()["buyer_message"], "code SPK-7Q2M9X please");
}

TEST_F(ShopConnectorTest, AnOrderLookupHasNothingToFindAfterACrash) {
  Answer find = call(Operation::find_action, {{"credentials", credentials()},
                                              {"action", "tiktok_shop.get_order"},
                                              {"params", {{"order_id", "576000000001"}}},
                                              {"since", 1767225600}});
  EXPECT_EQ(find.status, SPARKS_ERR_UNSUPPORTED) << find.text;
  EXPECT_TRUE(platform_->requests("/order/202309/orders").empty());
}

TEST_F(ShopConnectorTest, ErrorAnswersMeanWhatTheirCodesSay) {
  const std::vector<std::pair<std::string, sparks_status_t>> cases = {
      {"signed_call.code_106001.response.json", SPARKS_ERR_INVALID_ARGUMENT},
      {"signed_call.code_36009004.response.json", SPARKS_ERR_INVALID_ARGUMENT},
      {"signed_call.code_36009002.response.json", SPARKS_ERR_RATE_LIMITED},
      {"signed_call.code_105005.response.json", SPARKS_ERR_FORBIDDEN},
      {"signed_call.code_105002.response.json", SPARKS_ERR_UNAUTHORIZED},
  };
  for (const auto& [name, status] : cases) {
    answer("/order/202309/orders", name);
    Answer answer =
        call(Operation::sync,
             {{"credentials", credentials()}, {"what", "orders"}, {"ids", json::array{"1"}}});
    EXPECT_EQ(answer.status, status) << name << ": " << answer.text;
    const std::string code = std::to_string(fixture(name).at("body").at("code").as_int64());
    EXPECT_NE(answer.text.find(code), std::string::npos) << answer.text;
  }
}

TEST_F(ShopConnectorTest, WebhooksOfTheFixturesVerifyAndNormalize) {
  const json::object order = fixture("webhook_order_status_change.json");
  Verified placed = verify(order, str(order.at("headers").at("Authorization")));
  ASSERT_EQ(placed.status, SPARKS_OK);
  ASSERT_EQ(placed.events.size(), 1u);
  EXPECT_EQ(placed.events[0].trigger, "tiktok_shop.order");
  EXPECT_EQ(placed.events[0].id, "7327112393057371910");
  EXPECT_EQ(placed.events[0].account, "7001");
  EXPECT_EQ(parse_object(placed.events[0].payload_json),
            parse_object(R"({"order_id":"576000000001","order_status":"AWAITING_SHIPMENT",
                             "update_time":1767225600})"));

  const json::object removed = fixture("webhook_seller_deauthorization.json");
  Verified deauthorized = verify(removed, str(removed.at("headers").at("Authorization")));
  ASSERT_EQ(deauthorized.events.size(), 1u);
  EXPECT_EQ(deauthorized.events[0].trigger, "authorization_removed");

  const json::object expiring = fixture("webhook_upcoming_authorization_expiration.json");
  Verified notice = verify(expiring, str(expiring.at("headers").at("Authorization")));
  ASSERT_EQ(notice.events.size(), 1u);
  EXPECT_EQ(notice.events[0].trigger, "authorization_expiring");
  EXPECT_EQ(notice.events[0].id, "7327112393057371912");
  EXPECT_EQ(parse_object(notice.events[0].payload_json)["expires_at"], 1769817600)
      << "expiration_time arrives as a string of unix seconds";

  // The signature is the fixture's, recomputed; another key's is refused.
  EXPECT_EQ(str(order.at("headers").at("Authorization")),
            hmac_hex(kAppSecret, kAppKey + str(order.at("body"))));
  EXPECT_EQ(verify(order, hmac_hex("another-secret", kAppKey + str(order.at("body")))).status,
            SPARKS_ERR_BAD_SIGNATURE);
}

}  // namespace

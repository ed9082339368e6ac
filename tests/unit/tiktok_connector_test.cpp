// The TikTok connector against the golden fixtures (tests/data/platforms/tiktok): the plugin is
// loaded through the real PluginHost and its HTTP calls go to a stand-in platform on 127.0.0.1 that
// answers with the fixtures' responses and records what it was sent. Each test asserts that the
// requests match the fixtures' requests (method, path, query, the headers that matter, JSON body)
// and that the answers become the normalized shapes the engine reads. Every wait has a deadline.
#include <gtest/gtest.h>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>
#include <map>

#include <sparks/json_fields.hpp>

#include "support/connector_harness.hpp"
#include "support/platform_fixtures.hpp"
#include "support/platform_test_helpers.hpp"

namespace {

namespace json = boost::json;
using sparks::plugins::Operation;
using sparks::plugins::WebhookEvent;
using sparks::testing::hmac_hex;
using sparks::testing::parse_object;
using sparks::testing::unix_now;
using Answer = sparks::testing::PluginAnswer;
using Verified = sparks::testing::WebhookVerdict;

// The fixtures' shared values (tests/data/platforms/tiktok/README.md).
const std::string kAppId = "7312345678901234567";
const std::string kSecret = "sparks-fixture-app-secret";
const std::string kOpenId = "-000Biz7xL2mQ9vR4tWsparks";
const std::string kToken = "act.fixture.access.token.1";
const std::string kRefresh = "rft.fixture.refresh.token.1";
const std::string kRedirect = "https://sparks.example.com/oauth/callback/tiktok/";
const std::string kWebhookUrl = "https://sparks.example.com/webhooks/tiktok";

json::object fixture(const std::string& name) {
  return sparks::testing::platform_fixture("tiktok", name + ".json");
}

std::string str(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Asserts that `sent` is the fixture `<name>.request.json`.
void expect_request(const sparks::http::Request& sent, const std::string& name) {
  SCOPED_TRACE(name);
  const json::object want = fixture(name + ".request");
  EXPECT_EQ(sent.method, str(want.if_contains("method")));
  EXPECT_EQ(sent.path, str(want.if_contains("path")));
  std::map<std::string, std::string> query, wanted_query;
  for (const auto& [key, value] : sent.query) query[key] = value;
  for (const auto& [key, value] : want.at("query").as_object())
    wanted_query[std::string(key)] = str(&value);
  EXPECT_EQ(query, wanted_query);
  for (const auto& [key, value] : want.at("headers").as_object()) {
    std::optional<std::string> got;
    for (const auto& [header, header_value] : sent.headers)
      if (boost::iequals(header, std::string(key))) got = header_value;
    EXPECT_EQ(got, str(&value)) << key;
  }
  if (const json::value* body = want.if_contains("body"))
    EXPECT_EQ(json::parse(sent.body), *body);
  else
    EXPECT_TRUE(sent.body.empty()) << sent.body;
}

constexpr const char* kApi = "/open_api/v1.3";

class TikTokConnectorTest : public sparks::testing::ConnectorTest {
 protected:
  void SetUp() override {
    std::vector<std::string> paths;
    for (const char* endpoint :
         {"/tt_user/oauth2/token/", "/tt_user/oauth2/refresh_token/", "/tt_user/oauth2/revoke/",
          "/business/get/", "/business/message/conversation/list/",
          "/business/message/direct_reply/get/", "/business/message/direct_reply/update/",
          "/business/webhook/update/", "/business/video/list/", "/business/comment/list/",
          "/business/comment/reply/create/", "/business/message/send/",
          "/business/message/content/list/", "/business/comment/reply/list/"})
      paths.push_back(std::string(kApi) + endpoint);
    ASSERT_NO_FATAL_FAILURE(start("libsparks_tiktok.so", "tiktok", paths));
    ASSERT_EQ(configure_plugin({{"client_key", kAppId},
                                {"client_secret", kSecret},
                                {"auth_base_url", "https://www.tiktok.com"},
                                {"api_base_url", platform_->base_url()},
                                {"webhook_url", kWebhookUrl},
                                {"open_api_base_url", "ignored"}}),
              "");
  }

  // The next call to `endpoint` is answered with the fixture `<response_fixture>.response.json`.
  void queue(const std::string& endpoint, const std::string& response_fixture) {
    platform_->queue(std::string(kApi) + endpoint,
                     sparks::testing::fixture_response(fixture(response_fixture + ".response")));
  }

  Answer action(const std::string& name, const json::object& params) {
    return call(Operation::execute_action,
                {{"credentials", credentials()}, {"action", name}, {"params", params}});
  }

  // find_action for `name` with `params`, started at `since` (unix seconds).
  Answer find(const std::string& name, const json::object& params, std::int64_t since) {
    return call(
        Operation::find_action,
        {{"credentials", credentials()}, {"action", name}, {"params", params}, {"since", since}});
  }

  // The fixture webhook `name`, signed now with the app secret.
  Verified deliver(const std::string& name, std::int64_t signed_at = unix_now()) {
    return deliver_body(json::serialize(fixture(name).at("body")), signed_at);
  }
  // The fixture webhook `name` with `field` taken out of its content, signed.
  Verified deliver_without(const std::string& name, const char* field) {
    auto body = fixture(name).at("body").as_object();
    auto content = json::parse(body.at("content").as_string()).as_object();
    content.erase(field);
    body["content"] = json::serialize(content);
    return deliver_body(json::serialize(body));
  }
  Verified deliver_body(const std::string& body, std::int64_t signed_at = unix_now()) {
    const std::string t = std::to_string(signed_at);
    sparks::plugins::WebhookRequest request{
        "POST",
        "/webhooks/tiktok",
        "",
        {{"TikTok-Signature", "t=" + t + ",s=" + hmac_hex(kSecret, t + "." + body)}},
        body};
    return verify(request);
  }

  static json::object credentials() {
    return {{"access_token", kToken}, {"refresh_token", kRefresh}, {"account_id", kOpenId}};
  }
};

// The query of an authorize URL, decoded, as the fixture writes it.
void expect_authorize_url(const std::string& url, const std::string& name) {
  SCOPED_TRACE(name);
  const json::object want = fixture(name + ".request");
  const std::string prefix = "https://www.tiktok.com" + str(want.if_contains("path")) + "?";
  ASSERT_EQ(url.substr(0, prefix.size()), prefix);
  std::map<std::string, std::string> query, wanted;
  for (const std::string& pair : sparks::json_fields::split_list(url.substr(prefix.size()), '&')) {
    const auto eq = pair.find('=');
    std::string value;
    const std::string raw = pair.substr(eq + 1);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size()) {
        value += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        value += raw[i];
      }
    }
    query[pair.substr(0, eq)] = value;
  }
  for (const auto& [key, value] : want.at("query").as_object())
    wanted[std::string(key)] = str(&value);
  EXPECT_EQ(query, wanted);
  EXPECT_NE(url.find("scope=" + wanted["scope"] + "&"), std::string::npos)
      << "the scope commas stay literal: " << url;
}

// ---- OAuth
// ----------------------------------------------------------------------------------------

TEST_F(TikTokConnectorTest, AuthorizeUrlIsTheFixturesConsentPage) {
  Answer plain =
      call(Operation::authorize_url, {{"redirect_uri", kRedirect}, {"state", "st_8f2c1e"}});
  ASSERT_EQ(plain.status, SPARKS_OK) << plain.text;
  expect_authorize_url(str(plain.json().if_contains("url")), "auth_authorize");

  Answer fresh =
      call(Operation::authorize_url,
           {{"redirect_uri", kRedirect}, {"state", "st_8f2c1e"}, {"force_consent", true}});
  ASSERT_EQ(fresh.status, SPARKS_OK) << fresh.text;
  expect_authorize_url(str(fresh.json().if_contains("url")), "auth_authorize.force_consent");
}

TEST_F(TikTokConnectorTest, CodeExchangeKeepsTheOpenIdAndAbsoluteExpiries) {
  queue("/tt_user/oauth2/token/", "tt_user_oauth2_token");
  const std::int64_t before = unix_now();
  Answer answer = call(Operation::exchange_code,
                       {{"code", "fixture-auth-code-1"}, {"redirect_uri", kRedirect}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  expect_request(platform_->requests().at(0), "tt_user_oauth2_token");

  json::object credentials = answer.json();
  EXPECT_EQ(str(&credentials["access_token"]), kToken);
  EXPECT_EQ(str(&credentials["refresh_token"]), kRefresh);
  EXPECT_EQ(str(&credentials["account_id"]), kOpenId);
  EXPECT_EQ(credentials["granted_scopes"],
            json::parse(R"(["user.info.basic","video.list","comment.list","comment.list.manage",)"
                        R"("message.list.read","message.list.send"])"));
  EXPECT_GE(credentials["expires_at"].as_int64(), before + 86400);
  EXPECT_LE(credentials["expires_at"].as_int64(), unix_now() + 86400);
  EXPECT_GE(credentials["refresh_expires_at"].as_int64(), before + 31536000);
}

TEST_F(TikTokConnectorTest, ABadAuthCodeIsUnauthorized) {
  queue("/tt_user/oauth2/token/", "tt_user_oauth2_token.code_40110");
  Answer answer = call(Operation::exchange_code, {{"code", "used"}, {"redirect_uri", kRedirect}});
  EXPECT_EQ(answer.status, SPARKS_ERR_UNAUTHORIZED);
  EXPECT_NE(answer.text.find("40110"), std::string::npos) << answer.text;
}

TEST_F(TikTokConnectorTest, RefreshRenewsAndTellsTheLifecycle) {
  queue("/tt_user/oauth2/refresh_token/", "tt_user_oauth2_refresh_token");
  Answer answer = call(Operation::refresh_token, {{"credentials", credentials()}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  expect_request(platform_->requests().at(0), "tt_user_oauth2_refresh_token");
  EXPECT_EQ(answer.json()["access_token"], "act.fixture.access.token.2");
  EXPECT_EQ(answer.json()["refresh_token"], "rft.fixture.refresh.token.2");
  EXPECT_EQ(bridge_.triggers(), std::vector<std::string>{"token_refreshed"});
}

TEST_F(TikTokConnectorTest, ARejectedRefreshTokenAsksForReconnectAPassingFailureDoesNot) {
  queue("/tt_user/oauth2/refresh_token/", "tt_user_oauth2_refresh_token.code_40107");
  queue("/tt_user/oauth2/refresh_token/", "tt_user_oauth2_refresh_token.code_40103");
  queue("/tt_user/oauth2/refresh_token/", "tt_user_oauth2_refresh_token.code_50000");
  EXPECT_EQ(call(Operation::refresh_token, {{"credentials", credentials()}}).status,
            SPARKS_ERR_UNAUTHORIZED);
  EXPECT_EQ(call(Operation::refresh_token, {{"credentials", credentials()}}).status,
            SPARKS_ERR_UNAUTHORIZED);
  EXPECT_EQ(call(Operation::refresh_token, {{"credentials", credentials()}}).status,
            SPARKS_ERR_UNAVAILABLE);
  EXPECT_EQ(bridge_.triggers(),
            (std::vector<std::string>{"refresh_token_rejected", "refresh_token_rejected",
                                      "token_refresh_failed"}));
  EXPECT_EQ(platform_->requests().size(), 3u) << "one request per refresh, no retry loop";
}

TEST_F(TikTokConnectorTest, RevokeSendsTheAccessToken) {
  queue("/tt_user/oauth2/revoke/", "tt_user_oauth2_revoke");
  Answer answer = call(Operation::revoke, {{"credentials", credentials()}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  expect_request(platform_->requests().at(0), "tt_user_oauth2_revoke");
}

// ---- the account
// ----------------------------------------------------------------------------------

TEST_F(TikTokConnectorTest, AccountSubscribesWebhooksOnceAndSwitchesOnCommentToMessage) {
  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list");
  queue("/business/message/direct_reply/get/", "business_message_direct_reply_get");
  queue("/business/webhook/update/", "business_webhook_update.comment");
  queue("/business/webhook/update/", "business_webhook_update.direct_message");
  queue("/business/message/direct_reply/update/", "business_message_direct_reply_update");
  Answer answer = call(Operation::get_account, {{"credentials", credentials()}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  // business/get names no business the account belongs to (docs/connectors.md): business_id null.
  EXPECT_EQ(answer.json(), json::parse(R"({"id":"-000Biz7xL2mQ9vR4tWsparks","name":"Lumen Studio",)"
                                       R"("username":"lumen.studio","type":"business",)"
                                       R"("business_id":null,"unavailable":[]})"));
  const auto sent = platform_->requests();
  ASSERT_EQ(sent.size(), 6u);
  expect_request(sent[0], "business_get");
  expect_request(sent[1], "business_message_conversation_list");
  expect_request(sent[2], "business_message_direct_reply_get");
  expect_request(sent[3], "business_webhook_update.comment");
  expect_request(sent[4], "business_webhook_update.direct_message");
  expect_request(sent[5], "business_message_direct_reply_update");

  // Again: subscribed already for this URL, and Comment-to-Message is on.
  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list");
  queue("/business/message/direct_reply/get/", "business_message_direct_reply_get.enabled");
  ASSERT_EQ(call(Operation::get_account, {{"credentials", credentials()}}).status, SPARKS_OK);
  EXPECT_EQ(platform_->requests().size(), 9u);
}

TEST_F(TikTokConnectorTest, AFailedSubscriptionDoesNotFailTheConnectAndIsTriedAgain) {
  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list");
  queue("/business/message/direct_reply/get/", "business_message_direct_reply_get.enabled");
  queue("/business/webhook/update/", "business_webhook_update.code_40002");
  queue("/business/webhook/update/", "business_webhook_update.direct_message");
  ASSERT_EQ(call(Operation::get_account, {{"credentials", credentials()}}).status, SPARKS_OK);
  EXPECT_EQ(platform_->requests().size(), 5u);

  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list");
  queue("/business/message/direct_reply/get/", "business_message_direct_reply_get.enabled");
  queue("/business/webhook/update/", "business_webhook_update.comment");
  queue("/business/webhook/update/", "business_webhook_update.direct_message");
  ASSERT_EQ(call(Operation::get_account, {{"credentials", credentials()}}).status, SPARKS_OK);
  EXPECT_EQ(platform_->requests().size(), 10u) << "subscribed again after the failure";
}

TEST_F(TikTokConnectorTest, AccountSaysWhenBusinessMessagingIsNotOffered) {
  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list.code_40001");
  queue("/business/webhook/update/", "business_webhook_update.comment");
  queue("/business/webhook/update/", "business_webhook_update.direct_message");
  Answer answer = call(Operation::get_account, {{"credentials", credentials()}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  const json::array unavailable = answer.json()["unavailable"].as_array();
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_EQ(unavailable[0].at("action"), "tiktok.send_dm");
  EXPECT_NE(
      str(unavailable[0].as_object().if_contains("reason")).find("EEA, Switzerland or the UK"),
      std::string::npos);
}

TEST_F(TikTokConnectorTest, AccountSaysWhenCommentToMessageIsNotOffered) {
  queue("/business/get/", "business_get");
  queue("/business/message/conversation/list/", "business_message_conversation_list");
  queue("/business/message/direct_reply/get/", "business_message_direct_reply_get.code_40001");
  queue("/business/webhook/update/", "business_webhook_update.comment");
  queue("/business/webhook/update/", "business_webhook_update.direct_message");
  Answer answer = call(Operation::get_account, {{"credentials", credentials()}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  const json::array unavailable = answer.json()["unavailable"].as_array();
  ASSERT_EQ(unavailable.size(), 1u);
  EXPECT_EQ(unavailable[0].at("action"), "tiktok.send_dm");
  EXPECT_EQ(unavailable[0].at("mode"), "reply_to_comment_id");
  EXPECT_NE(str(unavailable[0].as_object().if_contains("reason")).find("Vietnam"),
            std::string::npos);
  EXPECT_EQ(platform_->requests().size(), 5u) << "no direct_reply/update where it is not offered";
}

TEST_F(TikTokConnectorTest, AnInvalidAccessTokenIsUnauthorized) {
  queue("/business/get/", "business_get.code_40105");
  EXPECT_EQ(call(Operation::get_account, {{"credentials", credentials()}}).status,
            SPARKS_ERR_UNAUTHORIZED);
}

// ---- sync
// -----------------------------------------------------------------------------------------

TEST_F(TikTokConnectorTest, PostsArePagedWithTheVideoList) {
  queue("/business/video/list/", "business_video_list");
  queue("/business/video/list/", "business_video_list.page2");
  Answer first = call(Operation::sync, {{"credentials", credentials()}, {"what", "posts"}});
  ASSERT_EQ(first.status, SPARKS_OK) << first.text;
  json::object page = first.json();
  ASSERT_EQ(page["items"].as_array().size(), 2u);
  EXPECT_EQ(page["items"].as_array()[0].at("id"), "7350000000000000101");
  EXPECT_EQ(page["items"].as_array()[0].at("title"), "Spring glaze drop: three new colours");
  EXPECT_EQ(page["next_cursor"], "1716900000000");
  Answer second =
      call(Operation::sync,
           {{"credentials", credentials()}, {"what", "posts"}, {"cursor", page["next_cursor"]}});
  ASSERT_EQ(second.status, SPARKS_OK) << second.text;
  EXPECT_FALSE(second.json().contains("next_cursor"));
  const auto sent = platform_->requests();
  expect_request(sent[0], "business_video_list");
  expect_request(sent[1], "business_video_list.page2");
}

TEST_F(TikTokConnectorTest, CommentsWalkEveryVideoFollowShortPagesAndDropRepeats) {
  queue("/business/video/list/", "business_video_list");
  queue("/business/comment/list/", "business_comment_list");
  queue("/business/comment/list/", "business_comment_list.page2");
  Answer first = call(Operation::sync, {{"credentials", credentials()}, {"what", "comments"}});
  ASSERT_EQ(first.status, SPARKS_OK) << first.text;
  json::object page = first.json();
  std::vector<std::string> ids;
  for (const auto& item : page["items"].as_array())
    ids.push_back(str(item.as_object().if_contains("id")));
  EXPECT_EQ(ids, (std::vector<std::string>{"7360000000000000201", "7360000000000000202",
                                           "7360000000000000203"}));
  const json::object& reply = page["items"].as_array()[2].as_object();
  EXPECT_EQ(reply.at("create_time"), 1717100200);
  EXPECT_EQ(reply.at("parent_comment_id"), "7360000000000000201");
  EXPECT_EQ(reply.at("user"), "uid_cai_71ad");
  EXPECT_EQ(reply.at("video_id"), "7350000000000000101");
  ASSERT_TRUE(page["next_cursor"].is_string());
  auto sent = platform_->requests();
  ASSERT_EQ(sent.size(), 3u);
  expect_request(sent[0], "business_video_list");
  expect_request(sent[1], "business_comment_list");
  expect_request(sent[2], "business_comment_list.page2");

  // The next page is the next video; then the video list's next page.
  queue("/business/comment/list/", "business_comment_list.video_102");
  Answer second =
      call(Operation::sync,
           {{"credentials", credentials()}, {"what", "comments"}, {"cursor", page["next_cursor"]}});
  ASSERT_EQ(second.status, SPARKS_OK) << second.text;
  EXPECT_TRUE(second.json()["items"].as_array().empty());
  ASSERT_TRUE(second.json()["next_cursor"].is_string()) << "the video list has more";
  expect_request(platform_->requests().at(3), "business_comment_list.video_102");

  queue("/business/video/list/", "business_video_list.page2");
  queue("/business/comment/list/", "business_comment_list.video_102");
  Answer third = call(Operation::sync, {{"credentials", credentials()},
                                        {"what", "comments"},
                                        {"cursor", second.json()["next_cursor"]}});
  ASSERT_EQ(third.status, SPARKS_OK) << third.text;
  EXPECT_FALSE(third.json().contains("next_cursor"));
  expect_request(platform_->requests().at(4), "business_video_list.page2");
}

TEST_F(TikTokConnectorTest, ARefusedCommentListIsAnInvalidArgument) {
  queue("/business/video/list/", "business_video_list");
  queue("/business/comment/list/", "business_comment_list.code_40002");
  EXPECT_EQ(call(Operation::sync, {{"credentials", credentials()}, {"what", "comments"}}).status,
            SPARKS_ERR_INVALID_ARGUMENT);
}

// ---- actions
// --------------------------------------------------------------------------------------

TEST_F(TikTokConnectorTest, DmToAConversation) {
  queue("/business/message/send/", "business_message_send");
  Answer answer =
      action("tiktok.send_dm", {{"conversation_id", "conv_0f9e8d7c6b5a"},
                                {"text", "Thanks for writing! The blue glaze is back Friday."}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(), json::parse(R"({"message_id":"msg_5e4d3c2b1a00",)"
                                       R"("conversation_id":"conv_0f9e8d7c6b5a"})"));
  expect_request(platform_->requests().at(0), "business_message_send");
}

TEST_F(TikTokConnectorTest, DmAnsweringAHighIntentComment) {
  queue("/business/message/send/", "business_message_send.direct_reply");
  Answer answer = action(
      "tiktok.send_dm", {{"reply_to_comment_id", "7360000000000000201"},
                         {"text", "Hi! It is 39 EUR, here is the link: https://shop.example/p/1"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json()["message_id"], "msg_5e4d3c2b1a01");
  EXPECT_EQ(answer.json()["conversation_id"], "conv_1a2b3c4d5e6f");
  expect_request(platform_->requests().at(0), "business_message_send.direct_reply");
}

TEST_F(TikTokConnectorTest, ThrottlingAndAClosedWindowAreTheEnginesStatuses) {
  queue("/business/message/send/", "business_message_send.code_40100");
  queue("/business/message/send/", "business_message_send.window_closed");
  const json::object params{{"conversation_id", "conv_0f9e8d7c6b5a"}, {"text", "hello"}};
  EXPECT_EQ(action("tiktok.send_dm", params).status, SPARKS_ERR_RATE_LIMITED);
  Answer refused = action("tiktok.send_dm", params);
  EXPECT_EQ(refused.status, SPARKS_ERR_FORBIDDEN);
  EXPECT_NE(refused.text.find("has not messaged you in the last 48 hours"), std::string::npos)
      << refused.text;
  EXPECT_EQ(action("tiktok.send_dm",
                   {{"conversation_id", "c"}, {"reply_to_comment_id", "m"}, {"text", "x"}})
                .status,
            SPARKS_ERR_INVALID_ARGUMENT);
}

TEST_F(TikTokConnectorTest, CommentReplyAndItsLengthLimit) {
  queue("/business/comment/reply/create/", "business_comment_reply_create");
  Answer answer = action("tiktok.reply_comment", {{"comment_id", "7360000000000000201"},
                                                  {"video_id", "7350000000000000101"},
                                                  {"text", "It is 39 EUR, link in bio!"}});
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(), json::parse(R"({"comment_id":"7360000000000000299"})"));
  expect_request(platform_->requests().at(0), "business_comment_reply_create");

  Answer too_long = action("tiktok.reply_comment", {{"comment_id", "7360000000000000201"},
                                                    {"video_id", "7350000000000000101"},
                                                    {"text", std::string(1201, 'a')}});
  EXPECT_EQ(too_long.status, SPARKS_ERR_INVALID_ARGUMENT);
  // 1,200 characters of two bytes each are within the limit.
  std::string accented;
  for (int i = 0; i < 1200; ++i) accented += "\xC3\xA9";
  queue("/business/comment/reply/create/", "business_comment_reply_create");
  EXPECT_EQ(
      action("tiktok.reply_comment", {{"comment_id", "1"}, {"video_id", "2"}, {"text", accented}})
          .status,
      SPARKS_OK);
  EXPECT_EQ(platform_->requests().size(), 2u) << "the long reply was refused before any call";
}

// ---- find_action: did an interrupted action take effect?
// ------------------------------------------------------

// The fixture conversation: Ava wrote at 1717100400; the business's DM is at 1717100460 and
// another text of its own at 1717100470 (business_message_content_list.response.json).
const std::string kConversation = "conv_0f9e8d7c6b5a";
const std::string kDmText = "Thanks for writing! The blue glaze is back Friday.";

TEST_F(TikTokConnectorTest, AnInterruptedDmIsFoundInItsConversation) {
  queue("/business/message/content/list/", "business_message_content_list");
  Answer answer =
      find("tiktok.send_dm", {{"conversation_id", kConversation}, {"text", kDmText}}, 1717100450);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(),
            json::parse(R"({"found":true,"result":{"conversation_id":"conv_0f9e8d7c6b5a",)"
                        R"("message_id":"msg_5e4d3c2b1a00"}})"));
  expect_request(platform_->requests().at(0), "business_message_content_list");
}

TEST_F(TikTokConnectorTest, ADmNotInTheConversationIsNotFound) {
  // The person's message says the very words, but only the business's own messages count.
  queue("/business/message/content/list/", "business_message_content_list.not_answered");
  Answer answer =
      find("tiktok.send_dm", {{"conversation_id", kConversation}, {"text", kDmText}}, 1717100000);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(), json::parse(R"({"found":false})"));
}

TEST_F(TikTokConnectorTest, AnotherTextOfTheBusinessIsNotTheDm) {
  queue("/business/message/content/list/", "business_message_content_list");
  Answer answer =
      find("tiktok.send_dm",
           {{"conversation_id", kConversation}, {"text", "The blue glaze is back!"}}, 1717100450);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(), json::parse(R"({"found":false})"));
}

TEST_F(TikTokConnectorTest, TheSameTextSentBeforeTheCallStartedIsNotTheDm) {
  queue("/business/message/content/list/", "business_message_content_list");
  Answer answer =
      find("tiktok.send_dm", {{"conversation_id", kConversation}, {"text", kDmText}}, 1717100461);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(), json::parse(R"({"found":false})"));
}

TEST_F(TikTokConnectorTest, ACommentToMessageDmCannotBeLookedUp) {
  Answer answer =
      find("tiktok.send_dm", {{"reply_to_comment_id", "7360000000000000201"}, {"text", kDmText}},
           1717100450);
  EXPECT_EQ(answer.status, SPARKS_ERR_UNSUPPORTED) << answer.text;
  EXPECT_TRUE(platform_->requests().empty()) << "nothing to ask TikTok";
}

TEST_F(TikTokConnectorTest, LookingUpADmMapsThePlatformsRefusals) {
  queue("/business/message/content/list/", "business_message_send.code_40100");
  queue("/business/message/content/list/", "business_message_content_list.code_40002");
  const json::object params{{"conversation_id", kConversation}, {"text", kDmText}};
  EXPECT_EQ(find("tiktok.send_dm", params, 1717100450).status, SPARKS_ERR_RATE_LIMITED);
  EXPECT_EQ(find("tiktok.send_dm", params, 1717100450).status, SPARKS_ERR_INVALID_ARGUMENT);
  Answer no_since =
      call(Operation::find_action,
           {{"credentials", credentials()}, {"action", "tiktok.send_dm"}, {"params", params}});
  EXPECT_EQ(no_since.status, SPARKS_ERR_INVALID_ARGUMENT) << no_since.text;
}

TEST_F(TikTokConnectorTest, AnInterruptedCommentReplyIsFoundAmongTheReplies) {
  const json::object params{{"comment_id", "7360000000000000201"},
                            {"video_id", "7350000000000000101"},
                            {"text", "It is 39 EUR, link in bio!"}};
  queue("/business/comment/reply/list/", "business_comment_reply_list");
  Answer answer = find("tiktok.reply_comment", params, 1717100490);
  ASSERT_EQ(answer.status, SPARKS_OK) << answer.text;
  EXPECT_EQ(answer.json(),
            json::parse(R"({"found":true,"result":{"comment_id":"7360000000000000299"}})"));
  expect_request(platform_->requests().at(0), "business_comment_reply_list");

  // After the account's reply, only a fan's older one says the same: not found.
  queue("/business/comment/reply/list/", "business_comment_reply_list");
  Answer later = find("tiktok.reply_comment", params, 1717100501);
  ASSERT_EQ(later.status, SPARKS_OK) << later.text;
  EXPECT_EQ(later.json(), json::parse(R"({"found":false})"));
}

TEST_F(TikTokConnectorTest, AnUnknownActionIsNotFound) {
  EXPECT_EQ(find("tiktok.nope", {}, 1717100450).status, SPARKS_ERR_NOT_FOUND);
}

// ---- webhooks
// -------------------------------------------------------------------------------------

TEST_F(TikTokConnectorTest, ANewCommentIsTheOnlyCommentUpdateThatStartsFlows) {
  Verified inserted = deliver("webhook_comment_update_insert");
  ASSERT_EQ(inserted.status, SPARKS_OK) << inserted.error;
  ASSERT_EQ(inserted.events.size(), 1u);
  const WebhookEvent& event = inserted.events[0];
  EXPECT_EQ(event.id, "comment:7360000000000000201");
  EXPECT_EQ(event.trigger, "tiktok.comment");
  EXPECT_EQ(event.account, kOpenId);
  EXPECT_EQ(json::parse(event.payload_json),
            json::parse(R"({"comment_id":"7360000000000000201","video_id":"7350000000000000101",)"
                        R"("parent_comment_id":"","text":"price?","user":"uid_ava_9f31",)"
                        R"("username":"","is_live":false,"created_at":1717100000})"));

  Verified reply = deliver("webhook_comment_update_reply_insert");
  ASSERT_EQ(reply.events.size(), 1u);
  EXPECT_EQ(parse_object(reply.events[0].payload_json)["parent_comment_id"], "7360000000000000201");

  for (const char* name :
       {"webhook_comment_update_delete", "webhook_comment_update_set_to_hidden",
        "webhook_comment_update_set_to_friends_only", "webhook_comment_update_set_to_public"}) {
    Verified other = deliver(name);
    EXPECT_EQ(other.status, SPARKS_OK) << name;
    EXPECT_TRUE(other.events.empty()) << name;
  }
}

// An event without its id could not be told from its redeliveries, nor from other id-less ones:
// it is refused, with the reason, rather than stored under an id they would all share.
TEST_F(TikTokConnectorTest, AnEventWithoutItsIdIsRefusedWithTheReason) {
  Verified comment = deliver_without("webhook_comment_update_insert", "comment_id");
  EXPECT_EQ(comment.status, SPARKS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(comment.error, "comment.update carries no comment_id");
  Verified high_intent = deliver_without("webhook_im_receive_high_intent_comment", "comment_id");
  EXPECT_EQ(high_intent.status, SPARKS_ERR_INVALID_ARGUMENT);
  Verified message = deliver_without("webhook_im_receive_msg_inbound", "message_id");
  EXPECT_EQ(message.status, SPARKS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(message.error, "im_receive_msg carries no message_id");
}

TEST_F(TikTokConnectorTest, AnInboundMessageIsADmItsEchoIsNothing) {
  Verified inbound = deliver("webhook_im_receive_msg_inbound");
  ASSERT_EQ(inbound.status, SPARKS_OK) << inbound.error;
  ASSERT_EQ(inbound.events.size(), 1u);
  EXPECT_EQ(inbound.events[0].id, "message:msg_9a8b7c6d5e4f");
  EXPECT_EQ(inbound.events[0].trigger, "tiktok.dm");
  EXPECT_EQ(json::parse(inbound.events[0].payload_json),
            json::parse(R"({"conversation_id":"conv_0f9e8d7c6b5a","message_id":"msg_9a8b7c6d5e4f",)"
                        R"("user":"uid_ava_9f31","text":"is the blue glaze back?",)"
                        R"("sent_at":1717100400})"));
  Verified echo = deliver("webhook_im_receive_msg_outbound");
  EXPECT_EQ(echo.status, SPARKS_OK);
  EXPECT_TRUE(echo.events.empty());
}

TEST_F(TikTokConnectorTest, AHighIntentCommentIsItsOwnTrigger) {
  Verified verified = deliver("webhook_im_receive_high_intent_comment");
  ASSERT_EQ(verified.status, SPARKS_OK) << verified.error;
  ASSERT_EQ(verified.events.size(), 1u);
  EXPECT_EQ(verified.events[0].id, "high_intent_comment:7360000000000000201");
  EXPECT_EQ(verified.events[0].trigger, "tiktok.high_intent_comment");
  json::object payload = parse_object(verified.events[0].payload_json);
  EXPECT_EQ(payload["comment_id"], "7360000000000000201");
  EXPECT_EQ(payload["text"], "price?");
  EXPECT_EQ(payload["user"], "uid_ava_9f31");
  EXPECT_EQ(payload["created_at"], 1717100000);
  EXPECT_EQ(payload["is_live"], false);
}

TEST_F(TikTokConnectorTest, RemovalIsALifecycleEventUnknownEventsAreAcknowledged) {
  Verified removed = deliver("webhook_authorization_removed");
  ASSERT_EQ(removed.events.size(), 1u);
  EXPECT_EQ(removed.events[0].trigger, "authorization_removed");
  Verified unknown = deliver("webhook_unknown_event");
  EXPECT_EQ(unknown.status, SPARKS_OK);
  EXPECT_TRUE(unknown.events.empty());
  EXPECT_EQ(deliver("webhook_comment_update_insert", unix_now() - 3600).status,
            SPARKS_ERR_BAD_SIGNATURE);
}

}  // namespace

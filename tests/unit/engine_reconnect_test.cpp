// Reconnecting keeps the integration working (docs/lifecycle.md, "Reconnecting"): Connect on a
// live integration opens a new OAuth session, but the integration stays live on its current grant
// (its flows run, its DMs are sent) until the new authorization completes or its session expires.
// The real TikTok connector against the sandbox on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "support/engine_rig.hpp"
#include "support/tiktok_scopes.hpp"

namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using sparks::Actor;
using sparks::IntegrationKey;
using sparks::Role;

const auto& kAllTikTok = sparks::testing::kEveryTikTokScope;
const auto& kAllButDms = sparks::testing::kEveryTikTokScopeButSend;
const Actor kAna = Actor::member("ana", Role::owner);
const IntegrationKey kTikTok{"w1", "tiktok"};

class ReconnectTest : public sparks::testing::EngineRig {
 protected:
  // Connected with every scope, a flow that thanks commenters by DM live, and fan-1 free to be
  // messaged (they wrote first).
  void connected_with_a_live_flow() {
    ASSERT_EQ(connect(kTikTok, "creator", kAllTikTok, kAna).value.at("state"), "connected");
    ASSERT_NO_FATAL_FAILURE(publish_thanks_flow("w1", kAna));
  }

  // Connect on the live integration: the consent page to send the owner to.
  std::string reconnect() {
    const auto started = wait_reply([&](auto done) { engine_->connect(kTikTok, kAna, done); });
    EXPECT_FALSE(started.error) << started.error->message;
    if (started.error) return {};
    EXPECT_FALSE(started.value.at("authorize_url").as_string().empty());
    return std::string(started.value.at("authorize_url").as_string());
  }
};

TEST_F(ReconnectTest, TheIntegrationKeepsWorkingUntilTheNewAuthorizationCompletes) {
  ASSERT_NO_FATAL_FAILURE(connected_with_a_live_flow());
  const std::string authorize_url = reconnect();
  ASSERT_FALSE(authorize_url.empty());

  auto c = card(kTikTok, kAna);
  EXPECT_EQ(c.at("status"), "Connected");
  EXPECT_EQ(c.at("state"), "connected");
  EXPECT_EQ(c.at("reauthorizing"), true);

  // A comment arriving meanwhile runs the flow: its DM is sent on the current grant.
  ASSERT_NO_FATAL_FAILURE(fan_writes_and_comments("creator", "video-1", "fan-1", 0));
  run_until_seen("the DM sent while reconnecting", [&] { return sent_messages("creator") > 0; });
  EXPECT_EQ(sent_messages("creator"), 1u);

  // The new authorization completes, with one scope less: partially connected on the new grant.
  const auto done = callback("tiktok", answer_consent(authorize_url, "creator", kAllButDms));
  ASSERT_FALSE(done.error) << done.error->message;
  EXPECT_EQ(done.value.at("state"), "partial-scopes");
  c = card(kTikTok, kAna);
  EXPECT_EQ(c.at("status"), "Partially connected");
  EXPECT_EQ(c.at("missing_scopes"), json::array{"message.list.send"});
  EXPECT_EQ(c.at("reauthorizing"), false);

  // And again with every scope: connected, the scopes updated, never through authorizing.
  const auto full = callback("tiktok", answer_consent(reconnect(), "creator", kAllTikTok));
  ASSERT_FALSE(full.error) << full.error->message;
  EXPECT_EQ(full.value.at("state"), "connected");
  EXPECT_EQ(full.value.at("message"), "TikTok is connected");
  c = card(kTikTok, kAna);
  EXPECT_EQ(c.at("status"), "Connected");
  EXPECT_TRUE(c.at("missing_scopes").as_array().empty());
  EXPECT_EQ(c.at("granted_scopes").as_array().size(), kAllTikTok.size());
  EXPECT_EQ(history(kTikTok).rfind("authorizing"), 0u) << "only the first connect went there";
  EXPECT_EQ(refresh(kTikTok), "") << "the new grant's token works";
}

TEST_F(ReconnectTest, AnAbandonedReconnectChangesNothingButTheMarker) {
  ASSERT_NO_FATAL_FAILURE(connected_with_a_live_flow());
  const std::string authorize_url = reconnect();
  ASSERT_FALSE(authorize_url.empty());
  const auto query = answer_consent(authorize_url, "creator", kAllTikTok);
  ASSERT_EQ(card(kTikTok, kAna).at("reauthorizing"), true);

  // The session's ten minutes pass: the marker goes, the integration is as it was.
  move_clock(11min);
  const auto c = card(kTikTok, kAna);
  EXPECT_EQ(c.at("reauthorizing"), false);
  EXPECT_EQ(c.at("status"), "Connected");
  EXPECT_TRUE(issue_message(c, "authorization_expired").empty()) << json::serialize(c);
  const auto late = callback("tiktok", query);
  ASSERT_TRUE(late.error) << json::serialize(late.value);
  EXPECT_EQ(late.error->code, "invalid_state");
  EXPECT_EQ(card(kTikTok, kAna).at("status"), "Connected");
  EXPECT_EQ(history(kTikTok).rfind("authorizing"), 0u) << history(kTikTok);

  // The flow still runs on the grant the integration kept.
  ASSERT_NO_FATAL_FAILURE(fan_writes_and_comments("creator", "video-1", "fan-1", 0));
  run_until_seen("the DM after the abandoned reconnect",
                 [&] { return sent_messages("creator") > 0; });
  EXPECT_EQ(sent_messages("creator"), 1u);
}

// A refused re-authorization (here a personal account) leaves the old grant working, with the
// reason on the card; so does a denied consent.
TEST_F(ReconnectTest, ARefusedOrDeniedReconnectKeepsTheGrantItHad) {
  ASSERT_NO_FATAL_FAILURE(connected_with_a_live_flow());
  const auto personal = callback("tiktok", answer_consent(reconnect(), "personal", kAllTikTok));
  ASSERT_FALSE(personal.error) << personal.error->message;
  EXPECT_EQ(personal.value.at("refusal"), "personal_account");
  EXPECT_EQ(personal.value.at("state"), "connected");
  auto c = card(kTikTok, kAna);
  EXPECT_EQ(c.at("status"), "Connected");
  EXPECT_EQ(c.at("account").at("username"), "creator.studio");
  EXPECT_FALSE(issue_message(c, "personal_account").empty());
  EXPECT_EQ(c.at("reauthorizing"), false);

  std::optional<sparks::sandbox::ConsentResult> consent;
  sparks::sandbox::answer_consent(
      io_.get_executor(), reconnect(), {"creator", {}, false},
      [&](sparks::sandbox::ConsentResult r) { consent = std::move(r); });
  run_until_seen("the consent page's refusal", [&] { return consent.has_value(); });
  auto parsed = boost::urls::parse_uri(consent->redirect_url);
  ASSERT_TRUE(parsed);
  const auto denied =
      callback("tiktok",
               sparks::http::decode_form(parsed->encoded_query()).value_or(sparks::http::Fields{}));
  ASSERT_FALSE(denied.error) << denied.error->message;
  EXPECT_EQ(denied.value.at("state"), "connected");
  EXPECT_NE(std::string(denied.value.at("message").as_string()).find("not granted"),
            std::string::npos)
      << json::serialize(denied.value);
  EXPECT_FALSE(issue_message(card(kTikTok, kAna), "consent_denied").empty());

  EXPECT_EQ(refresh(kTikTok), "") << "the grant it had still works";
  ASSERT_NO_FATAL_FAILURE(fan_writes_and_comments("creator", "video-1", "fan-1", 0));
  run_until_seen("the DM on the kept grant", [&] { return sent_messages("creator") > 0; });
  EXPECT_EQ(history(kTikTok).rfind("authorizing"), 0u) << history(kTikTok);
}

}  // namespace

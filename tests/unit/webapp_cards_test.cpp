// The integration cards as HTML for each state the lifecycle shows, as an owner and as a member
// sees them; the flash after an action or the OAuth callback; the callback's redirect.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>

#include "webapp/automation_html.hpp"
#include "webapp/cards_html.hpp"
#include "webapp/flash.hpp"
#include "webapp/oauth_redirect.hpp"

namespace sparks::webapp {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const Viewer kOwner{"acme", Actor::member("olivia", Role::owner), "tok"};
const Viewer kMember{"acme", Actor::member("max", Role::member), "tok"};
const Clock::time_point kNow = Clock::from_time_t(1'796'000'000);

std::string rfc(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool has(const std::string& html, const std::string& part) {
  return html.find(part) != std::string::npos;
}

json::object card(const char* platform, const char* status, const char* dot) {
  return {{"platform", platform},
          {"state", "x"},
          {"status", status},
          {"dot", dot},
          {"account", nullptr},
          {"granted_scopes", json::array()},
          {"missing_scopes", json::array()},
          {"last_sync", nullptr},
          {"webhook", "waiting"},
          {"issues", json::array()}};
}

json::object connected() {
  auto c = card("tiktok", "Connected", "green");
  c["account"] = {
      {"id", "open-1"}, {"name", "Ana's Shop"}, {"username", "ana"}, {"type", "business"}};
  c["granted_scopes"] = {"user.info.basic", "video.list"};
  c["last_sync"] = rfc(kNow - 3min);
  c["webhook"] = "receiving";
  return c;
}

TEST(WebappCardsTest, AConnectedCardShowsEveryFieldOfTheHelpPage) {
  const auto html = card_html(connected(), kOwner, kNow);
  EXPECT_TRUE(has(html, "<article class=\"card\" data-platform=\"tiktok\""));
  EXPECT_TRUE(has(html, "<h2 id=\"card-tiktok\">TikTok</h2>"));
  EXPECT_TRUE(has(html,
                  "<dt>Status</dt><dd data-field=\"status\"><span class=\"dot dot-green\" "
                  "aria-hidden=\"true\"></span> Connected</dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"last_sync\"><time datetime=\"" + rfc(kNow - 3min) +
                            "\" title=\"" + exact_time(kNow - 3min) +
                            "\">3 minutes ago</time></dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"webhook\">Receiving events</dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"account\">@ana (Ana&#39;s Shop) · business</dd>"));
  EXPECT_TRUE(has(html,
                  "<dd data-field=\"granted_scopes\"><ul><li>user.info.basic</li><li>video.list"
                  "</li></ul></dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"missing_scopes\">None</dd>"));
  EXPECT_TRUE(has(html, "<ul class=\"issues\"></ul>"));
  EXPECT_TRUE(has(html,
                  "<form method=\"post\" action=\"/app/workspaces/acme/integrations/tiktok/"
                  "connect\"><input type=\"hidden\" name=\"csrf\" value=\"tok\"><button "
                  "type=\"submit\" data-action=\"connect\">Connect TikTok</button></form>"));
  EXPECT_TRUE(has(html,
                  "<a class=\"button\" data-action=\"disconnect\" "
                  "href=\"/app/workspaces/acme/integrations/tiktok/disconnect\">Disconnect</a>"));
  EXPECT_FALSE(has(html, "disabled"));
  EXPECT_FALSE(has(html, "why-disabled"));
}

TEST(WebappCardsTest, APartialCardListsTheMissingScopesAndItsIssueWithTroubleshooting) {
  auto c = connected();
  c["status"] = "Partially connected";
  c["dot"] = "yellow";
  c["missing_scopes"] = {"message.list.send"};
  c["issues"] = {{{"code", "missing_scopes"},
                  {"message", "DMs can't be sent: <message.list.send> not granted"},
                  {"troubleshooting", "Troubleshooting → Missing permissions"}}};
  const auto html = card_html(c, kOwner, kNow);
  EXPECT_TRUE(has(html, "dot dot-yellow\" aria-hidden=\"true\"></span> Partially connected</dd>"));
  EXPECT_TRUE(
      has(html, "<dd data-field=\"missing_scopes\"><ul><li>message.list.send</li></ul></dd>"));
  EXPECT_TRUE(has(html,
                  "<li data-issue=\"missing_scopes\"><span class=\"message\">DMs can&#39;t be "
                  "sent: &lt;message.list.send&gt; not granted</span> <span "
                  "class=\"troubleshooting\">Troubleshooting → Missing permissions</span></li>"));
  EXPECT_TRUE(has(html, "data-action=\"disconnect\""));
}

TEST(WebappCardsTest, AnAuthorizingCardWaitsAndOffersOnlyConnect) {
  const auto html = card_html(card("tiktok_shop", "Authorizing", "grey"), kOwner, kNow);
  EXPECT_TRUE(has(html, "<h2 id=\"card-tiktok_shop\">TikTok Shop</h2>"));
  EXPECT_TRUE(has(html, "dot dot-grey\" aria-hidden=\"true\"></span> Authorizing</dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"last_sync\">Never</dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"webhook\">Waiting\u2026</dd>"));
  EXPECT_TRUE(has(html, "<dd data-field=\"account\">None</dd>"));
  EXPECT_TRUE(has(html, ">Connect TikTok Shop</button>"));
  EXPECT_FALSE(has(html, "data-action=\"disconnect\""));
}

TEST(WebappCardsTest, APausedCardCarriesItsReasonAndCanBeDisconnected) {
  auto c = connected();
  c["status"] = "Paused";
  c["dot"] = "yellow";
  c["webhook"] = "waiting";
  c["issues"] = {{{"code", "paused"},
                  {"message", "Paused: the token could not be refreshed"},
                  {"troubleshooting", "Troubleshooting → Paused"}}};
  const auto html = card_html(c, kOwner, kNow);
  EXPECT_TRUE(has(html, "dot dot-yellow\" aria-hidden=\"true\"></span> Paused</dd>"));
  EXPECT_TRUE(has(html, "<li data-issue=\"paused\">"));
  EXPECT_TRUE(has(html, "<dd data-field=\"webhook\">Waiting\u2026</dd>"));
  EXPECT_TRUE(has(html, "data-action=\"disconnect\""));
}

TEST(WebappCardsTest, ADisconnectedCardIsRedOnceItWasConnected) {
  const auto html = card_html(card("tiktok", "Disconnected", "red"), kOwner, kNow);
  EXPECT_TRUE(has(html, "dot dot-red\" aria-hidden=\"true\"></span> Disconnected</dd>"));
  EXPECT_TRUE(has(html, "data-action=\"connect\""));
  EXPECT_FALSE(has(html, "data-action=\"disconnect\""));
}

TEST(WebappCardsTest, AnUnknownDotIsGreyAndTextFromTheCardIsEscaped) {
  auto c = card("tiktok", "<b>odd</b>", "purple\" onclick=\"x");
  const auto html = card_html(c, kOwner, kNow);
  EXPECT_TRUE(has(html, "dot dot-grey\""));
  EXPECT_TRUE(has(html, "&lt;b&gt;odd&lt;/b&gt;"));
  EXPECT_FALSE(has(html, "onclick"));
}

TEST(WebappCardsTest, AMemberSeesEveryButtonDisabledAndWhy) {
  const auto html = card_html(connected(), kMember, kNow);
  EXPECT_TRUE(has(html, "<button type=\"submit\" data-action=\"connect\" disabled>Connect TikTok"));
  EXPECT_TRUE(has(html, "<button type=\"button\" data-action=\"disconnect\" disabled>Disconnect"));
  EXPECT_TRUE(has(html,
                  "<p class=\"why-disabled\">Only an owner of this workspace can connect or "
                  "disconnect TikTok.</p>"));
  EXPECT_FALSE(has(html, "href=\"/app/workspaces/acme/integrations/tiktok/disconnect\""));
}

TEST(WebappCardsTest, TheCardsAreOnePerPlatformInTheEnginesOrder) {
  const json::value answer = {
      {"integrations", {connected(), card("tiktok_shop", "Disconnected", "grey")}}};
  const auto html = cards_html(answer, kOwner, kNow);
  const auto tiktok = html.find("data-platform=\"tiktok\"");
  const auto shop = html.find("data-platform=\"tiktok_shop\"");
  ASSERT_NE(tiktok, std::string::npos);
  ASSERT_NE(shop, std::string::npos);
  EXPECT_LT(tiktok, shop);
}

http::Fields query(std::initializer_list<std::pair<std::string, std::string>> fields) {
  return http::Fields(fields);
}

TEST(WebappCardsTest, TheFlashAfterConnectingSaysPartialAndNamesWhatIsMissing) {
  auto partial = connected();
  partial["missing_scopes"] = {"message.list.send", "comment.list"};
  const json::value cards = {{"integrations", {partial}}};
  EXPECT_EQ(flash_html(query({{"flash", "connected"}, {"platform", "tiktok"}}), cards),
            "<div class=\"flash\" role=\"status\" data-flash=\"partial\">TikTok is partially "
            "connected. Not granted: message.list.send, comment.list. Connect again and allow them "
            "for everything to work.</div>");
  const json::value whole = {{"integrations", {connected()}}};
  EXPECT_EQ(flash_html(query({{"flash", "connected"}, {"platform", "tiktok"}}), whole),
            "<div class=\"flash\" role=\"status\" data-flash=\"connected\">TikTok is "
            "connected.</div>");
}

TEST(WebappCardsTest, TheFlashAfterARefusalSaysWhyInTheCardsWords) {
  auto c = card("tiktok", "Disconnected", "grey");
  c["issues"] = {{{"code", "personal_account"},
                  {"message", "This is a personal account"},
                  {"troubleshooting", "Switch to Business"}}};
  const json::value cards = {{"integrations", {c}}};
  EXPECT_EQ(
      flash_html(
          query({{"flash", "refused"}, {"platform", "tiktok"}, {"reason", "personal_account"}}),
          cards),
      "<div class=\"flash\" role=\"status\" data-flash=\"refused\">TikTok refused: This is a "
      "personal account</div>");
  EXPECT_TRUE(
      has(flash_html(
              query({{"flash", "refused"}, {"platform", "tiktok"}, {"reason", "consent_denied"}}),
              cards),
          "declined"));
  EXPECT_TRUE(has(flash_html(query({{"flash", "disconnected"}, {"platform", "tiktok"}}), cards),
                  "data-flash=\"disconnected\">TikTok is disconnected."));
  EXPECT_EQ(flash_html(query({{"flash", "connected"}, {"platform", "elsewhere"}}), cards), "");
  EXPECT_EQ(flash_html(query({{"flash", "<script>"}, {"platform", "tiktok"}}), cards), "");
  EXPECT_EQ(flash_html(query({}), cards), "");
}

TEST(WebappCardsTest, TheCallbackSendsABrowserToItsWorkspacesIntegrationsWithACode) {
  const json::value granted = {{"workspace", "acme"},
                               {"platform", "tiktok"},
                               {"state", "connected"},
                               {"message", "TikTok is connected"},
                               {"refusal", nullptr}};
  auto r = callback_redirect(query({{"code", "c"}, {"state", "s"}}), granted);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.headers["Location"],
            "/app/workspaces/acme/integrations?flash=connected&platform=tiktok");
  const json::value refused = {{"workspace", "acme"},
                               {"platform", "tiktok"},
                               {"state", "x"},
                               {"message", "m"},
                               {"refusal", "personal_account"}};
  EXPECT_EQ(
      callback_redirect(query({}), refused).headers["Location"],
      "/app/workspaces/acme/integrations?flash=refused&platform=tiktok&reason=personal_account");
  const json::value denied = {{"workspace", "acme"},
                              {"platform", "tiktok_shop"},
                              {"state", "x"},
                              {"message", "m"},
                              {"refusal", nullptr}};
  EXPECT_EQ(
      callback_redirect(query({{"error", "access_denied"}}), denied).headers["Location"],
      "/app/workspaces/acme/integrations?flash=refused&platform=tiktok_shop&reason=consent_denied");

  http::Request browser;
  browser.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8";
  EXPECT_TRUE(wants_html(browser));
  http::Request client;
  client.headers["Accept"] = "application/json";
  EXPECT_FALSE(wants_html(client));
  EXPECT_FALSE(wants_html(http::Request{}));
}

TEST(WebappCardsTest, AFlowsRowAndItsRunsCarryTheirNames) {
  const json::object flow = {{"id", "price-dm"}, {"name", "Price <DM>"}, {"version", 3},
                             {"status", "live"}, {"paused_by", nullptr}, {"warnings", {"w1"}}};
  const auto row = flow_row(flow, kOwner);
  EXPECT_TRUE(has(row, "<tr data-flow=\"price-dm\">"));
  EXPECT_TRUE(has(row, ">Price &lt;DM&gt;</a></td>"));
  EXPECT_TRUE(has(row, "<td data-field=\"version\" data-label=\"Version\">3</td>"));
  EXPECT_TRUE(
      has(row, "<td data-field=\"warnings\" data-label=\"Warnings\"><ul><li>w1</li></ul></td>"));
  EXPECT_TRUE(has(row, "<button type=\"submit\" data-action=\"pause\">Pause</button>"));
  EXPECT_TRUE(has(flow_row(flow, kMember), "data-action=\"pause\" disabled>Pause</button>"));

  const json::object runs = {
      {"runs",
       {{{"event_id", 42},
         {"at", rfc(kNow - 2h)},
         {"flow_version", 3},
         {"trigger", "tiktok.comment"},
         {"user", "fan"},
         {"outcome", "skipped"},
         {"reason", "outside the messaging window"},
         {"steps", {{{"action", "tiktok.send_dm"}, {"status", "skipped"}, {"error", nullptr}}}}}}}};
  const auto table = runs_table(runs, kNow);
  EXPECT_TRUE(has(table, "<tr data-run=\"42\">"));
  EXPECT_TRUE(has(table, "<td data-field=\"outcome\" data-label=\"Outcome\">skipped</td>"));
  EXPECT_TRUE(has(table, "outside the messaging window"));
  EXPECT_TRUE(has(table, "<li data-step-status=\"skipped\">tiktok.send_dm: skipped</li>"));
  EXPECT_TRUE(has(table, ">2 hours ago</time>"));
  EXPECT_EQ(runs_table(json::object{{"runs", json::array()}}, kNow), "<p>No runs yet.</p>");
}

}  // namespace
}  // namespace sparks::webapp

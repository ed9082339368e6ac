// The web app's Integrations page in headless Chromium, against real `sparks sandbox` and
// `sparks serve` processes (tests/support/serve_rig.hpp): the owner signs in, connects TikTok
// through the sandbox's consent page with a scope unticked and then with every scope, sees a
// webhook arrive without reloading, disconnects and finds the live flow paused; a member sees the
// buttons disabled and why; the page fits a phone's width; TikTok Shop is refused, then connected.
// The pages and their DOM are docs/web-app.md's; each step leaves a screenshot (docs/testing.md
// says where).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "e2e/browser_fixture.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"

namespace sparks::testing {
namespace {

namespace json = boost::json;

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string card(const std::string& platform) {
  return "#cards article.card[data-platform='" + platform + "']";
}

std::string field(const std::string& platform, const std::string& name) {
  return card(platform) + " dd[data-field='" + name + "']";
}

class IntegrationsPageBrowserTest : public BrowserTest {
 protected:
  void SetUp() override {
    BrowserTest::SetUp();
    if (IsSkipped()) return;
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    rig_ = std::make_unique<ServeRig>(SPARKS_BINARY, std::string("browser-") + test->name());
  }

  void TearDown() override {
    BrowserTest::TearDown();
    rig_.reset();
  }

  ServeRig& rig() { return *rig_; }
  std::string app(const std::string& path = "") const {
    return rig_->serve_url() + "/app/workspaces/" + ServeRig::kWorkspace + path;
  }

  // The sign-in form, answered with `key`; waits for the Integrations page it leads to.
  void sign_in(const std::string& key) {
    submit_key(key);
    wait_for_page(app("/integrations"));
    browser().wait_for("#cards");
  }

  void submit_key(const std::string& key) {
    browser().navigate(rig().serve_url() + "/app/");
    browser().send_keys(browser().wait_for("form[action='/app/sign-in'] input#api_key"), key);
    browser().click("form[action='/app/sign-in'] button[type=submit]");
  }

  void sign_out() {
    browser().click("form[action='/app/sign-out'] button");
    browser().wait_for("form[action='/app/sign-in'] input#api_key");
  }

  // Waits for the browser to be at `page` (with any query), or anywhere under `page` when `below`.
  void wait_for_page(const std::string& page, bool below = false) {
    std::string at;
    try {
      browser().wait_until("the browser to reach " + page, [&] {
        at = browser().current_url();
        return at == page || starts_with(at, page + "?") || (below && starts_with(at, page));
      });
    } catch (const WaitTimedOut& timed_out) {
      throw std::runtime_error(std::string(timed_out.what()) + "; it is at " + at);
    }
  }

  // Waits until the card's field reads `expected` (the cards refresh by themselves).
  void wait_for_field(const std::string& platform, const std::string& name,
                      const std::string& expected) {
    std::string seen;
    browser().wait_until(platform + "'s " + name + " to read \"" + expected + "\"", [&] {
      seen = browser().text(field(platform, name));
      return seen == expected;
    });
    EXPECT_EQ(seen, expected);
  }

  // On the sandbox's consent page: unticks `unticked` (by their labels), then Approve or Deny.
  void answer_consent(const std::vector<std::string>& unticked, bool approve = true) {
    browser().wait_for("form button[value=approve]");
    for (const auto& scope : unticked) browser().click("label[for='scope-" + scope + "']");
    shot("consent-page");
    browser().click(approve ? "form button[value=approve]" : "form button[value=deny]");
  }

  void connect_in_browser(const std::string& platform, const std::vector<std::string>& unticked) {
    browser().click(card(platform) + " button[data-action='connect']");
    wait_for_page(rig().sandbox_url(), true);
    answer_consent(unticked);
    wait_for_page(app("/integrations"));
    // What the callback carried on is a short code and scope names, never the platform's code.
    const auto landed = browser().current_url();
    EXPECT_FALSE(contains(landed, "code=") || contains(landed, "state=") ||
                 contains(landed, "token"))
        << landed;
  }

  std::string flash(const std::string& kind) {
    return browser().text(browser().wait_for("div.flash[role=status][data-flash='" + kind + "']"));
  }

  bool dot_is(const std::string& platform, const std::string& colour) {
    return browser()
        .find(field(platform, "status") + " span.dot.dot-" + colour + "[aria-hidden=true]")
        .has_value();
  }

  std::vector<std::string> items(const std::string& css) {
    std::vector<std::string> out;
    for (const auto& item : browser().find_all(css)) out.push_back(browser().text(item));
    return out;
  }

 private:
  std::unique_ptr<ServeRig> rig_;
};

TEST_F(IntegrationsPageBrowserTest, TheOwnerConnectsTikTokPartlyThenWithEveryScope) {
  sign_in(ServeRig::kOwnerKey);
  EXPECT_EQ(browser().text("h1"), "Integrations");
  EXPECT_EQ(browser().text(card("tiktok") + " h2"), "TikTok");
  EXPECT_EQ(browser().text(card("tiktok_shop") + " h2"), "TikTok Shop");
  EXPECT_EQ(browser().text(field("tiktok", "status")), "Disconnected");
  EXPECT_EQ(browser().text(field("tiktok_shop", "status")), "Disconnected");
  EXPECT_EQ(browser().text(card("tiktok") + " button[data-action='connect']"), "Connect TikTok");
  EXPECT_EQ(browser().text(card("tiktok_shop") + " button[data-action='connect']"),
            "Connect TikTok Shop");
  const auto navigation = items("nav a");
  for (const auto& link :
       {"Integrations", "Automations", "Inbox", "Contacts", "Orders", "Analytics"})
    EXPECT_NE(std::find(navigation.begin(), navigation.end(), link), navigation.end())
        << link << " is not in the navigation";
  EXPECT_TRUE(browser().find("form[action='/app/sign-out'] button").has_value());
  shot("signed-in");

  connect_in_browser("tiktok", {"message.list.send"});
  EXPECT_TRUE(contains(flash("partial"), "message.list.send"));
  wait_for_field("tiktok", "status", "Partially connected");
  EXPECT_TRUE(dot_is("tiktok", "yellow"));
  const auto missing = items(field("tiktok", "missing_scopes") + " li");
  EXPECT_EQ(missing, std::vector<std::string>{"message.list.send"});
  EXPECT_FALSE(browser().text(field("tiktok", "account")).empty());
  EXPECT_TRUE(
      browser().find(card("tiktok") + " ul.issues li[data-issue='missing_scopes']").has_value());
  shot("partially-connected");

  connect_in_browser("tiktok", {});
  flash("connected");
  wait_for_field("tiktok", "status", "Connected");
  EXPECT_TRUE(dot_is("tiktok", "green"));
  EXPECT_TRUE(items(field("tiktok", "missing_scopes") + " li").empty());
  auto granted = items(field("tiktok", "granted_scopes") + " li");
  std::sort(granted.begin(), granted.end());
  auto every = kEveryTikTokScope;
  std::sort(every.begin(), every.end());
  EXPECT_EQ(granted, every);
  EXPECT_EQ(browser().text(field("tiktok_shop", "status")), "Disconnected");
  shot("connected");
}

TEST_F(IntegrationsPageBrowserTest, AWebhookTurnsWaitingIntoReceivingEventsWithoutAReload) {
  ASSERT_EQ(rig().connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  sign_in(ServeRig::kOwnerKey);
  wait_for_field("tiktok", "status", "Connected");
  EXPECT_EQ(browser().text(field("tiktok", "webhook")), "Waiting\u2026");
  // Gone if the page is loaded again: the change below must come without a reload.
  browser().execute("window.sparksSamePage = true; return true;");
  shot("waiting-for-events");

  const auto body = tiktok_comment_webhook(7'400'000'000'000'000'001, "fan-1", "hello there");
  const auto delivered =
      http_call("POST", rig().serve_url() + "/webhooks/tiktok", "", body, "application/json",
                std::chrono::seconds(5), tiktok_signed_now(body));
  ASSERT_EQ(delivered.status, 200) << json::serialize(delivered.body);

  wait_for_field("tiktok", "webhook", "Receiving events");
  EXPECT_TRUE(browser().execute("return window.sparksSamePage === true;").as_bool())
      << "the page was loaded again";
  EXPECT_TRUE(browser().find(card("tiktok")).has_value());
  shot("receiving-events");
}

TEST_F(IntegrationsPageBrowserTest, DisconnectingNamesTheLiveFlowAndPausesIt) {
  ASSERT_EQ(rig().connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  ASSERT_EQ(rig().publish_flow("price-dm", kPriceDmFlow).status, 200);
  sign_in(ServeRig::kOwnerKey);
  wait_for_field("tiktok", "status", "Connected");

  browser().click(card("tiktok") + " [data-action='disconnect']");
  wait_for_page(app("/integrations/tiktok/disconnect"));
  EXPECT_EQ(browser().text("h1"), "Disconnect TikTok?");
  const auto pauses = items("ul.pauses li");
  ASSERT_EQ(pauses.size(), 1u);
  EXPECT_TRUE(contains(pauses.front(), "Price question → DM")) << pauses.front();
  const auto keeps = lower(browser().text("ul.keeps"));
  for (const auto& kept : {"drafts", "inbox", "analytics", "contacts"})
    EXPECT_TRUE(contains(keeps, kept)) << kept << " is not among what is kept: " << keeps;
  const auto cancel = browser().find_link("Cancel");
  ASSERT_TRUE(cancel.has_value()) << "no Cancel link";
  const auto back =
      browser().attribute(*cancel, "href").value_or("");  // as written: may be relative
  EXPECT_TRUE(
      ends_with(back, "/app/workspaces/" + std::string(ServeRig::kWorkspace) + "/integrations"))
      << back;
  shot("disconnect-confirmation");

  browser().click("button[data-action='confirm-disconnect']");
  wait_for_page(app("/integrations"));
  flash("disconnected");
  wait_for_field("tiktok", "status", "Disconnected");
  shot("disconnected");

  const auto flow = rig().call("GET", rig().api("/flows/price-dm"), ServeRig::kOwnerKey);
  ASSERT_EQ(flow.status, 200);
  EXPECT_EQ(json::serialize(flow.body.at("paused_by")), "\"tiktok\"") << json::serialize(flow.body);

  browser().navigate(app("/automations"));
  const auto paused_by = browser().wait_for("tr[data-flow='price-dm'] td[data-field='paused_by']");
  EXPECT_TRUE(contains(lower(browser().text(paused_by)), "tiktok")) << browser().text(paused_by);
  shot("automations-paused");
}

TEST_F(IntegrationsPageBrowserTest, AMemberSeesTheButtonsDisabledAndWhy) {
  ASSERT_EQ(rig().connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  submit_key("not-a-key");
  EXPECT_FALSE(browser().text(browser().wait_for("p.error[role=alert]")).empty());
  EXPECT_TRUE(browser().find("form[action='/app/sign-in'] input#api_key").has_value());
  shot("wrong-key");
  sign_in(ServeRig::kMemberKey);
  wait_for_field("tiktok", "status", "Connected");
  const auto buttons = browser().find_all("#cards button[data-action]");
  EXPECT_GE(buttons.size(), 2u);  // at least Disconnect TikTok and Connect TikTok Shop
  for (const auto& button : buttons) {
    EXPECT_TRUE(browser().attribute(button, "disabled").has_value()) << browser().text(button);
    EXPECT_FALSE(browser().is_enabled(button)) << browser().text(button);
  }
  for (const auto& link : browser().find_all("#cards a[data-action]"))
    ADD_FAILURE() << "a member is offered the link " << browser().text(link);
  for (const std::string platform : {"tiktok", "tiktok_shop"}) {
    const auto why = browser().find(card(platform) + " p.why-disabled");
    ASSERT_TRUE(why.has_value()) << platform << " does not say why its buttons are disabled";
    EXPECT_TRUE(contains(lower(browser().text(*why)), "owner")) << browser().text(*why);
  }
  shot("member-disabled");
  sign_out();
  shot("signed-out");
}

TEST_F(IntegrationsPageBrowserTest, ThePageFitsAPhoneWithoutScrollingSideways) {
  ASSERT_EQ(rig().connect("tiktok", "creator", kEveryTikTokScopeButSend).status, 200);
  sign_in(ServeRig::kOwnerKey);
  browser().set_window_size(390, 844);
  browser().navigate(app("/integrations"));
  wait_for_field("tiktok", "status", "Partially connected");
  EXPECT_LE(browser().execute("return window.innerWidth;").as_int64(), 390);
  EXPECT_FALSE(browser().scrolls_horizontally());
  shot("phone-width");
  browser().navigate(app("/integrations/tiktok/disconnect"));
  browser().wait_for("button[data-action='confirm-disconnect']");
  EXPECT_FALSE(browser().scrolls_horizontally());
  shot("phone-width-disconnect");
}

TEST_F(IntegrationsPageBrowserTest, TheOwnerConnectsTikTokShopAfterRefusingOnce) {
  sign_in(ServeRig::kOwnerKey);
  browser().click(card("tiktok_shop") + " button[data-action='connect']");
  wait_for_page(rig().sandbox_url(), true);
  answer_consent({}, false);
  wait_for_page(app("/integrations"));
  EXPECT_FALSE(flash("refused").empty());
  wait_for_field("tiktok_shop", "status", "Disconnected");
  shot("shop-refused");

  connect_in_browser("tiktok_shop", {});
  flash("connected");
  wait_for_field("tiktok_shop", "status", "Connected");
  EXPECT_TRUE(dot_is("tiktok_shop", "green"));
  EXPECT_EQ(browser().text(field("tiktok", "status")), "Disconnected");
  shot("shop-connected");
}

}  // namespace
}  // namespace sparks::testing

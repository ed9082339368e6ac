// The web app under /app/ against real `sparks serve` and `sparks sandbox` processes, over HTTP
// as a browser speaks it (without JavaScript): the sign-in form and its cookies, CSRF refusals,
// every page with the names the browser tests click on, what a member may not do, connect and
// the OAuth callback's redirect back to the cards, the cards' fragment changing when a webhook
// arrives, disconnect, sign-out.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>

#include "http/client.hpp"
#include "http/form.hpp"
#include "sandbox/consent_client.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace sparks::testing {
namespace {

using namespace std::chrono_literals;

struct Got {
  int status = 0;
  http::Headers headers;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& part) const { return body.find(part) != std::string::npos; }
};

// A browser without JavaScript: keeps its cookies, follows no redirect by itself.
class Browser {
 public:
  explicit Browser(std::string base) : base_(std::move(base)) {}

  Got get(const std::string& path, const http::Headers& extra = {}) {
    return send("GET", path, "", extra);
  }
  Got post(const std::string& path, const http::Fields& form) {
    return send("POST", path, http::encode_form(form),
                {{"Content-Type", "application/x-www-form-urlencoded"}});
  }
  std::string cookie(const std::string& name) const {
    auto it = jar_.find(name);
    return it == jar_.end() ? std::string() : it->second;
  }
  void forget_cookies() { jar_.clear(); }
  void set_cookie(const std::string& name, const std::string& value) { jar_[name] = value; }

  // Signs in through the form; the answer to the form's POST.
  Got sign_in(const std::string& key) {
    const auto form = get("/app/");
    return post("/app/sign-in", {{"csrf", csrf_of(form.body)}, {"api_key", key}});
  }

  static std::string csrf_of(const std::string& html) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto at = html.find(marker);
    if (at == std::string::npos) return {};
    const auto from = at + marker.size();
    return html.substr(from, html.find('"', from) - from);
  }

 private:
  Got send(const std::string& method, const std::string& path, const std::string& body,
           const http::Headers& extra) {
    boost::asio::io_context io;
    http::ClientRequest request{method, path.starts_with("http") ? path : base_ + path, extra, body,
                                10s};
    std::string cookies;
    for (const auto& [name, value] : jar_)
      cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    if (!cookies.empty()) request.headers["Cookie"] = cookies;
    if (!request.headers.count("Accept")) request.headers["Accept"] = "text/html";
    std::optional<http::ClientResponse> answer;
    http::send_request(io.get_executor(), request,
                       [&](http::ClientResponse r) { answer = std::move(r); });
    run_until(
        io, "the answer to " + method + " " + path, [&] { return answer.has_value(); }, 15s);
    Got got{answer->status, answer->headers, answer->body};
    if (const auto set = got.header("Set-Cookie"); !set.empty()) {
      const auto pair = set.substr(0, set.find(';'));
      const auto name = pair.substr(0, pair.find('='));
      const auto value = pair.substr(pair.find('=') + 1);
      if (set.find("Max-Age=0") != std::string::npos)
        jar_.erase(name);
      else
        jar_[name] = value;
    }
    return got;
  }

  std::string base_;
  std::map<std::string, std::string> jar_;
};

const std::string kIntegrations = "/app/workspaces/acme/integrations";

class WebappHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rig_ = std::make_unique<ServeRig>(SPARKS_BINARY, "sparks-webapp");
  }
  static void TearDownTestSuite() { rig_.reset(); }

  static Browser signed_in(const char* key) {
    Browser browser(rig_->serve_url());
    const auto answer = browser.sign_in(key);
    EXPECT_EQ(answer.status, 303);
    return browser;
  }

  static std::unique_ptr<ServeRig> rig_;
};

std::unique_ptr<ServeRig> WebappHttpTest::rig_;

TEST_F(WebappHttpTest, SignedOutTheAppShowsTheSignInFormAndPagesGoThere) {
  Browser browser(rig_->serve_url());
  const auto form = browser.get("/app/");
  EXPECT_EQ(form.status, 200);
  EXPECT_EQ(form.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(form.has("<form method=\"post\" action=\"/app/sign-in\""));
  EXPECT_TRUE(
      form.has("<label for=\"api_key\">API key</label><input id=\"api_key\" name=\"api_key\" "
               "type=\"password\""));
  EXPECT_TRUE(form.has("<button type=\"submit\">Sign in</button>"));
  EXPECT_FALSE(form.has("<nav"));
  for (const char* page : {"/app/workspaces/acme/integrations", "/app/workspaces/acme/automations",
                           "/app/workspaces/acme/inbox", "/app/workspaces/acme/orders"}) {
    const auto got = browser.get(page);
    EXPECT_EQ(got.status, 303) << page;
    EXPECT_EQ(got.header("Location"), "/app/") << page;
  }
  EXPECT_EQ(browser.get("/app/workspaces/acme/integrations/cards").status, 401);
  // Back from another site a Strict cookie is not sent: the page reloads itself once, same-site.
  const auto bounced = browser.get(kIntegrations, {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(bounced.status, 200);
  EXPECT_TRUE(
      bounced.has("<meta http-equiv=\"refresh\" content=\"0; url=" + kIntegrations + "\">"));
  EXPECT_EQ(browser.get("/app/static/app.css").status, 200);
  EXPECT_EQ(browser.get("/app/static/app.js").header("Content-Type"),
            "text/javascript; charset=utf-8");
}

TEST_F(WebappHttpTest, SigningInSetsAStrictHttpOnlySessionCookieThatIsNotTheKey) {
  Browser browser(rig_->serve_url());
  const auto answer = browser.sign_in(ServeRig::kOwnerKey);
  EXPECT_EQ(answer.status, 303);
  EXPECT_EQ(answer.header("Location"), kIntegrations);
  const auto set = answer.header("Set-Cookie");
  EXPECT_TRUE(set.starts_with("sparks_session=")) << set;
  EXPECT_NE(set.find("; HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("; SameSite=Strict"), std::string::npos) << set;
  EXPECT_NE(set.find("; Path=/app"), std::string::npos) << set;
  EXPECT_EQ(set.find(ServeRig::kOwnerKey), std::string::npos);
  EXPECT_GE(browser.cookie("sparks_session").size(), 43u);
  EXPECT_EQ(answer.header("Location").find(ServeRig::kOwnerKey), std::string::npos);

  const auto home = browser.get("/app/");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location"), kIntegrations);
}

TEST_F(WebappHttpTest, AWrongKeyShowsTheFormAgainWithAnAlert) {
  Browser browser(rig_->serve_url());
  const auto answer = browser.sign_in("not-a-key");
  EXPECT_EQ(answer.status, 401);
  EXPECT_TRUE(answer.has("<p role=\"alert\" class=\"error\">"));
  EXPECT_TRUE(answer.has("<form method=\"post\" action=\"/app/sign-in\""));
  EXPECT_TRUE(browser.cookie("sparks_session").empty());
}

TEST_F(WebappHttpTest, APostWithoutTheSessionsCsrfTokenIsRefused) {
  Browser fresh(rig_->serve_url());
  EXPECT_EQ(fresh.post("/app/sign-in", {{"api_key", ServeRig::kOwnerKey}}).status, 403);

  auto browser = signed_in(ServeRig::kOwnerKey);
  const std::string connect = kIntegrations + "/tiktok/connect";
  EXPECT_EQ(browser.post(connect, {}).status, 403);
  EXPECT_EQ(browser.post(connect, {{"csrf", "forged"}}).status, 403);
  // Another session's token is not this one's.
  auto other = signed_in(ServeRig::kOwnerKey);
  const auto others = Browser::csrf_of(other.get(kIntegrations).body);
  EXPECT_EQ(browser.post(connect, {{"csrf", others}}).status, 403);
  EXPECT_EQ(browser.post("/app/sign-out", {}).status, 403);
}

TEST_F(WebappHttpTest, EveryPageAnswersWithTheNamesTheBrowserTestsUse) {
  auto browser = signed_in(ServeRig::kOwnerKey);
  const auto integrations = browser.get(kIntegrations);
  ASSERT_EQ(integrations.status, 200);
  EXPECT_EQ(integrations.header("Cache-Control"), "no-store");
  EXPECT_TRUE(integrations.has("<h1>Integrations</h1>"));
  EXPECT_TRUE(integrations.has("<div id=\"cards\""));
  EXPECT_TRUE(integrations.has("<article class=\"card\" data-platform=\"tiktok\""));
  EXPECT_TRUE(integrations.has("<article class=\"card\" data-platform=\"tiktok_shop\""));
  EXPECT_TRUE(integrations.has("<h2 id=\"card-tiktok\">TikTok</h2>"));
  EXPECT_TRUE(integrations.has("<h2 id=\"card-tiktok_shop\">TikTok Shop</h2>"));
  for (const char* field :
       {"status", "last_sync", "webhook", "account", "granted_scopes", "missing_scopes"})
    EXPECT_TRUE(integrations.has(std::string("data-field=\"") + field + "\"")) << field;
  EXPECT_TRUE(integrations.has("data-action=\"connect\">Connect TikTok</button>"));
  EXPECT_TRUE(integrations.has("data-action=\"connect\">Connect TikTok Shop</button>"));
  for (const char* label :
       {"Integrations", "Automations", "Inbox", "Contacts", "Orders", "Analytics"})
    EXPECT_TRUE(integrations.has(std::string(">") + label + "</a>")) << label;
  EXPECT_TRUE(integrations.has("<form method=\"post\" action=\"/app/sign-out\""));
  EXPECT_TRUE(integrations.has("<button type=\"submit\">Sign out</button>"));

  ASSERT_EQ(
      rig_->call("POST", rig_->api("/flows"), ServeRig::kOwnerKey, kPriceDmFlow, "application/yaml")
          .status,
      201);
  const auto automations = browser.get("/app/workspaces/acme/automations");
  EXPECT_EQ(automations.status, 200);
  EXPECT_TRUE(automations.has("<h1>Automations</h1>"));
  EXPECT_TRUE(automations.has("<tr data-flow=\"price-dm\">"));
  for (const char* field : {"name", "status", "paused_by", "version", "warnings"})
    EXPECT_TRUE(automations.has(std::string("<td data-field=\"") + field + "\"")) << field;
  EXPECT_TRUE(automations.has("data-action=\"publish\">Publish</button>"));
  const auto flow = browser.get("/app/workspaces/acme/automations/price-dm");
  EXPECT_EQ(flow.status, 200);
  EXPECT_TRUE(flow.has("Price question → DM"));
  EXPECT_EQ(browser.get("/app/workspaces/acme/automations/no-such-flow").status, 404);

  for (const char* page : {"inbox", "contacts", "orders", "analytics"}) {
    const auto got = browser.get(std::string("/app/workspaces/acme/") + page);
    EXPECT_EQ(got.status, 200) << page;
    EXPECT_TRUE(got.has("aria-current=\"page\"")) << page;
  }
  // Another workspace's pages are not this member's.
  EXPECT_EQ(browser.get("/app/workspaces/other/integrations").status, 404);
}

TEST_F(WebappHttpTest, AMemberSeesDisabledButtonsAndTheEngineRefusesThemAnyway) {
  auto browser = signed_in(ServeRig::kMemberKey);
  const auto integrations = browser.get(kIntegrations);
  ASSERT_EQ(integrations.status, 200);
  EXPECT_TRUE(integrations.has("data-action=\"connect\" disabled>Connect TikTok</button>"));
  EXPECT_TRUE(integrations.has("data-action=\"connect\" disabled>Connect TikTok Shop</button>"));
  EXPECT_TRUE(integrations.has("<p class=\"why-disabled\">"));
  const auto csrf = Browser::csrf_of(integrations.body);
  EXPECT_EQ(browser.post(kIntegrations + "/tiktok/connect", {{"csrf", csrf}}).status, 403);

  rig_->call("POST", rig_->api("/flows"), ServeRig::kOwnerKey, kPriceDmFlow, "application/yaml");
  const auto automations = browser.get("/app/workspaces/acme/automations");
  EXPECT_TRUE(automations.has("data-action=\"publish\" disabled>Publish</button>"));
  EXPECT_TRUE(automations.has("<p class=\"why-disabled\">"));
  EXPECT_EQ(
      browser.post("/app/workspaces/acme/automations/price-dm/publish", {{"csrf", csrf}}).status,
      403);
}

TEST_F(WebappHttpTest, ConnectGoesToConsentAndTheCallbackBringsTheBrowserBackToTheCards) {
  auto browser = signed_in(ServeRig::kOwnerKey);
  const auto csrf = Browser::csrf_of(browser.get(kIntegrations).body);
  const auto started = browser.post(kIntegrations + "/tiktok_shop/connect", {{"csrf", csrf}});
  ASSERT_EQ(started.status, 303);
  const auto authorize = started.header("Location");
  EXPECT_TRUE(authorize.starts_with(rig_->sandbox_url())) << authorize;

  boost::asio::io_context io;
  std::optional<sandbox::ConsentResult> consent;
  sandbox::answer_consent(io.get_executor(), authorize, {"shop", kEveryShopScope, true},
                          [&](sandbox::ConsentResult r) { consent = std::move(r); });
  run_until(
      io, "the consent page's redirect", [&] { return consent.has_value(); }, 15s);
  ASSERT_EQ(consent->error, "");
  const auto back = browser.get(consent->redirect_url);
  ASSERT_EQ(back.status, 303) << back.body;
  EXPECT_EQ(back.header("Location"), kIntegrations + "?flash=connected&platform=tiktok_shop");
  const auto landed = browser.get(back.header("Location"));
  EXPECT_EQ(landed.status, 200);
  EXPECT_TRUE(landed.has("<div class=\"flash\" role=\"status\" data-flash=\"connected\">"));
  EXPECT_TRUE(landed.has("TikTok Shop is connected."));

  // An API client keeps the JSON.
  const auto json = rig_->connect("tiktok", "creator", kEveryTikTokScope);
  EXPECT_EQ(json.status, 200);
  ASSERT_TRUE(json.body.is_object());
  EXPECT_EQ(json.body.at("workspace"), "acme");
}

TEST_F(WebappHttpTest, TheCardsFragmentChangesWhenAWebhookArrives) {
  ASSERT_EQ(rig_->connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  auto browser = signed_in(ServeRig::kOwnerKey);
  const std::string fragment = kIntegrations + "/cards";
  const auto tiktok_webhook = [&](const Got& got) {
    const auto card = got.body.find("data-platform=\"tiktok\"");
    const auto field = got.body.find("data-field=\"webhook\">", card);
    return got.body.substr(field + 21, got.body.find("</dd>", field) - field - 21);
  };
  const auto before = browser.get(fragment);
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(tiktok_webhook(before), "Waiting\u2026");
  EXPECT_FALSE(before.has("<html"));

  const auto body = tiktok_comment_webhook(900001, "fan-web", "hello");
  const auto delivered = http_call("POST", rig_->serve_url() + "/webhooks/tiktok", "", body,
                                   "application/json", 15s, tiktok_signed_now(body));
  ASSERT_EQ(delivered.status, 200);
  poll_until("the TikTok card to say it receives events",
             [&] { return tiktok_webhook(browser.get(fragment)) == "Receiving events"; });
}

TEST_F(WebappHttpTest, DisconnectAsksFirstNamingWhatPausesThenComesBackWithAMessage) {
  ASSERT_EQ(rig_->connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  rig_->call("POST", rig_->api("/flows"), ServeRig::kOwnerKey, kPriceDmFlow, "application/yaml");
  rig_->call("POST", rig_->api("/flows/price-dm/resume"), ServeRig::kOwnerKey);
  rig_->call("POST", rig_->api("/flows/price-dm/publish"), ServeRig::kOwnerKey);
  auto browser = signed_in(ServeRig::kOwnerKey);
  const auto page = browser.get(kIntegrations);
  EXPECT_TRUE(
      page.has("data-action=\"disconnect\" href=\"" + kIntegrations + "/tiktok/disconnect\""));

  const auto confirm = browser.get(kIntegrations + "/tiktok/disconnect");
  ASSERT_EQ(confirm.status, 200);
  EXPECT_TRUE(confirm.has("<h1>Disconnect TikTok?</h1>"));
  EXPECT_TRUE(confirm.has("<ul class=\"pauses\"><li>Price question → DM</li></ul>"));
  EXPECT_TRUE(confirm.has("<ul class=\"keeps\">"));
  EXPECT_TRUE(confirm.has("data-action=\"confirm-disconnect\">Disconnect</button>"));
  EXPECT_TRUE(confirm.has(">Cancel</a>"));

  const auto done = browser.post(kIntegrations + "/tiktok/disconnect",
                                 {{"csrf", Browser::csrf_of(confirm.body)}});
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(done.header("Location"), kIntegrations + "?flash=disconnected&platform=tiktok");
  const auto after = browser.get(done.header("Location"));
  EXPECT_TRUE(after.has("data-flash=\"disconnected\""));
  const auto automations = browser.get("/app/workspaces/acme/automations");
  EXPECT_TRUE(automations.has("<td data-field=\"status\" data-label=\"Status\">paused</td>"));
}

TEST_F(WebappHttpTest, SigningOutForgetsTheSession) {
  auto browser = signed_in(ServeRig::kOwnerKey);
  const auto session = browser.cookie("sparks_session");
  const auto csrf = Browser::csrf_of(browser.get(kIntegrations).body);
  const auto out = browser.post("/app/sign-out", {{"csrf", csrf}});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.header("Location"), "/app/");
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  // The old cookie, sent again, opens nothing.
  browser.set_cookie("sparks_session", session);
  EXPECT_EQ(browser.get(kIntegrations).status, 303);
}

TEST_F(WebappHttpTest, ListsArePagedAndAFlowsPageShowsItsRuns) {
  ASSERT_EQ(rig_->connect("tiktok", "creator", kEveryTikTokScope).status, 200);
  ASSERT_EQ(rig_->publish_flow("price-dm", kPriceDmFlow).status, 200);
  const std::string second = R"(flow:
  id: zz-second
  name: "Second"
  trigger:
    on: tiktok.comment
    keywords: [nothing-matches-this]
  actions:
    - tiktok.send_dm: { text: "hi" }
)";
  ASSERT_EQ(rig_->call("POST", rig_->api("/flows"), ServeRig::kOwnerKey, second, "application/yaml")
                .status,
            201);
  auto browser = signed_in(ServeRig::kOwnerKey);
  const auto first = browser.get("/app/workspaces/acme/automations?limit=1");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(first.has("<tr data-flow=\"price-dm\">"));
  EXPECT_FALSE(first.has("<tr data-flow=\"zz-second\">"));
  const std::string marker = "<a rel=\"next\" href=\"";
  const auto at = first.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  auto next = first.body.substr(at + marker.size());
  next = next.substr(0, next.find('"'));
  for (std::size_t amp; (amp = next.find("&amp;")) != std::string::npos;) next.replace(amp, 5, "&");
  const auto then = browser.get(next);
  EXPECT_TRUE(then.has("<tr data-flow=\"zz-second\">"));
  EXPECT_FALSE(then.has("<tr data-flow=\"price-dm\">"));

  const auto body = tiktok_comment_webhook(900101, "fan-runs", "what's the price?");
  ASSERT_EQ(http_call("POST", rig_->serve_url() + "/webhooks/tiktok", "", body, "application/json",
                      15s, tiktok_signed_now(body))
                .status,
            200);
  poll_until("the flow's page to show its run", [&] {
    return browser.get("/app/workspaces/acme/automations/price-dm").has("<tr data-run=\"");
  });
}

}  // namespace
}  // namespace sparks::testing

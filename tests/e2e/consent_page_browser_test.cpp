// The sandbox's TikTok consent page in headless Chromium: the connect flow started through the API
// of a real `sparks serve`, the authorize URL opened in the browser, its account select and its
// one checkbox per requested scope read and changed as a person would (docs/sandbox.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "e2e/browser_fixture.hpp"
#include "support/serve_rig.hpp"

namespace sparks::testing {
namespace {

class ConsentPageBrowserTest : public BrowserTest {};

TEST_F(ConsentPageBrowserTest, TheTikTokConsentPageOffersTheAccountsAndOneTickedBoxPerScope) {
  ServeRig rig(SPARKS_BINARY, "consent-page-browser");
  const auto started =
      rig.call("POST", rig.api("/integrations/tiktok/connect"), ServeRig::kOwnerKey);
  ASSERT_EQ(started.status, 200) << boost::json::serialize(started.body);
  const std::string authorize_url(started.body.at("authorize_url").as_string());
  ASSERT_EQ(authorize_url.rfind(rig.sandbox_url() + "/v2/auth/authorize/", 0), 0u) << authorize_url;

  browser().navigate(authorize_url);
  browser().wait_for("form button[value=approve]");
  shot("consent-page");
  EXPECT_EQ(browser().text("h1"), "TikTok (sandbox)");

  std::vector<std::string> accounts;
  for (const auto& option : browser().find_all("select#account option"))
    accounts.push_back(browser().attribute(option, "value").value_or(""));
  EXPECT_EQ(accounts, (std::vector<std::string>{"creator", "personal", "creator-eu"}));

  const auto boxes = browser().find_all("input[type=checkbox][name=scope]");
  ASSERT_FALSE(boxes.empty());
  std::vector<std::string> scopes;
  for (const auto& box : boxes) {
    scopes.push_back(browser().attribute(box, "value").value_or(""));
    EXPECT_TRUE(browser().is_selected(box)) << scopes.back() << " is not ticked";
    EXPECT_TRUE(browser().is_enabled(box));
  }
  // The scopes the connector asks for, each once, the comments among them.
  EXPECT_NE(std::find(scopes.begin(), scopes.end(), "comment.list"), scopes.end());
  auto sorted = scopes;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());

  // A person unticks one box (by its label) and picks another account.
  browser().click("label[for='scope-" + scopes.front() + "']");
  EXPECT_FALSE(browser().is_selected(browser().element("[id='scope-" + scopes.front() + "']")));
  browser().click("select#account option[value=personal]");
  EXPECT_TRUE(browser().is_selected(browser().element("select#account option[value=personal]")));
  shot("one-scope-unticked");
  EXPECT_FALSE(browser().scrolls_horizontally());
}

}  // namespace
}  // namespace sparks::testing

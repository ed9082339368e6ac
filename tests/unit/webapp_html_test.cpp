// The web app's HTML helpers: escaping, relative and exact times, the page frame.
#include <gtest/gtest.h>

#include "webapp/html.hpp"

namespace sparks::webapp {
namespace {

using namespace std::chrono_literals;

TEST(WebappHtmlTest, EscapesEveryCharacterThatCouldEndTextOrAnAttribute) {
  EXPECT_EQ(escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(escape("plain text, ünïcode…"), "plain text, ünïcode…");
  EXPECT_EQ(escape(""), "");
}

TEST(WebappHtmlTest, RelativeTimeReadsLikeAPersonWouldSayIt) {
  const auto now = Clock::from_time_t(1'800'000'000);
  EXPECT_EQ(relative_time(now, now), "just now");
  EXPECT_EQ(relative_time(now - 30s, now), "just now");
  EXPECT_EQ(relative_time(now - 60s, now), "1 minute ago");
  EXPECT_EQ(relative_time(now - 3min, now), "3 minutes ago");
  EXPECT_EQ(relative_time(now - 59min, now), "59 minutes ago");
  EXPECT_EQ(relative_time(now - 1h, now), "1 hour ago");
  EXPECT_EQ(relative_time(now - 5h - 10min, now), "5 hours ago");
  EXPECT_EQ(relative_time(now - 24h, now), "1 day ago");
  EXPECT_EQ(relative_time(now - 72h, now), "3 days ago");
  EXPECT_EQ(relative_time(now + 4min, now), "in 4 minutes");
}

TEST(WebappHtmlTest, ParsesTheEnginesTimesAndRefusesAnythingElse) {
  const auto at = parse_rfc3339("2026-11-24T19:41:38Z");
  ASSERT_TRUE(at);
  EXPECT_EQ(exact_time(*at), "2026-11-24 19:41:38 UTC");
  EXPECT_FALSE(parse_rfc3339("2026-11-24 19:41:38"));
  EXPECT_FALSE(parse_rfc3339("2026-13-24T19:41:38Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-24T19:41:3xZ"));
  EXPECT_FALSE(parse_rfc3339(""));
}

TEST(WebappHtmlTest, ATimeElementCarriesTheMachineTimeAndTheExactTimeOnHover) {
  const auto at = *parse_rfc3339("2026-11-24T19:41:38Z");
  EXPECT_EQ(time_element(at, at + 3min),
            "<time datetime=\"2026-11-24T19:41:38Z\" title=\"2026-11-24 19:41:38 UTC\">3 minutes "
            "ago</time>");
}

TEST(WebappHtmlTest, ASignedInPageHasTheSectionsAndASignOutFormWithItsToken) {
  const Viewer viewer{"acme", Actor::member("olivia", Role::owner), "token-1"};
  const auto html = page("Inbox", &viewer, "inbox", "<h1>Inbox</h1>");
  for (const char* label :
       {"Integrations", "Automations", "Inbox", "Contacts", "Orders", "Analytics"})
    EXPECT_NE(html.find(std::string(">") + label + "</a>"), std::string::npos) << label;
  EXPECT_NE(html.find("<a href=\"/app/workspaces/acme/inbox\" aria-current=\"page\">"),
            std::string::npos);
  EXPECT_NE(html.find("<form method=\"post\" action=\"/app/sign-out\""), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"csrf\" value=\"token-1\">"),
            std::string::npos);
  EXPECT_NE(html.find("<main id=\"main\"><h1>Inbox</h1></main>"), std::string::npos);
  EXPECT_EQ(page("Sign in", nullptr, "", "").find("<nav"), std::string::npos);
}

TEST(WebappHtmlTest, ANextPageLinkAppearsOnlyWhileThereIsMore) {
  const boost::json::value cursor = "abc/+=";
  EXPECT_EQ(
      next_page_link("/app/workspaces/acme/inbox", &cursor),
      "<p class=\"pager\"><a rel=\"next\" href=\"/app/workspaces/acme/inbox?cursor=abc%2F%2B%3D\">"
      "Next page</a></p>");
  const boost::json::value none = nullptr;
  EXPECT_EQ(next_page_link("/x", &none), "");
  EXPECT_EQ(next_page_link("/x", nullptr), "");
}

}  // namespace
}  // namespace sparks::webapp

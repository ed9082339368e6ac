// Web app sessions: random ids, idle expiry, sign-out, a bounded store, CSRF tokens per session.
#include <gtest/gtest.h>

#include <set>

#include "webapp/sessions.hpp"

namespace sparks::webapp {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  Sessions::SteadyClock::time_point at{};
  auto function() {
    return [this] { return at; };
  }
};

TEST(WebappSessionsTest, ASessionIsFoundByItsIdAndNamesItsMember) {
  Sessions sessions;
  const auto id = sessions.open("acme", Actor::member("olivia", Role::owner));
  const auto session = sessions.find(id);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->workspace, "acme");
  EXPECT_EQ(session->actor.id, "olivia");
  EXPECT_EQ(session->actor.role, Role::owner);
  EXPECT_FALSE(sessions.find("not-an-id"));
  EXPECT_FALSE(sessions.find(""));
}

TEST(WebappSessionsTest, IdsAndTokensAreRandomAndLong) {
  Sessions sessions;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto id = sessions.open("acme", Actor::member("max", Role::member));
    EXPECT_GE(id.size(), 43u);  // 32 random bytes, base64url
    EXPECT_TRUE(seen.insert(id).second);
    EXPECT_TRUE(seen.insert(sessions.find(id)->csrf).second);
  }
}

TEST(WebappSessionsTest, ASessionExpiresAfterItsIdleTimeAndEachRequestRestartsIt) {
  FakeClock clock;
  Sessions sessions(12h, 100, clock.function());
  const auto id = sessions.open("acme", Actor::member("max", Role::member));
  clock.at += 11h;
  EXPECT_TRUE(sessions.find(id));  // used: idle again from now
  clock.at += 11h;
  EXPECT_TRUE(sessions.find(id));
  clock.at += 12h;
  EXPECT_FALSE(sessions.find(id));
  EXPECT_EQ(sessions.size(), 0u);
}

TEST(WebappSessionsTest, SigningOutForgetsTheSession) {
  Sessions sessions;
  const auto id = sessions.open("acme", Actor::member("max", Role::member));
  sessions.close(id);
  EXPECT_FALSE(sessions.find(id));
}

TEST(WebappSessionsTest, TheStoreIsBoundedAndDropsTheLeastRecentlyUsed) {
  FakeClock clock;
  Sessions sessions(12h, 3, clock.function());
  const auto first = sessions.open("acme", Actor::member("a", Role::member));
  clock.at += 1s;
  const auto second = sessions.open("acme", Actor::member("b", Role::member));
  clock.at += 1s;
  const auto third = sessions.open("acme", Actor::member("c", Role::member));
  clock.at += 1s;
  ASSERT_TRUE(sessions.find(first));  // now the most recently used
  clock.at += 1s;
  const auto fourth = sessions.open("acme", Actor::member("d", Role::member));
  EXPECT_EQ(sessions.size(), 3u);
  EXPECT_FALSE(sessions.find(second));
  EXPECT_TRUE(sessions.find(first));
  EXPECT_TRUE(sessions.find(third));
  EXPECT_TRUE(sessions.find(fourth));
}

TEST(WebappSessionsTest, TheCsrfTokenMustBeTheSessionsOwn) {
  Sessions sessions;
  const auto a = *sessions.find(sessions.open("acme", Actor::member("a", Role::owner)));
  const auto b = *sessions.find(sessions.open("acme", Actor::member("b", Role::owner)));
  EXPECT_TRUE(csrf_matches(a, a.csrf));
  EXPECT_FALSE(csrf_matches(a, b.csrf));
  EXPECT_FALSE(csrf_matches(a, ""));
  EXPECT_FALSE(csrf_matches(a, a.csrf.substr(1)));
}

TEST(WebappSessionsTest, CookieValuesAreReadFromTheCookieHeader) {
  EXPECT_EQ(cookie_value("a=1; sparks_session=xyz; b=2", "sparks_session"), "xyz");
  EXPECT_EQ(cookie_value("sparks_session=xyz", "sparks_session"), "xyz");
  EXPECT_EQ(cookie_value("x_sparks_session=no; sparks_session=yes", "sparks_session"), "yes");
  EXPECT_FALSE(cookie_value("other=1", "sparks_session"));
  EXPECT_FALSE(cookie_value("", "sparks_session"));
}

}  // namespace
}  // namespace sparks::webapp

// The client-side rate limiter: requests over a declared rate get later send times, in order, per
// account and endpoint as declared.
#include "plugins/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace sparks::plugins {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

RateLimitInfo per_account_endpoint(std::uint32_t requests) {
  return {.per_account = true,
          .per_endpoint = true,
          .requests = requests,
          .window_seconds = 60,
          .path_prefix = "/open_api/"};
}

TEST(RateLimiterTest, PathOfAnUrlIsWhatFollowsTheHostUpToTheQuery) {
  EXPECT_EQ(RateLimiter::path_of("https://h.example:8443/a/b?c=1"), "/a/b");
  EXPECT_EQ(RateLimiter::path_of("http://127.0.0.1/x#frag"), "/x");
  EXPECT_EQ(RateLimiter::path_of("http://127.0.0.1"), "/");
}

TEST(RateLimiterTest, RequestsOverTheRateWaitForTheWindowInOrder) {
  RateLimiter limiter({per_account_endpoint(3)});
  const auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(limiter.reserve("acct", "http://h/open_api/send/", t0), t0) << i;
  EXPECT_EQ(limiter.reserve("acct", "http://h/open_api/send/", t0), t0 + 60s);
  EXPECT_EQ(limiter.reserve("acct", "http://h/open_api/send/", t0), t0 + 60s);
  EXPECT_EQ(limiter.reserve("acct", "http://h/open_api/send/", t0), t0 + 60s);
  EXPECT_EQ(limiter.reserve("acct", "http://h/open_api/send/", t0), t0 + 120s);
}

TEST(RateLimiterTest, AccountsEndpointsAndUnlimitedPathsCountApart) {
  RateLimiter limiter({per_account_endpoint(1)});
  const auto t0 = Clock::now();
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/send/", t0), t0);
  EXPECT_EQ(limiter.reserve("b", "http://h/open_api/send/", t0), t0);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/list/", t0), t0);
  EXPECT_EQ(limiter.reserve("a", "http://h/other/", t0), t0);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/send/?x=1", t0), t0 + 60s);
}

TEST(RateLimiterTest, AnAppWideLimitHoldsAcrossAccounts) {
  RateLimiter limiter(
      {per_account_endpoint(10), {.requests = 2, .window_seconds = 60, .path_prefix = ""}});
  const auto t0 = Clock::now();
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/send/", t0), t0);
  EXPECT_EQ(limiter.reserve("b", "http://h/open_api/send/", t0), t0);
  EXPECT_EQ(limiter.reserve("c", "http://h/open_api/send/", t0), t0 + 60s);
}

TEST(RateLimiterTest, SlotsFreeUpAsTheWindowSlides) {
  RateLimiter limiter({per_account_endpoint(2)});
  const auto t0 = Clock::now();
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0), t0);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0 + 30s), t0 + 30s);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0 + 61s), t0 + 61s);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0 + 61s), t0 + 90s);
}

TEST(RateLimiterTest, AWaitLongerThanAllowedIsRefusedAndTakesNoSlot) {
  RateLimiter limiter({per_account_endpoint(1)}, 90s);
  const auto t0 = Clock::now();
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0), t0);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0), t0 + 60s);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0), std::nullopt);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0 + 1s), std::nullopt);
  EXPECT_EQ(limiter.reserve("a", "http://h/open_api/x", t0 + 31s), t0 + 120s);
}

}  // namespace
}  // namespace sparks::plugins

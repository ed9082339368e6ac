#pragma once
// Keeps one plugin's HTTP requests under the rates its descriptor declares (sparks/plugin.h,
// sparks_rate_limit_t): a request that would go over is given a later time to be sent at, so the
// engine never trips a platform's limit itself. Slots are handed out in order (first asked, first
// sent) and counted at the time they are given for. Thread-safe: plugins call http_request from
// any of the engine's threads.
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/descriptor.hpp"

namespace sparks::plugins {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(std::vector<RateLimitInfo> limits,
                       Clock::duration longest_wait = std::chrono::minutes(5));

  bool limits_anything() const { return !limits_.empty(); }

  // The time at which a request for `integration` to `url` may be sent — `now` when no limit is
  // reached — and that slot is taken. nullopt, taking nothing, when the wait would be longer than
  // `longest_wait`: the caller answers "rate limited" rather than queue without bound.
  std::optional<Clock::time_point> reserve(std::string_view integration, std::string_view url,
                                           Clock::time_point now);

  // The path of an absolute URL: "https://h:1/a/b?c" → "/a/b".
  static std::string_view path_of(std::string_view url);

 private:
  struct Window {
    std::deque<Clock::time_point> slots;  // ascending; may lie in the future
  };

  std::vector<RateLimitInfo> limits_;
  Clock::duration longest_wait_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;  // by limit index, account and endpoint
  std::uint64_t reservations_ = 0;

  void forget_idle(Clock::time_point now);
};

}  // namespace sparks::plugins

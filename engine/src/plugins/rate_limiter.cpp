#include "plugins/rate_limiter.hpp"

#include <algorithm>

namespace sparks::plugins {

RateLimiter::RateLimiter(std::vector<RateLimitInfo> limits, Clock::duration longest_wait)
    : limits_(std::move(limits)), longest_wait_(longest_wait) {}

std::string_view RateLimiter::path_of(std::string_view url) {
  const auto scheme = url.find("://");
  const auto start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "/";
  const auto end = url.find_first_of("?#", start);
  return url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

std::optional<RateLimiter::Clock::time_point> RateLimiter::reserve(std::string_view integration,
                                                                   std::string_view url,
                                                                   Clock::time_point now) {
  const std::string_view path = path_of(url);
  std::lock_guard lock(mutex_);
  // The windows this request counts in, each with its limit.
  std::vector<std::pair<Window*, const RateLimitInfo*>> windows;
  for (std::size_t i = 0; i < limits_.size(); ++i) {
    const RateLimitInfo& limit = limits_[i];
    if (!path.starts_with(limit.path_prefix)) continue;
    std::string key = std::to_string(i);
    if (limit.per_account) key.append("|").append(integration);
    if (limit.per_endpoint) key.append("|").append(path);
    windows.emplace_back(&windows_[key], &limit);
  }
  // The earliest time every window has room, and no earlier than a slot already given (in order).
  Clock::time_point at = now;
  for (auto& [window, limit] : windows) {
    const Clock::duration length = std::chrono::seconds(limit->window_seconds);
    auto& slots = window->slots;
    while (!slots.empty() && slots.front() <= now - length) slots.pop_front();
    if (slots.size() >= limit->requests)
      at = std::max(at, slots[slots.size() - limit->requests] + length);
    if (!slots.empty()) at = std::max(at, slots.back());
  }
  if (at - now > longest_wait_) return std::nullopt;
  for (auto& [window, limit] : windows) window->slots.push_back(at);
  if (++reservations_ % 4096 == 0) forget_idle(now);
  return at;
}

// Drops the windows of accounts and endpoints that sent nothing lately, so the map does not grow
// with every integration ever seen.
void RateLimiter::forget_idle(Clock::time_point now) {
  Clock::duration longest{};
  for (const RateLimitInfo& limit : limits_)
    longest = std::max<Clock::duration>(longest, std::chrono::seconds(limit.window_seconds));
  std::erase_if(windows_, [&](const auto& entry) {
    return entry.second.slots.empty() || entry.second.slots.back() <= now - longest;
  });
}

}  // namespace sparks::plugins

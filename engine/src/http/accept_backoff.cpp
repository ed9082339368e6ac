#include "http/accept_backoff.hpp"

#include <algorithm>

namespace sparks::http {

AcceptBackoff::Retry AcceptBackoff::failed(Clock::time_point now) {
  Retry retry{next_delay_, std::nullopt};
  next_delay_ = std::min(next_delay_ * 2, options_.longest);
  ++unreported_;
  // Rate-limited over time, not per episode: failures that come and go between successes (a
  // descriptor freed, taken again) would otherwise log a line each time.
  if (!last_report_ || now - *last_report_ >= options_.report_every) {
    retry.report = unreported_;
    unreported_ = 0;
    last_report_ = now;
    failures_logged_ = true;
  }
  return retry;
}

std::optional<std::uint64_t> AcceptBackoff::succeeded() {
  next_delay_ = options_.first;
  if (!failures_logged_) return std::nullopt;
  failures_logged_ = false;
  const auto count = unreported_;
  unreported_ = 0;
  return count;
}

}  // namespace sparks::http

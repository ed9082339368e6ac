#pragma once
// Spreading retries and periodic work in time, so that many integrations failing (or restarting)
// together do not come back together.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace sparks::runtime {

// A uniformly random duration in [0, max].
inline std::chrono::milliseconds random_delay(std::chrono::milliseconds max) {
  thread_local std::minstd_rand random{std::random_device{}()};
  return std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(
      0, std::max<std::int64_t>(max.count(), 0))(random));
}

// Capped exponential back-off with "equal jitter": half of each step fixed, half random.
inline std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds first,
                                               std::chrono::milliseconds cap) {
  const auto base = std::min<std::chrono::milliseconds>(
      cap, first * (std::int64_t{1} << std::clamp(attempt, 0, 20)));
  return base / 2 + random_delay(base / 2);
}

}  // namespace sparks::runtime

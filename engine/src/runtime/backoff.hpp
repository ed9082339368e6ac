#pragma once
// Capped exponential back-off with "equal jitter": half of each step fixed, half random, so that
// many retries failing together do not come back together.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace sparks::runtime {

inline std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds first,
                                               std::chrono::milliseconds cap) {
  const int step = std::clamp(attempt, 0, 20);
  const auto base = std::min<std::chrono::milliseconds>(cap, first * (std::int64_t{1} << step));
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto half = base.count() / 2;
  return std::chrono::milliseconds(half + std::uniform_int_distribution<std::int64_t>(0, std::max<std::int64_t>(half, 0))(random));
}

}  // namespace sparks::runtime

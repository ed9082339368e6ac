#pragma once
// What every fuzz target shares: the fuzzed bytes as text, and quiet logging (a target runs
// millions of times; the engine's log lines would be all the output there is).
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sparks::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void quiet_logs() {
  spdlog::set_level(spdlog::level::off);
}

}  // namespace sparks::fuzz

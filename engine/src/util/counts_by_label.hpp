#pragma once
// A counter for /metrics that also keeps its count per value of one label (the platform): the
// engine-wide total, and the same count broken down.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sparks::util {

class CountsByLabel {
 public:
  void add(std::string_view label, std::uint64_t n = 1) {
    total_.fetch_add(n, std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    auto it = by_label_.find(label);
    if (it == by_label_.end()) it = by_label_.emplace(std::string(label), 0).first;
    it->second += n;
  }
  CountsByLabel& operator++() = delete;  // say which label: add(platform)

  std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }
  std::map<std::string, std::uint64_t, std::less<>> by_label() const {
    std::lock_guard lock(mutex_);
    return by_label_;
  }

 private:
  std::atomic<std::uint64_t> total_{0};
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> by_label_;
};

}  // namespace sparks::util

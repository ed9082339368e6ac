#pragma once
// Histograms for /metrics, with fixed bucket bounds (docs/production.md, "Monitoring").
//
//   HistogramFamily calls("sparks_platform_call_seconds", "…", {"platform", "call"});
//   calls.observe({"tiktok", "send_dm"}, 0.120);   // from any thread
//   out << calls.text();                           // _bucket{…,le="…"}, _sum, _count
//
// Observing takes no lock once a label set has been seen: the counts are atomics. Only the first
// observation of a label set (and text()) takes the family's mutex.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sparks::util {

// Upper bounds in seconds, from 5 ms to 5 minutes: a platform call, or a webhook's way to its DM
// (which includes the retries of a passing failure).
const std::vector<double>& default_seconds_buckets();

// One histogram: a count per bucket (the last one, +Inf, for what is above every bound), the sum
// and the count of what was observed.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf: observations <= the bound
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // upper_bounds_.size() + 1, not summed
  std::atomic<double> sum_{0};
  std::atomic<std::uint64_t> count_{0};
};

// Histograms of one metric name, one per set of label values.
class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> upper_bounds = default_seconds_buckets());

  // `label_values` in the order of the label names.
  void observe(const std::vector<std::string>& label_values, double value);

  // The family in the text format: HELP and TYPE, then each label set's buckets, sum and count,
  // label sets in order. Only HELP and TYPE while nothing has been observed.
  std::string text() const;

 private:
  Histogram& series(const std::vector<std::string>& label_values);

  const std::string name_, help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> upper_bounds_;
  mutable std::mutex mutex_;  // guards the map, not the histograms in it
  std::map<std::vector<std::string>, std::unique_ptr<Histogram>> series_;
};

}  // namespace sparks::util

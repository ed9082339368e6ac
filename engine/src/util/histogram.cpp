#include "util/histogram.hpp"

#include <algorithm>
#include <sstream>

#include "util/prometheus_text.hpp"

namespace sparks::util {

const std::vector<double>& default_seconds_buckets() {
  static const std::vector<double> bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                          1,     2.5,  5,     10,   30,  60,   300};
  return bounds;
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  // The first bound at or above the value: Prometheus buckets are "less than or equal".
  const auto at = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value);
  buckets_[static_cast<std::size_t>(at - upper_bounds_.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.upper_bounds = upper_bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  out.sum = sum_.load(std::memory_order_relaxed);
  // The count is the +Inf bucket, so that the two always agree within one snapshot.
  out.count = running;
  return out;
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names,
                                 std::vector<double> upper_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      upper_bounds_(std::move(upper_bounds)) {}

Histogram& HistogramFamily::series(const std::vector<std::string>& label_values) {
  std::lock_guard lock(mutex_);
  auto& slot = series_[label_values];
  if (!slot) slot = std::make_unique<Histogram>(upper_bounds_);
  return *slot;  // stays where it is: the map holds it by pointer
}

void HistogramFamily::observe(const std::vector<std::string>& label_values, double value) {
  series(label_values).observe(value);
}

std::string HistogramFamily::text() const {
  std::ostringstream out;
  out << "# HELP " << name_ << ' ' << help_ << "\n# TYPE " << name_ << " histogram\n";
  std::lock_guard lock(mutex_);
  for (const auto& [values, histogram] : series_) {
    Labels labels;
    for (std::size_t i = 0; i < label_names_.size() && i < values.size(); ++i)
      labels.emplace_back(label_names_[i], values[i]);
    const auto snapshot = histogram->snapshot();
    for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
      auto with_le = labels;
      with_le.emplace_back("le", i < snapshot.upper_bounds.size()
                                     ? number_text(snapshot.upper_bounds[i])
                                     : std::string("+Inf"));
      out << name_ << "_bucket" << label_set(with_le) << ' ' << snapshot.cumulative[i] << '\n';
    }
    out << name_ << "_sum" << label_set(labels) << ' ' << number_text(snapshot.sum) << '\n';
    out << name_ << "_count" << label_set(labels) << ' ' << snapshot.count << '\n';
  }
  return out.str();
}

}  // namespace sparks::util

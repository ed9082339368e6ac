#include "sandbox/faults.hpp"

namespace sparks::sandbox {

namespace {

constexpr std::int64_t kMaxCount = 1000;
constexpr std::int64_t kMaxDelayMs = 60'000;

// A non-negative integer field within [low, high], or `fallback` when absent.
std::optional<std::int64_t> bounded_int(const boost::json::object& o, const char* key,
                                        std::int64_t fallback, std::int64_t low,
                                        std::int64_t high) {
  const auto* value = o.if_contains(key);
  if (value == nullptr) return fallback;
  if (!value->is_int64()) return std::nullopt;
  const auto number = value->as_int64();
  if (number < low || number > high) return std::nullopt;
  return number;
}

std::optional<std::string> string_field(const boost::json::object& o, const char* key) {
  const auto* value = o.if_contains(key);
  if (value == nullptr || !value->is_string() || value->as_string().empty()) return std::nullopt;
  return std::string(value->as_string());
}

template <typename Fault>
bool take(std::vector<Fault>& faults, const std::string& path, Fault& taken) {
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (it->path != path) continue;
    taken = *it;
    if (--it->remaining <= 0) faults.erase(it);
    return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> Faults::add(const boost::json::object& fault) {
  const auto kind = string_field(fault, "kind");
  if (!kind) return "a fault needs a \"kind\"";
  const auto count = bounded_int(fault, "count", 1, 1, kMaxCount);
  if (!count) return "\"count\" must be an integer from 1 to 1000";
  const int n = static_cast<int>(*count);

  if (*kind == "http_error" || *kind == "slow") {
    const auto path = string_field(fault, "path");
    if (!path || path->front() != '/')
      return "\"path\" must be a request path such as /v2/oauth/token/";
    if (*kind == "http_error") {
      const auto status = bounded_int(fault, "status", 500, 429, 599);
      if (!status || (*status != 429 && *status < 500)) return "\"status\" must be 429 or 5xx";
      http_errors_.push_back({*path, static_cast<int>(*status), {}, n});
    } else {
      const auto delay = bounded_int(fault, "delay_ms", 1000, 0, kMaxDelayMs);
      if (!delay) return "\"delay_ms\" must be an integer from 0 to 60000";
      slow_.push_back({*path, 0, std::chrono::milliseconds(*delay), n});
    }
    return std::nullopt;
  }
  if (*kind == "refresh_rejected") {
    const auto account = string_field(fault, "account");
    if (!account) return "\"account\" is required";
    refresh_rejected_.insert(*account);
    return std::nullopt;
  }
  if (*kind == "webhook_delay") {
    const auto delay = bounded_int(fault, "delay_ms", 1000, 0, kMaxDelayMs);
    if (!delay) return "\"delay_ms\" must be an integer from 0 to 60000";
    webhook_delay_ = std::chrono::milliseconds(*delay);
    webhook_delay_remaining_ = n;
    return std::nullopt;
  }
  if (*kind == "webhook_duplicate") {
    webhook_duplicate_ = n;
    return std::nullopt;
  }
  if (*kind == "webhook_reorder") {
    if (n < 2) return "\"count\" must be at least 2 to reorder anything";
    webhook_reorder_ = n;
    return std::nullopt;
  }
  return "unknown fault kind \"" + *kind +
         "\" (http_error, slow, refresh_rejected, webhook_delay, webhook_duplicate, "
         "webhook_reorder)";
}

void Faults::clear() {
  *this = Faults{};
}

boost::json::array Faults::to_json() const {
  boost::json::array all;
  for (const auto& f : http_errors_) {
    all.push_back(
        {{"kind", "http_error"}, {"path", f.path}, {"status", f.status}, {"count", f.remaining}});
  }
  for (const auto& f : slow_) {
    all.push_back({{"kind", "slow"},
                   {"path", f.path},
                   {"delay_ms", f.delay.count()},
                   {"count", f.remaining}});
  }
  for (const auto& account : refresh_rejected_) {
    all.push_back({{"kind", "refresh_rejected"}, {"account", account}});
  }
  if (webhook_delay_remaining_ > 0) {
    all.push_back({{"kind", "webhook_delay"},
                   {"delay_ms", webhook_delay_.count()},
                   {"count", webhook_delay_remaining_}});
  }
  if (webhook_duplicate_ > 0) {
    all.push_back({{"kind", "webhook_duplicate"}, {"count", webhook_duplicate_}});
  }
  if (webhook_reorder_ > 0)
    all.push_back({{"kind", "webhook_reorder"}, {"count", webhook_reorder_}});
  return all;
}

std::optional<int> Faults::take_http_error(const std::string& path) {
  PathFault taken;
  if (!take(http_errors_, path, taken)) return std::nullopt;
  return taken.status;
}

std::optional<std::chrono::milliseconds> Faults::take_slow(const std::string& path) {
  PathFault taken;
  if (!take(slow_, path, taken)) return std::nullopt;
  return taken.delay;
}

std::optional<std::chrono::milliseconds> Faults::take_webhook_delay() {
  if (webhook_delay_remaining_ <= 0) return std::nullopt;
  --webhook_delay_remaining_;
  return webhook_delay_;
}

bool Faults::take_webhook_duplicate() {
  if (webhook_duplicate_ <= 0) return false;
  --webhook_duplicate_;
  return true;
}

bool Faults::take_webhook_reorder() {
  if (webhook_reorder_ <= 0) return false;
  --webhook_reorder_;
  return true;
}

bool Faults::refresh_rejected(const std::string& account) const {
  return refresh_rejected_.count(account) > 0;
}

}  // namespace sparks::sandbox

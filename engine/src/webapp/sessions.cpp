#include "webapp/sessions.hpp"

#include <algorithm>

#include "crypto/hmac.hpp"
#include "crypto/random.hpp"

namespace sparks::webapp {

std::string random_token() {
  return crypto::base64url_encode(crypto::random_bytes(32));
}

Sessions::Sessions(std::chrono::seconds idle_limit, std::size_t capacity,
                   std::function<SteadyClock::time_point()> now)
    : idle_limit_(idle_limit),
      capacity_(std::max<std::size_t>(capacity, 1)),
      now_(std::move(now)) {}

std::string Sessions::open(std::string workspace, Actor actor) {
  std::string id = random_token();
  const auto now = now_();
  std::lock_guard lock(mutex_);
  drop_expired_locked(now);
  if (entries_.size() >= capacity_) {
    auto oldest = std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    entries_.erase(oldest);
  }
  entries_[id] = Entry{Session{std::move(workspace), std::move(actor), random_token()}, now};
  return id;
}

std::optional<Session> Sessions::find(std::string_view id) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  if (now - it->second.last_used >= idle_limit_) {
    entries_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second.session;
}

void Sessions::close(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end()) entries_.erase(it);
}

std::size_t Sessions::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void Sessions::drop_expired_locked(SteadyClock::time_point now) {
  std::erase_if(entries_,
                [&](const auto& entry) { return now - entry.second.last_used >= idle_limit_; });
}

bool csrf_matches(const Session& session, std::string_view presented) {
  return !presented.empty() && crypto::constant_time_equal(session.csrf, presented);
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    auto pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
  }
  return std::nullopt;
}

}  // namespace sparks::webapp

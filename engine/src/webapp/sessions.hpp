#pragma once
// Who is signed in to the web app (docs/web-app.md, "Sessions and CSRF"). A session is made when
// a member signs in with their API key; the browser holds only its id, a random value in the
// `sparks_session` cookie — never the key. A session ends when its member signs out or after
// `idle_limit` without a request; the store holds at most `capacity`, dropping the least recently
// used. Each session has its own CSRF token, which every form of the app repeats.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sparks/engine.hpp"

namespace sparks::webapp {

struct Session {
  std::string workspace;
  Actor actor;
  std::string csrf;
};

class Sessions {
 public:
  using SteadyClock = std::chrono::steady_clock;

  explicit Sessions(
      std::chrono::seconds idle_limit = std::chrono::hours(12), std::size_t capacity = 10'000,
      std::function<SteadyClock::time_point()> now = [] { return SteadyClock::now(); });

  // A new session for the member; its id (for the cookie).
  std::string open(std::string workspace, Actor actor);
  // The live session of `id`, its idle time restarted; nullopt for an unknown or expired id.
  std::optional<Session> find(std::string_view id);
  void close(std::string_view id);
  std::size_t size() const;

 private:
  struct Entry {
    Session session;
    SteadyClock::time_point last_used;
  };
  void drop_expired_locked(SteadyClock::time_point now);

  std::chrono::seconds idle_limit_;
  std::size_t capacity_;
  std::function<SteadyClock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// True when the form's token is the session's (compared in constant time).
bool csrf_matches(const Session& session, std::string_view presented);

// A fresh random token: 32 bytes, base64url.
std::string random_token();

// The value of cookie `name` in a Cookie header ("a=1; b=2"), if any.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace sparks::webapp

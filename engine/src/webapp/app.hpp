#pragma once
// What every page of the web app shares: the engine, who may sign in (api::MemberKeys), the
// open sessions, and the guards a route goes through — a page needs a signed-in member of its
// workspace, an action also the session's CSRF token. Each page group mounts itself with one of
// the mount_* functions below (a file each).
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/auth.hpp"
#include "config/config.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"
#include "webapp/html.hpp"
#include "webapp/sessions.hpp"

namespace sparks::webapp {

inline constexpr std::string_view kSessionCookie = "sparks_session";
inline constexpr std::string_view kSignInCookie = "sparks_signin";

struct App {
  App(boost::asio::any_io_executor executor, std::shared_ptr<Engine> engine,
      const config::Config& config);

  boost::asio::any_io_executor executor;
  std::shared_ptr<Engine> engine;
  api::MemberKeys keys;
  Sessions sessions;
  bool secure_cookies = false;  // the public URL is https: cookies say Secure

  // The session the request's cookie names, if it is open.
  std::optional<std::pair<std::string, Session>> session_of(const http::Request& request);
  // `Set-Cookie` value for `name` = `value` (empty value: forget it).
  std::string cookie(std::string_view name, std::string_view value) const;
  Clock::time_point now() const { return Clock::now(); }
};

// A page handler: the viewer is a signed-in member of the workspace in the path.
using PageHandler =
    std::function<void(std::shared_ptr<App>, const http::Request&, Viewer, http::Responder)>;

// What a signed-out request gets: a page goes to the sign-in page; a fragment that the script
// polls is answered 401 (the script stops).
enum class SignedOut { redirect, unauthorized };

// GET route for a page: signed out → 303 to /app/; another workspace's page → 404.
http::Handler page_route(std::shared_ptr<App> app, PageHandler handler,
                         SignedOut signed_out = SignedOut::redirect);
// POST route for an action: as page_route, and the form's `csrf` must be the session's (403).
http::Handler action_route(std::shared_ptr<App> app, PageHandler handler);

// 303 See Other to `location`.
http::Response see_other(std::string location);
// A whole page, not cached.
http::Response html_response(int status, std::string body);
// A page that says what went wrong, with a way back.
http::Response error_page(int status, const Viewer* viewer, std::string_view message,
                          std::string_view back);
// What the engine refused with, as a page (its status as the API would answer it).
http::Response refusal_page(const Error& error, const Viewer& viewer, std::string_view back);

void mount_sign_in(http::Router& router, std::shared_ptr<App> app);
void mount_integrations(http::Router& router, std::shared_ptr<App> app);
void mount_automations(http::Router& router, std::shared_ptr<App> app);
void mount_kept_data(http::Router& router, std::shared_ptr<App> app);

}  // namespace sparks::webapp

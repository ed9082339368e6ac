// The way in and out: GET /app/ (the sign-in form, or the member's Integrations page), POST
// /app/sign-in with a member's API key, POST /app/sign-out. The form is protected against a
// forged sign-in by a token in a cookie of its own that the form repeats (no session exists yet).
#include "webapp/app.hpp"
#include "webapp/paths.hpp"

#include "crypto/hmac.hpp"

namespace sparks::webapp {

namespace {

std::string sign_in_form(std::string_view token, std::string_view error) {
  std::string body = "<h1>Sign in to Sparks</h1>";
  if (!error.empty()) body += "<p role=\"alert\" class=\"error\">" + escape(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"/app/sign-in\" class=\"stack\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"" +
      escape(token) +
      "\">"
      "<label for=\"api_key\">API key</label>"
      "<input id=\"api_key\" name=\"api_key\" type=\"password\" autocomplete=\"current-password\" "
      "required autofocus>"
      "<button type=\"submit\">Sign in</button></form>"
      "<p class=\"muted\">Use the API key your workspace's configuration gives you "
      "(<code>workspaces[].members[].api_key</code> in sparks.yaml).</p>";
  return page("Sign in", nullptr, "", body);
}

// The sign-in form with a fresh token, set in its cookie.
http::Response fresh_form(App& app, int status, std::string_view error) {
  const auto token = random_token();
  auto response = html_response(status, sign_in_form(token, error));
  response.headers["Set-Cookie"] = app.cookie(kSignInCookie, token);
  return response;
}

http::Response home(App& app, const http::Request& request) {
  if (auto found = app.session_of(request))
    return see_other(integrations_path(found->second.workspace));
  return fresh_form(app, 200, "");
}

http::Response sign_in(App& app, const http::Request& request) {
  const auto form = request.form();
  const auto presented = http::field(form, "csrf").value_or("");
  const auto cookies = request.header("Cookie").value_or("");
  const auto expected = cookie_value(cookies, kSignInCookie).value_or("");
  if (expected.empty() || presented.empty() || !crypto::constant_time_equal(expected, presented))
    return error_page(403, nullptr, "This sign-in form has expired. Open the page again.", kRoot);
  const auto member = app.keys.member_of(http::field(form, "api_key").value_or(""));
  if (!member)
    return fresh_form(app, 401, "That API key is not a member's key. Check it and retry.");
  const auto id = app.sessions.open(member->workspace, member->actor);
  auto response = see_other(integrations_path(member->workspace));
  response.headers["Set-Cookie"] = app.cookie(kSessionCookie, id);
  return response;
}

http::Response sign_out(App& app, const http::Request& request) {
  auto found = app.session_of(request);
  if (found) {
    if (!csrf_matches(found->second, http::field(request.form(), "csrf").value_or("")))
      return error_page(403, nullptr, "This form has expired. Open the page again.", kRoot);
    app.sessions.close(found->first);
  }
  auto response = see_other(std::string(kRoot));
  response.headers["Set-Cookie"] = app.cookie(kSessionCookie, "");
  return response;
}

}  // namespace

void mount_sign_in(http::Router& router, std::shared_ptr<App> app) {
  router.add_sync("GET", "/app",
                  [](const http::Request&) { return see_other(std::string(kRoot)); });
  router.add_sync("GET", std::string(kRoot),
                  [app](const http::Request& r) { return home(*app, r); });
  router.add_sync("POST", "/app/sign-in",
                  [app](const http::Request& r) { return sign_in(*app, r); });
  router.add_sync("POST", "/app/sign-out",
                  [app](const http::Request& r) { return sign_out(*app, r); });
}

}  // namespace sparks::webapp

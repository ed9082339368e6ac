#include "webapp/app.hpp"

#include <variant>

#include "api/routes.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

App::App(boost::asio::any_io_executor ex, std::shared_ptr<Engine> e, const config::Config& config)
    : executor(std::move(ex)),
      engine(std::move(e)),
      keys(config),
      secure_cookies(config.public_url && config.public_url->starts_with("https://")) {}

std::optional<std::pair<std::string, Session>> App::session_of(const http::Request& request) {
  const auto header = request.header("Cookie");
  if (!header) return std::nullopt;
  auto id = cookie_value(*header, kSessionCookie);
  if (!id || id->empty()) return std::nullopt;
  auto session = sessions.find(*id);
  if (!session) return std::nullopt;
  return std::pair{std::move(*id), std::move(*session)};
}

std::string App::cookie(std::string_view name, std::string_view value) const {
  std::string out =
      std::string(name) + "=" + std::string(value) + "; HttpOnly; SameSite=Strict; Path=/app";
  if (value.empty()) out += "; Max-Age=0";
  if (secure_cookies) out += "; Secure";
  return out;
}

http::Response see_other(std::string location) {
  http::Response response{303, {{"Location", std::move(location)}}, {}};
  response.headers["Cache-Control"] = "no-store";
  return response;
}

http::Response html_response(int status, std::string body) {
  auto response = http::Response::html(status, std::move(body));
  response.headers["Cache-Control"] = "no-store";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["X-Frame-Options"] = "DENY";
  response.headers["Referrer-Policy"] = "same-origin";
  response.headers["Content-Security-Policy"] =
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  return response;
}

http::Response error_page(int status, const Viewer* viewer, std::string_view message,
                          std::string_view back) {
  std::string body = "<h1>Something went wrong</h1><p role=\"alert\" class=\"error\">" +
                     escape(message) + "</p><p><a href=\"" + escape(back) + "\">Back</a></p>";
  return html_response(status, page("Something went wrong", viewer, "", body));
}

http::Response refusal_page(const Error& error, const Viewer& viewer, std::string_view back) {
  return error_page(api::status_of(error.kind), &viewer, error.message, back);
}

namespace {

// A browser coming back from another site (the platform's consent page, through the OAuth
// callback's redirect) does not send a SameSite=Strict cookie. The page then reloads itself
// from here, a same-site navigation that does send it; a request that still has no session
// goes to the sign-in page.
http::Response signed_out(const http::Request& request) {
  const auto site = request.header("Sec-Fetch-Site");
  if (request.method == "GET" && site && *site == "cross-site") {
    const auto target = escape(request.target);
    return html_response(
        200, page("Sparks", nullptr, "",
                  "<meta http-equiv=\"refresh\" content=\"0; url=" + target + "\"><p><a href=\"" +
                      target + "\">Continue to Sparks</a></p>"));
  }
  return see_other(std::string(kRoot));
}

// The viewer of a request for a workspace page, or the answer that refuses it.
std::variant<Viewer, http::Response> viewer_of(App& app, const http::Request& request,
                                               SignedOut mode = SignedOut::redirect) {
  auto found = app.session_of(request);
  if (!found && mode == SignedOut::unauthorized) return html_response(401, "<p>Signed out.</p>");
  if (!found) return signed_out(request);
  auto& session = found->second;
  Viewer viewer{session.workspace, session.actor, session.csrf};
  const auto ws = request.params.find("ws");
  if (ws != request.params.end() && ws->second != session.workspace)
    return error_page(
        404, &viewer,
        "No such workspace for you: you are signed in to '" + session.workspace + "'.",
        integrations_path(session.workspace));
  return viewer;
}

}  // namespace

http::Handler page_route(std::shared_ptr<App> app, PageHandler handler, SignedOut mode) {
  return [app = std::move(app), handler = std::move(handler), mode](http::Request request,
                                                                    http::Responder respond) {
    auto who = viewer_of(*app, request, mode);
    if (auto* refusal = std::get_if<http::Response>(&who)) return respond(std::move(*refusal));
    handler(app, request, std::get<Viewer>(std::move(who)), std::move(respond));
  };
}

http::Handler action_route(std::shared_ptr<App> app, PageHandler handler) {
  return [app = std::move(app), handler = std::move(handler)](http::Request request,
                                                              http::Responder respond) {
    auto found = app->session_of(request);
    const auto presented = http::field(request.form(), "csrf").value_or("");
    if (!found || !csrf_matches(found->second, presented))
      return respond(error_page(403, nullptr,
                                "This form has expired or did not come from this app. Open the "
                                "page again and retry.",
                                kRoot));
    auto who = viewer_of(*app, request);
    if (auto* refusal = std::get_if<http::Response>(&who)) return respond(std::move(*refusal));
    handler(app, request, std::get<Viewer>(std::move(who)), std::move(respond));
  };
}

}  // namespace sparks::webapp

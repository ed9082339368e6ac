#include "webapp/webapp.hpp"

#include "webapp/app.hpp"
#include "webapp/assets.hpp"

namespace sparks::webapp {

namespace {

http::Response asset(std::string_view type, std::string_view body) {
  http::Response response{200, {{"Content-Type", std::string(type)}}, std::string(body)};
  response.headers["Cache-Control"] = "public, max-age=3600";
  response.headers["X-Content-Type-Options"] = "nosniff";
  return response;
}

}  // namespace

void mount_webapp(http::Router& router, boost::asio::any_io_executor executor,
                  std::shared_ptr<Engine> engine, std::shared_ptr<const config::Config> config) {
  auto app = std::make_shared<App>(std::move(executor), std::move(engine), *config);
  router.add_sync("GET", "/app/static/app.css", [](const http::Request&) {
    return asset("text/css; charset=utf-8", stylesheet());
  });
  router.add_sync("GET", "/app/static/app.js", [](const http::Request&) {
    return asset("text/javascript; charset=utf-8", script());
  });
  mount_sign_in(router, app);
  mount_integrations(router, app);
  mount_automations(router, app);
  mount_kept_data(router, app);
}

}  // namespace sparks::webapp

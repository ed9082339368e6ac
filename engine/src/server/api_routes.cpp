#include "server/api_routes.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <sstream>

#include "crypto/hmac.hpp"

namespace sparks::server {

namespace {

namespace json = boost::json;

// Requests answered, by route pattern and status, for /metrics.
class RequestCounters {
 public:
  void count(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++counts_[{route, status}];
  }
  std::string text() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << "# HELP sparks_http_requests_total HTTP requests answered, by route and status\n"
           "# TYPE sparks_http_requests_total counter\n";
    for (const auto& [key, n] : counts_)
      out << "sparks_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
          << "\"} " << n << '\n';
    return out.str();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> counts_;
};

struct Api {
  std::shared_ptr<Engine> engine;
  std::shared_ptr<const config::Config> config;
  RequestCounters counters;

  // The member that the request's API key names, in workspace `ws`; or the error to answer.
  std::variant<Actor, Error> member(const http::Request& request, const std::string& ws) const {
    const config::Workspace* workspace = nullptr;
    for (const auto& w : config->workspaces)
      if (w.id == ws) workspace = &w;
    auto header = request.header("Authorization").value_or("");
    constexpr std::string_view kBearer = "Bearer ";
    if (!header.starts_with(kBearer))
      return Error{ErrorKind::unauthorized, "unauthorized",
                   "send the member's API key as `Authorization: Bearer <api_key>`"};
    const std::string key = header.substr(kBearer.size());
    // Every key is compared, in constant time, so that timing says nothing about which matched.
    const config::Member* found = nullptr;
    const config::Workspace* found_in = nullptr;
    for (const auto& w : config->workspaces)
      for (const auto& m : w.members)
        if (crypto::constant_time_equal(m.api_key, key)) found = &m, found_in = &w;
    if (!found) return Error{ErrorKind::unauthorized, "unauthorized", "unknown API key"};
    if (!workspace)
      return Error{ErrorKind::not_found, "workspace_not_found", "no workspace '" + ws + "'"};
    if (found_in != workspace)
      return Error{ErrorKind::forbidden, "wrong_workspace",
                   "this API key is not a member of workspace '" + ws + "'"};
    return Actor::member(found->user, found->role);
  }

  bool known_platform(const std::string& platform) const {
    auto installed = engine->platforms();
    return std::find(installed.begin(), installed.end(), platform) != installed.end();
  }
};

// Finishes a request with the engine's reply.
ReplyHandler answer(http::Responder respond, std::shared_ptr<Api> api, std::string route,
                    int ok_status = 200) {
  return [respond = std::move(respond), api, route = std::move(route), ok_status](Reply reply) {
    auto response =
        reply.error ? error_response(*reply.error) : http::Response::json(ok_status, reply.value);
    api->counters.count(route, response.status);
    respond(std::move(response));
  };
}

void refuse(const http::Responder& respond, Api& api, const std::string& route,
            const Error& error) {
  api.counters.count(route, status_of(error.kind));
  respond(error_response(error));
}

bool is_yaml(const http::Request& request) {
  auto type = request.header("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  return type == "application/yaml" || type == "text/yaml" || type == "application/x-yaml";
}

}  // namespace

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return 400;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::unavailable:
      return 502;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

http::Response error_response(const Error& error) {
  return http::error_response(status_of(error.kind), error.code, error.message);
}

void mount_api(http::Router& router, std::shared_ptr<Engine> engine,
               std::shared_ptr<const config::Config> config) {
  auto api = std::make_shared<Api>();
  api->engine = std::move(engine);
  api->config = std::move(config);

  router.add_sync("GET", "/healthz", [api](const http::Request&) {
    api->counters.count("/healthz", 200);
    return http::Response::json(200, {{"status", "ok"}});
  });
  router.add_sync("GET", "/metrics", [api](const http::Request&) {
    api->counters.count("/metrics", 200);
    auto response = http::Response::text(200, api->engine->metrics() + api->counters.text());
    response.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });

  // Routes for a member of {ws}: the key is checked first, then `call` runs with the member.
  using MemberCall = std::function<void(const http::Request&, const Actor&, ReplyHandler)>;
  auto member_route = [&router, api](std::string method, std::string pattern, MemberCall call,
                                     int ok_status = 200) {
    router.add(method, pattern,
               [api, pattern, call = std::move(call), ok_status](http::Request request,
                                                                 http::Responder respond) {
                 auto who = api->member(request, request.params.at("ws"));
                 if (auto* error = std::get_if<Error>(&who))
                   return refuse(respond, *api, pattern, *error);
                 if (auto it = request.params.find("platform");
                     it != request.params.end() && !api->known_platform(it->second))
                   return refuse(respond, *api, pattern,
                                 {ErrorKind::not_found, "unknown_platform",
                                  "no platform '" + it->second + "' is installed"});
                 call(request, std::get<Actor>(who),
                      answer(std::move(respond), api, pattern, ok_status));
               });
  };
  const std::string ws = "/api/v1/workspaces/{ws}";
  auto engine_of = [api] { return api->engine; };

  member_route("GET", ws + "/integrations",
               [engine_of](const http::Request& r, const Actor&, ReplyHandler done) {
                 engine_of()->cards(r.params.at("ws"), std::move(done));
               });
  member_route(
      "POST", ws + "/integrations/{platform}/connect",
      [engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
        engine_of()->connect({r.params.at("ws"), r.params.at("platform")}, actor, std::move(done));
      });
  member_route("POST", ws + "/integrations/{platform}/disconnect",
               [engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
                 engine_of()->disconnect({r.params.at("ws"), r.params.at("platform")}, actor,
                                         std::move(done));
               });
  member_route("GET", ws + "/audit",
               [engine_of](const http::Request& r, const Actor&, ReplyHandler done) {
                 engine_of()->audit_log(r.params.at("ws"), std::move(done));
               });

  // Flows: YAML in, JSON out.
  auto with_yaml =
      [api](std::function<void(const http::Request&, const Actor&, ReplyHandler)> call) {
        return [api, call = std::move(call)](const http::Request& r, const Actor& actor,
                                             ReplyHandler done) {
          if (!is_yaml(r))
            return done(
                Reply::fail(ErrorKind::invalid, "unsupported_content_type",
                            "send the flow as YAML with `Content-Type: application/yaml` (got '" +
                                r.header("Content-Type").value_or("none") + "')"));
          call(r, actor, std::move(done));
        };
      };
  member_route("GET", ws + "/flows",
               [engine_of](const http::Request& r, const Actor&, ReplyHandler done) {
                 engine_of()->flows(r.params.at("ws"), std::move(done));
               });
  member_route(
      "POST", ws + "/flows",
      with_yaml([engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
        engine_of()->create_flow(r.params.at("ws"), actor, r.body, std::move(done));
      }),
      201);
  member_route("GET", ws + "/flows/{id}",
               [engine_of](const http::Request& r, const Actor&, ReplyHandler done) {
                 engine_of()->flow(r.params.at("ws"), r.params.at("id"), std::move(done));
               });
  member_route(
      "PUT", ws + "/flows/{id}",
      with_yaml([engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
        engine_of()->update_flow(r.params.at("ws"), r.params.at("id"), actor, r.body,
                                 std::move(done));
      }));
  member_route("DELETE", ws + "/flows/{id}",
               [engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
                 engine_of()->delete_flow(r.params.at("ws"), r.params.at("id"), actor,
                                          std::move(done));
               });
  using FlowStep = void (Engine::*)(std::string, std::string, Actor, ReplyHandler);
  for (auto [verb, step] : {std::pair<const char*, FlowStep>{"publish", &Engine::publish_flow},
                            std::pair<const char*, FlowStep>{"pause", &Engine::pause_flow},
                            std::pair<const char*, FlowStep>{"resume", &Engine::resume_flow}})
    member_route("POST", ws + "/flows/{id}/" + verb,
                 [engine_of, step](const http::Request& r, const Actor& actor, ReplyHandler done) {
                   ((*engine_of()).*step)(r.params.at("ws"), r.params.at("id"), actor,
                                          std::move(done));
                 });

  // What was kept.
  using Listing = void (Engine::*)(std::string, ReplyHandler);
  for (auto [name, list] : {std::pair<const char*, Listing>{"contacts", &Engine::contacts},
                            std::pair<const char*, Listing>{"inbox", &Engine::inbox},
                            std::pair<const char*, Listing>{"orders", &Engine::orders},
                            std::pair<const char*, Listing>{"analytics", &Engine::analytics}})
    member_route("GET", ws + "/" + name,
                 [engine_of, list](const http::Request& r, const Actor&, ReplyHandler done) {
                   ((*engine_of()).*list)(r.params.at("ws"), std::move(done));
                 });

  member_route(
      "DELETE", ws, [engine_of](const http::Request& r, const Actor& actor, ReplyHandler done) {
        boost::system::error_code ec;
        auto body = json::parse(r.body, ec);
        const auto* confirm = body.is_object() ? body.get_object().if_contains("confirm") : nullptr;
        engine_of()->close_workspace(
            r.params.at("ws"), actor,
            confirm && confirm->is_string() ? std::string(confirm->get_string()) : "",
            std::move(done));
      });

  // The platforms' side: no API key; the state and the signatures are the proof.
  router.add("GET", "/oauth/{platform}/callback",
             [api](http::Request request, http::Responder respond) {
               api->engine->complete_authorization(
                   request.params.at("platform"), request.query,
                   answer(std::move(respond), api, "/oauth/{platform}/callback"));
             });
  router.add("POST", "/webhooks/{platform}", [api](http::Request request, http::Responder respond) {
    InboundWebhook webhook{
        request.method, request.path, request.query_string, {}, std::move(request.body)};
    for (const auto& [name, value] : request.headers) webhook.headers.emplace_back(name, value);
    api->engine->receive_webhook(request.params.at("platform"), std::move(webhook),
                                 answer(std::move(respond), api, "/webhooks/{platform}"));
  });
}

}  // namespace sparks::server

#include "api/routes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

#include "api/auth.hpp"
#include "api/forwarding.hpp"
#include "api/openapi_route.hpp"
#include "api/paging.hpp"
#include "store/connection.hpp"
#include "webapp/oauth_redirect.hpp"

namespace sparks::api {

namespace {

namespace json = boost::json;

// Requests answered, by route pattern (not path: the label set stays small) and status.
class RequestCounters {
 public:
  void count(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++counts_[{route, status}];
  }

  std::string text() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << "# HELP sparks_http_requests_total HTTP requests answered by the API, by route and "
           "status\n"
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
  Api(boost::asio::any_io_executor ex, std::shared_ptr<Engine> e, const config::Config& config)
      : executor(std::move(ex)),
        engine(std::move(e)),
        keys(config),
        forwards(store::is_shared(config.database.string())) {}

  boost::asio::any_io_executor executor;  // for the requests forwarded to another instance
  std::shared_ptr<Engine> engine;
  MemberKeys keys;
  RequestCounters counters;
  // Several instances share the store: a request may have to go on to another one.
  const bool forwards;

  bool installed(const std::string& platform) const {
    const auto platforms = engine->platforms();
    return std::find(platforms.begin(), platforms.end(), platform) != platforms.end();
  }
};

// What a request would be forwarded as, unless it was forwarded to this instance already.
// Only where several instances share the store; none is kept otherwise.
std::shared_ptr<const http::Request> forwardable(const Api& api, const http::Request& request) {
  if (!api.forwards || request.header(kForwardedHeader)) return nullptr;
  auto onward = std::make_shared<http::Request>();
  onward->method = request.method;
  onward->target = request.target;
  onward->headers = request.headers;
  onward->body = request.body;
  onward->request_id = request.request_id;
  return onward;
}

// Answers a request with the engine's reply (from whichever thread the reply comes on). A
// request for a workspace another instance runs goes on to it as `onward`, when there is one.
ReplyHandler answer(http::Responder respond, std::shared_ptr<Api> api, std::string route,
                    int ok_status, std::shared_ptr<const http::Request> onward = nullptr) {
  return [respond = std::move(respond), api = std::move(api), route = std::move(route), ok_status,
          onward = std::move(onward)](Reply reply) mutable {
    if (reply.error && reply.error->kind == ErrorKind::elsewhere && onward) {
      api->counters.count(route, 307);  // counted as sent on
      return forward(api->executor, *onward, reply.error->location, api->engine->instance_id(),
                     std::move(respond));
    }
    auto response =
        reply.error ? error_response(*reply.error) : http::Response::json(ok_status, reply.value);
    api->counters.count(route, response.status);
    respond(std::move(response));
  };
}

// What a member route does once the member is known.
using MemberCall =
    std::function<void(Engine& engine, const http::Request&, const Actor&, ReplyHandler)>;

// A member route: the API key first, then the platform (when the route names one), then `call`.
http::Handler member_route(std::shared_ptr<Api> api, std::string pattern, MemberCall call,
                           int ok_status = 200) {
  return [api = std::move(api), pattern = std::move(pattern), call = std::move(call), ok_status](
             http::Request request, http::Responder respond) {
    auto done = answer(std::move(respond), api, pattern, ok_status, forwardable(*api, request));
    auto who = api->keys.authenticate(request.header("Authorization"), request.params.at("ws"));
    if (auto* error = std::get_if<Error>(&who)) return done({*error, nullptr});
    if (auto it = request.params.find("platform");
        it != request.params.end() && !api->installed(it->second))
      return done(Reply::fail(ErrorKind::not_found, "unknown_platform",
                              "no platform '" + it->second +
                                  "' is installed (the connectors are tiktok and tiktok_shop)"));
    call(*api->engine, request, std::get<Actor>(who), std::move(done));
  };
}

// Flow routes take the flow's YAML as the body; any other content type is refused by name.
MemberCall yaml_body(MemberCall call) {
  return [call = std::move(call)](Engine& engine, const http::Request& r, const Actor& actor,
                                  ReplyHandler done) {
    const auto type = r.header("Content-Type");
    if (!type || !is_yaml_content_type(*type))
      return done(Reply::fail(ErrorKind::invalid, "unsupported_content_type",
                              "send the flow as YAML with `Content-Type: application/yaml` (got " +
                                  (type ? "'" + *type + "'" : std::string("no Content-Type")) +
                                  ")"));
    call(engine, r, actor, std::move(done));
  };
}

// A listing's route: the page the query names (limit, cursor), then `list` with it.
using PagedCall = std::function<void(Engine& engine, const http::Request&, Page, ReplyHandler)>;
MemberCall paged(PagedCall list) {
  return [list = std::move(list)](Engine& engine, const http::Request& r, const Actor&,
                                  ReplyHandler done) {
    auto page = page_of(r);
    if (auto* error = std::get_if<Error>(&page)) return done({*error, nullptr});
    list(engine, r, std::get<Page>(std::move(page)), std::move(done));
  };
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// {"confirm": "<ws>"} → "<ws>"; anything else → "" (the engine then asks for the confirmation).
std::string confirmation(const std::string& body) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return {};
  const auto* confirm = parsed.get_object().if_contains("confirm");
  return confirm && confirm->is_string() ? std::string(confirm->get_string()) : std::string();
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
    case ErrorKind::retry_later:
    case ErrorKind::elsewhere:  // not forwarded: the instance it runs on answers it
      return 503;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

http::Response error_response(const Error& error) {
  auto response = http::error_response(status_of(error.kind), error.code, error.message);
  if (error.kind == ErrorKind::retry_later || error.kind == ErrorKind::elsewhere)
    response.headers["Retry-After"] = "1";
  return response;
}

bool is_yaml_content_type(std::string_view content_type) {
  auto type = lower(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  return type == "application/yaml" || type == "text/yaml" || type == "application/x-yaml";
}

namespace {

const std::string kWorkspace = "/api/v1/workspaces/{ws}";

// Registers a route that a workspace member calls with an API key.
struct AddMemberRoute {
  http::Router& router;
  std::shared_ptr<Api> api;
  void operator()(const std::string& method, const std::string& pattern, MemberCall call,
                  int ok_status = 200) const {
    router.add(method, pattern, member_route(api, pattern, std::move(call), ok_status));
  }
};

void mount_monitoring(http::Router& router, const std::shared_ptr<Api>& api,
                      std::function<std::string()> more_metrics) {
  // 200 when the store answers a read and the writer commits, else 503 with what failed.
  router.add("GET", "/healthz", [api](http::Request, http::Responder respond) {
    api->engine->health([api, respond = std::move(respond)](HealthReport report) {
      const int status = report.ok() ? 200 : 503;
      api->counters.count("/healthz", status);
      auto response = http::Response::json(status, {{"status", report.ok() ? "ok" : "failing"},
                                                    {"store", report.store},
                                                    {"writer", report.writer}});
      if (status == 503) response.headers["Retry-After"] = "1";
      respond(std::move(response));
    });
  });
  router.add("GET", "/metrics", [api, more_metrics](http::Request, http::Responder respond) {
    api->counters.count("/metrics", 200);
    api->engine->metrics([api, more_metrics, respond = std::move(respond)](std::string body) {
      if (!body.empty() && body.back() != '\n') body += '\n';
      if (more_metrics) body += more_metrics();
      auto response = http::Response::text(200, body + api->counters.text());
      response.headers["Content-Type"] = "text/plain; version=0.0.4; charset=utf-8";
      respond(std::move(response));
    });
  });
}

void mount_integrations(const AddMemberRoute& add) {
  const std::string& ws = kWorkspace;
  // Integrations: the cards, and the owner's connect / disconnect.
  add("GET", ws + "/integrations",
      [](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.cards(r.params.at("ws"), actor, std::move(done));
      });
  add("POST", ws + "/integrations/{platform}/connect",
      [](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.connect({r.params.at("ws"), r.params.at("platform")}, actor, std::move(done));
      });
  add("POST", ws + "/integrations/{platform}/disconnect",
      [](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.disconnect({r.params.at("ws"), r.params.at("platform")}, actor, std::move(done));
      });
  add("GET", ws + "/audit",
      paged([](Engine& e, const http::Request& r, Page page, ReplyHandler done) {
        e.audit_log(r.params.at("ws"), std::move(page), std::move(done));
      }));
}

void mount_flows(const AddMemberRoute& add) {
  const std::string& ws = kWorkspace;
  // Flows: YAML in, JSON out.
  add("GET", ws + "/flows",
      paged([](Engine& e, const http::Request& r, Page page, ReplyHandler done) {
        e.flows(r.params.at("ws"), std::move(page), std::move(done));
      }));
  add("POST", ws + "/flows",
      yaml_body([](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.create_flow(r.params.at("ws"), actor, r.body, std::move(done));
      }),
      201);
  add("GET", ws + "/flows/{id}",
      [](Engine& e, const http::Request& r, const Actor&, ReplyHandler done) {
        e.flow(r.params.at("ws"), r.params.at("id"), std::move(done));
      });
  add("PUT", ws + "/flows/{id}",
      yaml_body([](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.update_flow(r.params.at("ws"), r.params.at("id"), actor, r.body, std::move(done));
      }));
  add("DELETE", ws + "/flows/{id}",
      [](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
        e.delete_flow(r.params.at("ws"), r.params.at("id"), actor, std::move(done));
      });
  add("GET", ws + "/flows/{id}/runs",
      paged([](Engine& e, const http::Request& r, Page page, ReplyHandler done) {
        e.flow_runs(r.params.at("ws"), r.params.at("id"), std::move(page), std::move(done));
      }));
  // A dry run: {"trigger", "payload"} in; nothing is sent or stored.
  add("POST", ws + "/flows/{id}/test",
      [](Engine& e, const http::Request& r, const Actor&, ReplyHandler done) {
        boost::system::error_code ec;
        auto sample = json::parse(r.body, ec);
        if (ec || !sample.is_object())
          return done(Reply::fail(ErrorKind::invalid, "invalid_sample",
                                  "send a JSON object {\"trigger\": \"tiktok.comment\", "
                                  "\"payload\": {…}}"));
        e.test_flow(r.params.at("ws"), r.params.at("id"), std::move(sample.as_object()),
                    std::move(done));
      });
  using FlowStep = void (Engine::*)(std::string, std::string, Actor, ReplyHandler);
  // `step = step`: clang 15 (the fuzz build) cannot capture a structured binding by name.
  for (const auto& [verb, step] :
       {std::pair<const char*, FlowStep>{"publish", &Engine::publish_flow},
        std::pair<const char*, FlowStep>{"pause", &Engine::pause_flow},
        std::pair<const char*, FlowStep>{"resume", &Engine::resume_flow}})
    add("POST", ws + "/flows/{id}/" + verb,
        [step = step](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
          (e.*step)(r.params.at("ws"), r.params.at("id"), actor, std::move(done));
        });
}

void mount_kept_data(const AddMemberRoute& add) {
  const std::string& ws = kWorkspace;
  // What was kept.
  using Listing = void (Engine::*)(std::string, Page, ReplyHandler);
  // `list = list`: clang 15 cannot capture a structured binding by name.
  for (const auto& [name, list] :
       {std::pair<const char*, Listing>{"contacts", &Engine::contacts},
        std::pair<const char*, Listing>{"inbox", &Engine::inbox},
        std::pair<const char*, Listing>{"orders", &Engine::orders},
        std::pair<const char*, Listing>{"analytics", &Engine::analytics}})
    add("GET", ws + "/" + name,
        paged([list = list](Engine& e, const http::Request& r, Page page, ReplyHandler done) {
          (e.*list)(r.params.at("ws"), std::move(page), std::move(done));
        }));

  // Closing the workspace deletes its data: the body must repeat its id, {"confirm": "<ws>"}.
  add("DELETE", ws, [](Engine& e, const http::Request& r, const Actor& actor, ReplyHandler done) {
    e.close_workspace(r.params.at("ws"), actor, confirmation(r.body), std::move(done));
  });
}

void mount_platform_side(http::Router& router, const std::shared_ptr<Api>& api) {
  // The platforms' side: no API key; the signed state and the signatures are the proof.
  // With a trailing "/" as well: TikTok accepts only redirect URLs that end with one, and its
  // connector registers the callback so (docs/production.md).
  for (const char* path : {"/oauth/{platform}/callback", "/oauth/{platform}/callback/"})
    router.add("GET", path, [api](http::Request request, http::Responder respond) {
      auto done =
          answer(respond, api, "/oauth/{platform}/callback", 200, forwardable(*api, request));
      // A browser lands on the web app's Integrations page with how it went (docs/web-app.md).
      if (webapp::wants_html(request))
        done = [done = std::move(done), respond, api, query = request.query](Reply reply) {
          if (reply.error) return done(std::move(reply));
          api->counters.count("/oauth/{platform}/callback", 303);
          respond(webapp::callback_redirect(query, reply.value));
        };
      api->engine->complete_authorization(request.params.at("platform"), std::move(request.query),
                                          std::move(done));
    });
  router.add("POST", "/webhooks/{platform}", [api](http::Request request, http::Responder respond) {
    InboundWebhook webhook;
    webhook.method = request.method;
    webhook.path = request.path;
    webhook.query = request.query_string;
    webhook.body = std::move(request.body);  // the exact bytes the signature covers
    webhook.request_id = request.request_id;
    for (const auto& [name, value] : request.headers) webhook.headers.emplace_back(name, value);
    api->engine->receive_webhook(request.params.at("platform"), std::move(webhook),
                                 answer(std::move(respond), api, "/webhooks/{platform}", 200));
  });
}

}  // namespace

void mount_api(http::Router& router, boost::asio::any_io_executor executor,
               std::shared_ptr<Engine> engine, std::shared_ptr<const config::Config> config,
               std::function<std::string()> more_metrics) {
  auto api = std::make_shared<Api>(std::move(executor), std::move(engine), *config);
  const AddMemberRoute add{router, api};
  mount_monitoring(router, api, std::move(more_metrics));
  mount_integrations(add);
  mount_flows(add);
  mount_kept_data(add);
  mount_platform_side(router, api);
  mount_openapi_document(router);
}

}  // namespace sparks::api

#pragma once
// Routes a request to its handler by method and path. A pattern is a path whose segments are
// literals or `{name}` (matching any one segment, exposed in Request::params):
//   router.add("GET", "/api/v1/workspaces/{ws}/integrations", handler);
// Trailing slashes count: "/v2/oauth/token/" and "/v2/oauth/token" are different routes, as on the
// platforms we emulate. No match on the path gives 404; a path match with another method gives 405.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace sparks::http {

// Completes one request. Call it exactly once, from any thread; copies share that one answer. If
// every copy is dropped without being called, the client gets a 500 (a handler bug must not
// leave a connection hanging).
class Responder {
 public:
  explicit Responder(std::function<void(Response)> deliver);
  void operator()(Response response) const;

 private:
  struct Slot;
  std::shared_ptr<Slot> slot_;
};

// A handler may answer at once or later (after a timer, on another strand, …).
using Handler = std::function<void(Request request, Responder respond)>;
// A handler that answers at once.
using SyncHandler = std::function<Response(const Request& request)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  void add_sync(std::string method, std::string pattern, SyncHandler handler);

  // Finds the route, fills request.params and runs its handler; 404/405 otherwise.
  void dispatch(Request request, Responder respond) const;

  // Every route added, in order: its method and its pattern as given to add() (the OpenAPI
  // document's tests compare them with docs/openapi.yaml).
  struct Listed {
    std::string method;
    std::string pattern;
  };
  std::vector<Listed> routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // literal, or "{name}"
    Handler handler;
  };
  static bool match(const Route& route, const std::vector<std::string>& path_segments,
                    std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
};

// Splits "/a/b/" into {"a", "b", ""} (the empty last segment keeps a trailing slash significant).
std::vector<std::string> split_path(std::string_view path);

// {"error": {"code": code, "message": message}} with `status` (the engine's error shape).
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace sparks::http

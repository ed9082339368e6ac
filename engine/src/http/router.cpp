#include "http/router.hpp"

#include <atomic>
#include <boost/json/value.hpp>

namespace sparks::http {

struct Responder::Slot {
  std::function<void(Response)> deliver;
  std::atomic<bool> answered{false};

  ~Slot() {
    if (!answered.exchange(true)) {
      deliver(error_response(500, "no_response", "the handler dropped the request"));
    }
  }
};

Responder::Responder(std::function<void(Response)> deliver) : slot_(std::make_shared<Slot>()) {
  slot_->deliver = std::move(deliver);
}

void Responder::operator()(Response response) const {
  if (slot_->answered.exchange(true)) return;  // a second answer is a handler bug: ignore it
  slot_->deliver(std::move(response));
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

Response error_response(int status, std::string_view code, std::string_view message) {
  return Response::json(status, {{"error", {{"code", code}, {"message", message}}}});
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back({std::move(method), split_path(pattern), std::move(handler)});
}

void Router::add_sync(std::string method, std::string pattern, SyncHandler handler) {
  add(std::move(method), std::move(pattern),
      [handler = std::move(handler)](Request request, Responder respond) {
        respond(handler(request));
      });
}

std::vector<Router::Listed> Router::routes() const {
  std::vector<Listed> listed;
  for (const Route& route : routes_) {
    std::string pattern;
    for (const auto& segment : route.segments) pattern += "/" + segment;
    listed.push_back({route.method, pattern});
  }
  return listed;
}

bool Router::match(const Route& route, const std::vector<std::string>& path_segments,
                   std::map<std::string, std::string>& params) {
  if (route.segments.size() != path_segments.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < path_segments.size(); ++i) {
    const std::string& wanted = route.segments[i];
    if (wanted.size() > 2 && wanted.front() == '{' && wanted.back() == '}') {
      if (path_segments[i].empty()) return false;
      found[wanted.substr(1, wanted.size() - 2)] = path_segments[i];
    } else if (wanted != path_segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

void Router::dispatch(Request request, Responder respond) const {
  const auto segments = split_path(request.path);
  bool path_matched = false;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route, segments, params)) continue;
    path_matched = true;
    if (route.method != request.method) continue;
    request.params = std::move(params);
    route.handler(std::move(request), std::move(respond));
    return;
  }
  if (path_matched) {
    respond(error_response(405, "method_not_allowed", request.method + " is not allowed here"));
  } else {
    respond(error_response(404, "not_found", "no route for " + request.path));
  }
}

}  // namespace sparks::http

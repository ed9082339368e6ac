#include "sandbox/context.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "crypto/hmac.hpp"
#include "crypto/random.hpp"

namespace sparks::sandbox {

namespace net = boost::asio;

Context::Context(net::any_io_executor executor, SandboxOptions options)
    : executor(executor), strand(net::make_strand(executor)), options(std::move(options)) {}

std::string Context::random_token(const std::string& prefix) {
  return prefix + crypto::to_hex(crypto::random_bytes(16));
}

std::string Context::request_id() {
  return state.next_id("sandbox-req-");
}

bool Context::over_minute_limit(const std::string& key, int limit) {
  auto& [minute, calls] = calls_this_minute[key];
  const std::int64_t now = state.now() / 60;
  if (minute != now) {
    minute = now;
    calls = 0;
  }
  return ++calls > limit;
}

namespace {

// An injected error, shaped like the platform whose path it hit.
http::Response fault_response(Context& context, const std::string& path, int status) {
  const bool rate = status == 429;
  const std::string message =
      rate ? "Too many requests (sandbox fault)" : "Internal server error (sandbox fault)";
  if (path.starts_with("/v2/")) {
    return http::Response::json(status, {{"error", rate ? "rate_limit_exceeded" : "server_error"},
                                         {"error_description", message},
                                         {"log_id", context.request_id()}});
  }
  if (path.starts_with("/open_api/")) {
    // TikTok API for Business answers throttling with HTTP 200 and code 40100.
    return http::Response::json(rate ? 200 : status, {{"code", rate ? 40100 : 50002},
                                                      {"message", message},
                                                      {"request_id", context.request_id()},
                                                      {"data", boost::json::object{}}});
  }
  // Partner API: 36009002 too many requests, 36009003 internal error (docs/sandbox.md).
  return http::Response::json(status, {{"code", rate ? 36009002 : 36009003},
                                       {"message", message},
                                       {"request_id", context.request_id()},
                                       {"data", nullptr}});
}

}  // namespace

namespace {

// One request, on the sandbox strand: an armed error fault answers instead of the handler; an
// armed slow fault holds the handler's answer back.
void handle(const std::shared_ptr<Context>& context, const RouteHandler& handler,
            const http::Request& request, const http::Responder& respond) {
  Context& ctx = *context;
  if (auto status = ctx.faults.take_http_error(request.path)) {
    return respond(fault_response(ctx, request.path, *status));
  }
  const auto delay = ctx.faults.take_slow(request.path);
  http::Response response;
  try {
    response = handler(ctx, request);
  } catch (const std::exception& e) {
    // A bug in a route must not take the host's io_context down with it.
    spdlog::error("sandbox: {} {} failed: {}", request.method, request.path, e.what());
    response = http::error_response(500, "internal", "sandbox error");
  }
  if (!delay) return respond(std::move(response));
  auto timer = std::make_shared<net::steady_timer>(ctx.strand, *delay);
  timer->async_wait(
      [timer, respond, response = std::move(response)](const boost::system::error_code&) mutable {
        respond(std::move(response));
      });
}

}  // namespace

void add_route(http::Router& router, const std::shared_ptr<Context>& context, std::string method,
               std::string pattern, RouteHandler handler) {
  router.add(
      std::move(method), std::move(pattern),
      [context, handler = std::move(handler)](http::Request request, http::Responder respond) {
        net::post(context->strand,
                  [context, handler, request = std::move(request), respond = std::move(respond)] {
                    handle(context, handler, request, respond);
                  });
      });
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (!item.empty() && std::find(items.begin(), items.end(), item) == items.end()) {
      items.push_back(std::move(item));
    }
    start = end + 1;
  }
  return items;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += ",";
    joined += item;
  }
  return joined;
}

}  // namespace sparks::sandbox

#include "http/session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <string_view>

#include "http/request_id.hpp"
#include "http/request_reading.hpp"

namespace sparks::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// How long a refusing session waits for the request it answers: the refusal should free its
// descriptor soon, whatever the client does.
constexpr std::chrono::milliseconds kRefusalReadTimeout{2'000};
// What a refused client is told to wait before it tries again, in seconds.
constexpr std::string_view kRetryAfterSeconds = "1";

bhttp::response<bhttp::string_body> to_beast(Response&& in, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "sparks");
  for (auto& [name, value] : in.headers) out.set(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// The caller's X-Request-Id when it is usable, else a new one.
template <typename Message>
std::string request_id_of(const Message& message) {
  const auto sent = message.find(kRequestIdHeader);
  return request_id_for(sent == message.end() ? std::nullopt
                                              : std::optional(std::string(sent->value())));
}

// Answers the server could not give are warnings, naming the request; the rest is for debugging.
// The path only: a query may carry an OAuth code or state.
void log_answer(const std::string& id, const std::string& method, const std::string& path,
                int status, std::chrono::steady_clock::duration took) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (status >= 500)
    spdlog::warn("request {}: {} {} answered {} in {} ms", id, method, path, status, ms);
  else
    spdlog::debug("request {}: {} {} answered {} in {} ms", id, method, path, status, ms);
}

Response too_many_connections() {
  auto response = error_response(503, "too_many_connections",
                                 "the server is serving as many connections as it may; retry soon");
  response.headers["Retry-After"] = std::string(kRetryAfterSeconds);
  return response;
}

}  // namespace

Session::Session(tcp::socket&& socket, std::shared_ptr<const Router> router,
                 const ServerOptions& options, ConnectionSlot slot, SessionRole role)
    : socket_(std::move(socket)),
      watchdog_(socket_.get_executor()),
      router_(std::move(router)),
      options_(options),
      slot_(std::move(slot)),
      role_(role) {}

void Session::start() {
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->read_next();
    self->watch_deadline();
  });
}

void Session::close() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
    self->socket_.close(ignored);
  });
}

void Session::set_deadline(std::chrono::steady_clock::duration from_now) {
  deadline_ = std::chrono::steady_clock::now() + from_now;
}

void Session::clear_deadline() {
  deadline_ = kNoDeadline;
}

// The timer wakes at the deadline it last saw, or once per idle_timeout while there is none. A
// deadline met closes the socket, which ends the read or write under way. The timer holds the
// session weakly: a session ends when its I/O does, and its destruction cancels the wait.
void Session::watch_deadline() {
  const auto now = std::chrono::steady_clock::now();
  if (deadline_ <= now) {
    beast::error_code ignored;
    socket_.close(ignored);
    return;
  }
  watchdog_.expires_at(deadline_ == kNoDeadline ? now + options_.idle_timeout : deadline_);
  watchdog_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->watch_deadline();
  });
}

void Session::read_next() {
  parser_.emplace();
  apply_limits(*parser_, options_);
  // A keep-alive connection waiting for its next request is bounded by the same deadline: an idle
  // client cannot hold one of the max_connections for longer than idle_timeout.
  set_deadline(role_ == SessionRole::refuse ? std::min(options_.idle_timeout, kRefusalReadTimeout)
                                            : options_.idle_timeout);
  bhttp::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void Session::on_read(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream) return shut_down();
  const bool malformed =
      ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
  // A refusal reads the request first, so that the client, still sending, does not meet a reset
  // and miss the answer.
  if (role_ == SessionRole::refuse) {
    if (!ec || malformed) return write(too_many_connections(), 11, false);
    return;
  }
  // A request that could not be read still names the id it sent, if its headers got that far.
  if (ec) request_id_ = request_id_of(parser_->get());
  if (ec == bhttp::error::body_limit) {
    return write(error_response(413, "body_too_large", "the request body is too large"), 11, false);
  }
  // A request that cannot be read is answered with why, then the connection is closed: the
  // client learns what to fix, and nothing after it on the connection can be trusted.
  if (ec == bhttp::error::header_limit) {
    const bool line_too_long = !request_line_ended();
    return write(
        line_too_long
            ? error_response(414, "uri_too_long", "the request target is too long")
            : error_response(431, "headers_too_large", "the request headers are too large"),
        11, false);
  }
  if (malformed)
    return write(error_response(400, "bad_request", "malformed request: " + ec.message()), 11,
                 false);
  if (ec) return;    // timeout or reset: nobody to answer
  clear_deadline();  // the handler may take its time; the write sets a new deadline
  dispatch(parser_->release());
}

void Session::dispatch(bhttp::request<bhttp::string_body>&& beast_request) {
  const unsigned version = beast_request.version();
  const bool keep_alive = beast_request.keep_alive();
  request_id_ = request_id_of(beast_request);
  // Which member acts must not depend on which of two headers a reader picks.
  if (beast_request.count(bhttp::field::authorization) > 1)
    return write(error_response(400, "duplicate_header", "more than one Authorization header"),
                 version, false);
  Request request;
  if (!to_request(beast_request, request)) {
    return write(error_response(400, "bad_request", "malformed request target"), version, false);
  }
  request.request_id = request_id_;
  Responder respond([self = shared_from_this(), version, keep_alive, id = request.request_id,
                     method = request.method, path = request.path,
                     started = std::chrono::steady_clock::now()](Response response) {
    log_answer(id, method, path, response.status, std::chrono::steady_clock::now() - started);
    net::post(self->socket_.get_executor(),
              [self, version, keep_alive, response = std::move(response)]() mutable {
                self->write(std::move(response), version, keep_alive);
              });
  });
  try {
    router_->dispatch(std::move(request), respond);
  } catch (const std::exception& e) {
    spdlog::error("request {}: the handler threw: {}", request_id_, e.what());
    respond(error_response(500, "internal", "internal error"));
  }
}

void Session::write(Response&& response, unsigned version, bool keep_alive) {
  // Every answer names its request, also those written before a Request was made of it.
  response.headers[std::string(kRequestIdHeader)] =
      request_id_.empty() ? new_request_id() : request_id_;
  request_id_.clear();
  response_ = to_beast(std::move(response), version, keep_alive);
  set_deadline(options_.idle_timeout);
  bhttp::async_write(socket_, response_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       if (ec) return;
                       if (!keep_alive) return self->shut_down();
                       self->read_next();
                     });
}

// Whether the request line ended within what was read (else it alone was over the limit).
bool Session::request_line_ended() const {
  const auto data = buffer_.data();
  const std::string_view read(static_cast<const char*>(data.data()), data.size());
  return read.find("\r\n") != std::string_view::npos;
}

void Session::shut_down() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace sparks::http

#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <mutex>
#include <vector>

#include "http/request_reading.hpp"

namespace sparks::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

bhttp::response<bhttp::string_body> to_beast(Response&& in, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "sparks");
  for (auto& [name, value] : in.headers) out.set(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// One connection. Everything it does runs on its strand (the stream's executor).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<const Router> router, const ServerOptions& options)
      : stream_(std::move(socket)), router_(std::move(router)), options_(options) {}

  void start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::read_next, shared_from_this()));
  }

  // Called from the listener when the server stops.
  void close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void read_next() {
    parser_.emplace();
    apply_limits(*parser_, options_);
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream) return shut_down();
    if (ec == bhttp::error::body_limit) {
      return write(error_response(413, "body_too_large", "the request body is too large"), 11,
                   false);
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
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
      return write(error_response(400, "bad_request", "malformed request: " + ec.message()), 11,
                   false);
    if (ec) return;           // timeout or reset: nobody to answer
    stream_.expires_never();  // the handler may take its time; the write sets a new deadline

    auto beast_request = parser_->release();
    const unsigned version = beast_request.version();
    const bool keep_alive = beast_request.keep_alive();
    // Which member acts must not depend on which of two headers a reader picks.
    if (beast_request.count(bhttp::field::authorization) > 1)
      return write(error_response(400, "duplicate_header", "more than one Authorization header"),
                   version, false);
    Request request;
    if (!to_request(beast_request, request)) {
      return write(error_response(400, "bad_request", "malformed request target"), version, false);
    }
    Responder respond([self = shared_from_this(), version, keep_alive](Response response) {
      net::post(self->stream_.get_executor(),
                [self, version, keep_alive, response = std::move(response)]() mutable {
                  self->write(std::move(response), version, keep_alive);
                });
    });
    try {
      router_->dispatch(std::move(request), respond);
    } catch (const std::exception& e) {
      spdlog::error("http handler threw: {}", e.what());
      respond(error_response(500, "internal", "internal error"));
    }
  }

  void write(Response&& response, unsigned version, bool keep_alive) {
    response_ = to_beast(std::move(response), version, keep_alive);
    stream_.expires_after(options_.idle_timeout);
    bhttp::async_write(stream_, response_,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                         if (ec) return;
                         if (!keep_alive) return self->shut_down();
                         self->read_next();
                       });
  }

  // Whether the request line ended within what was read (else it alone was over the limit).
  bool request_line_ended() const {
    const auto data = buffer_.data();
    const std::string_view read(static_cast<const char*>(data.data()), data.size());
    return read.find("\r\n") != std::string_view::npos;
  }

  void shut_down() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::shared_ptr<const Router> router_;
  const ServerOptions options_;  // a copy: a session may outlive the listener
};

}  // namespace

// The listener. Lives in a shared_ptr so that a pending accept keeps it alive after ~Server.
struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(net::any_io_executor executor, std::shared_ptr<const Router> router, ServerOptions options)
      : executor(executor),
        acceptor(net::make_strand(executor)),
        router(std::move(router)),
        options(options) {}

  void accept_next() {
    acceptor.async_accept(net::make_strand(executor),
                          [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                            self->on_accept(ec, std::move(socket));
                          });
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;  // stopped
    if (!ec) {
      auto session = std::make_shared<Session>(std::move(socket), router, options);
      std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
      sessions.push_back(session);
      session->start();
    }
    accept_next();
  }

  void stop() {
    net::post(acceptor.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor.close(ignored);
      for (auto& weak : self->sessions) {
        if (auto session = weak.lock()) session->close();
      }
      self->sessions.clear();
    });
  }

  net::any_io_executor executor;
  tcp::acceptor acceptor;  // on its own strand; `sessions` is touched only there
  std::shared_ptr<const Router> router;
  const ServerOptions options;
  std::vector<std::weak_ptr<Session>> sessions;
  std::uint16_t bound_port = 0;
  std::string bound_host;
};

Server::Server(net::any_io_executor executor, std::shared_ptr<const Router> router,
               ServerOptions options)
    : impl_(std::make_shared<Impl>(executor, std::move(router), options)) {}

Server::~Server() {
  stop();
}

void Server::listen(const std::string& host, std::uint16_t port) {
  const tcp::endpoint endpoint{net::ip::make_address(host), port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  impl_->bound_port = acceptor.local_endpoint().port();
  impl_->bound_host = endpoint.address().is_v6() ? "[" + host + "]" : host;
  net::post(acceptor.get_executor(), [impl = impl_] { impl->accept_next(); });
}

std::uint16_t Server::port() const {
  return impl_->bound_port;
}

std::string Server::base_url() const {
  return "http://" + impl_->bound_host + ":" + std::to_string(impl_->bound_port);
}

void Server::stop() {
  impl_->stop();
}

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  ListenAddress address{host.empty() ? "127.0.0.1" : std::string(host), 0};
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), address.port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port_text.empty()) {
    return std::nullopt;
  }
  beast::error_code bad;
  net::ip::make_address(address.host, bad);
  if (bad) return std::nullopt;
  return address;
}

}  // namespace sparks::http

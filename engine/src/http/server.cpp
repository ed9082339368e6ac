#include "http/server.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <charconv>
#include <vector>

#include "http/accept_backoff.hpp"
#include "http/session.hpp"

namespace sparks::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kDescriptorHeadroom = 256;
constexpr std::size_t kFewestConnections = 16;
constexpr std::size_t kMostConnectionsByDefault = 4096;

ServerOptions resolved(ServerOptions options) {
  if (options.max_connections == 0) options.max_connections = default_max_connections();
  return options;
}

}  // namespace

std::size_t default_max_connections() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return kMostConnectionsByDefault;
  const auto open_files = static_cast<std::size_t>(limit.rlim_cur);
  const auto room = open_files > kDescriptorHeadroom ? open_files - kDescriptorHeadroom : 0;
  return std::clamp(room, kFewestConnections, kMostConnectionsByDefault);
}

// The listener. Lives in a shared_ptr so that a pending accept keeps it alive after ~Server.
// Everything but release() runs on the acceptor's strand.
struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(net::any_io_executor executor, std::shared_ptr<const Router> router, ServerOptions options)
      : executor(executor),
        acceptor(net::make_strand(executor)),
        retry_timer(acceptor.get_executor()),
        router(std::move(router)),
        options(resolved(options)),
        stats(std::make_shared<ServerStats>()) {
    stats->connection_limit = this->options.max_connections;
  }

  void accept_next() {
    if (!acceptor.is_open()) return;  // stopped
    if (!room_for_another()) return pause();
    acceptor.async_accept(net::make_strand(executor),
                          [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                            self->on_accept(ec, std::move(socket));
                          });
  }

  // Room to serve one more connection, or at least to refuse it with a 503.
  bool room_for_another() const {
    return stats->connections < options.max_connections || refusing < kRefusingConnections;
  }

  // Not even room to refuse: new connections wait in the kernel's backlog until a session ends
  // (release() resumes). Checked again after raising the flag, so that a session ending meanwhile
  // is not missed.
  void pause() {
    paused = true;
    if (room_for_another() && paused.exchange(false)) accept_next();
  }

  // From any thread: a session ended.
  void release(SessionRole role) {
    if (role == SessionRole::serve)
      --stats->connections;
    else
      --refusing;
    if (paused.exchange(false))
      net::post(acceptor.get_executor(), [self = shared_from_this()] { self->accept_next(); });
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;  // stopped
    if (ec) return retry_later(ec);
    if (const auto failures = backoff.succeeded())
      spdlog::info(
          "http: accepting connections again ({} more failed accepts after the last "
          "warning)",
          *failures);
    start_session(std::move(socket));
    accept_next();
  }

  // Accepting again at once would fail again at once (EMFILE stays until a descriptor is freed):
  // wait, longer each time, while the open connections are served.
  void retry_later(beast::error_code ec) {
    ++stats->accept_errors_total;
    const auto retry = backoff.failed(AcceptBackoff::Clock::now());
    if (retry.report)
      spdlog::warn(
          "http: cannot accept a connection: {}{}; accepting again in {} ms, open "
          "connections are still served",
          ec.message(),
          *retry.report > 1
              ? " (" + std::to_string(*retry.report) + " failures since the last warning)"
              : std::string(),
          retry.delay.count());
    retry_timer.expires_after(retry.delay);
    retry_timer.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->accept_next();
    });
  }

  void start_session(tcp::socket&& socket) {
    const auto role =
        stats->connections < options.max_connections ? SessionRole::serve : SessionRole::refuse;
    if (role == SessionRole::serve) {
      ++stats->connections;
      ++stats->accepted_total;
    } else {
      ++refusing;
      ++stats->refused_total;
    }
    ConnectionSlot slot([self = shared_from_this(), role] { self->release(role); });
    auto session =
        std::make_shared<Session>(std::move(socket), router, options, std::move(slot), role);
    std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
    sessions.push_back(session);
    session->start();
  }

  void stop() {
    net::post(acceptor.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor.close(ignored);
      self->retry_timer.cancel();
      self->paused = false;
      for (auto& weak : self->sessions) {
        if (auto session = weak.lock()) session->close();
      }
      self->sessions.clear();
    });
  }

  net::any_io_executor executor;
  tcp::acceptor acceptor;  // on its own strand; `sessions` and `backoff` are touched only there
  net::steady_timer retry_timer;
  std::shared_ptr<const Router> router;
  const ServerOptions options;
  std::shared_ptr<ServerStats> stats;      // `connections` counts the sessions that serve
  std::atomic<std::uint64_t> refusing{0};  // sessions answering 503
  std::atomic<bool> paused{false};
  AcceptBackoff backoff;
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

std::shared_ptr<const ServerStats> Server::stats() const {
  return impl_->stats;
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

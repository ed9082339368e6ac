#pragma once
// A small asynchronous HTTP/1.1 server: one listener, one session per connection, each session on
// its own strand (the shape of Beast's async server examples, session.hpp). Keep-alive, a body size
// limit and an idle timeout per connection, a cap on the connections served at once, and a pause
// before accepting again when an accept fails (accept_backoff.hpp). Requests go to a Router; the
// server never runs the io_context — the host does, with as many threads as it likes.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.hpp"
#include "http/server_stats.hpp"

namespace sparks::http {

struct ServerOptions {
  std::size_t body_limit = 1024 * 1024;            // larger bodies get 413
  std::chrono::milliseconds idle_timeout{30'000};  // a connection silent this long is closed
  std::size_t header_limit = 16 * 1024;            // the request line and headers; more: 414 or 431
  // Connections served at once; 0: default_max_connections(). A connection over the cap is
  // answered 503 too_many_connections with Retry-After and closed, so that a client (or the proxy
  // in front) learns at once that it should come back, rather than waiting in the kernel's
  // backlog for a timeout. Only when even those refusals pile up (kRefusingConnections at once)
  // does accepting pause until a connection ends.
  std::size_t max_connections = 0;
};

// Connections answered 503 at the same time, beyond max_connections, before accepting pauses.
inline constexpr std::size_t kRefusingConnections = 32;

// The open-file limit (RLIMIT_NOFILE, soft) less 256 descriptors for everything else the process
// opens — the store's database and journal, the connectors' outgoing connections, log files and
// the kRefusingConnections — within [16, 4096].
std::size_t default_max_connections();

class Server {
 public:
  Server(boost::asio::any_io_executor executor, std::shared_ptr<const Router> router,
         ServerOptions options = {});
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. `host` is a numeric address ("127.0.0.1", "::1", "0.0.0.0");
  // port 0 picks an ephemeral port (see port()). Throws std::system_error when it cannot bind.
  void listen(const std::string& host, std::uint16_t port);

  std::uint16_t port() const;    // the bound port, after listen()
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // Stops accepting and closes open connections (their strands finish what they are doing).
  void stop();

  // The connection counts, kept up to date for as long as anyone holds them (for /metrics).
  std::shared_ptr<const ServerStats> stats() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Splits "HOST:PORT" ("127.0.0.1:8081", "[::1]:8081", ":8081" = 127.0.0.1); nullopt when malformed.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
std::optional<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace sparks::http

#pragma once
// A small asynchronous HTTP/1.1 server: one listener, one session per connection, each session on
// its own strand (the shape of Beast's async server examples). Keep-alive, a body size limit and an
// idle timeout per connection. Requests go to a Router; the server never runs the io_context — the
// host does, with as many threads as it likes.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace sparks::http {

struct ServerOptions {
  std::size_t body_limit = 1024 * 1024;            // larger bodies get 413
  std::chrono::milliseconds idle_timeout{30'000};  // a connection silent this long is closed
  std::size_t header_limit = 16 * 1024;            // the request line and headers; more: 414 or 431
};

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

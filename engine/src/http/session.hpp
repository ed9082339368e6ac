#pragma once
// One HTTP connection of the server (server.cpp keeps the listener): reads requests, hands each to
// the Router, writes the answers, keeps the connection alive while the client asks it to, and
// closes it after `idle_timeout` of silence. Everything a session does runs on its strand (the
// socket's executor). A session that refuses answers its one request 503 too_many_connections.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/router.hpp"
#include "http/server.hpp"

namespace sparks::http {

// Held by a session for as long as it lives: its end tells the listener that the connection is
// closed (it counts them against ServerOptions::max_connections).
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::function<void()> release) : release_(std::move(release)) {}
  ~ConnectionSlot() {
    if (release_) release_();
  }
  ConnectionSlot(ConnectionSlot&& other) noexcept : release_(std::move(other.release_)) {
    other.release_ = nullptr;
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;

 private:
  std::function<void()> release_;
};

enum class SessionRole {
  serve,   // the router answers
  refuse,  // over the connection cap: 503 too_many_connections with Retry-After, then closed
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<const Router> router,
          const ServerOptions& options, ConnectionSlot slot, SessionRole role);

  void start();
  // Closes the connection (from any thread: it runs on the strand). For the server's stop().
  void close();

 private:
  void read_next();
  void on_read(boost::beast::error_code ec);
  void dispatch(boost::beast::http::request<boost::beast::http::string_body>&& beast_request);
  void write(Response&& response, unsigned version, bool keep_alive);
  bool request_line_ended() const;
  void shut_down();
  // The connection's deadline: reading a request and writing an answer must each end before it.
  // One timer per session watches it, instead of one armed and cancelled per read and per write
  // (as Beast's tcp_stream does): moving the deadline is a store, not a timer operation.
  void set_deadline(std::chrono::steady_clock::duration from_now);
  void clear_deadline();
  void watch_deadline();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer watchdog_;
  static constexpr auto kNoDeadline = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point deadline_ = kNoDeadline;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::shared_ptr<const Router> router_;
  const ServerOptions options_;  // a copy: a session may outlive the listener
  ConnectionSlot slot_;
  const SessionRole role_;
  // The X-Request-Id of the request being answered (http/request_id.hpp); empty between requests.
  std::string request_id_;
};

}  // namespace sparks::http

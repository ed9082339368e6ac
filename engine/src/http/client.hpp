#pragma once
// A minimal asynchronous HTTP/1.1 client: one request per connection, plain HTTP (the sandbox
// delivers webhooks to loopback with it; TLS to real platforms lives with the plugin host).
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "http/message.hpp"

namespace sparks::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // "http://host:port/path?query"
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{5'000};  // for the whole exchange
  std::size_t body_limit = 8 * 1024 * 1024;
};

struct ClientResponse {
  std::string error;  // non-empty: no answer (bad URL, refused, timeout, …); then status is 0
  int status = 0;
  Headers headers;
  std::string body;
  bool ok() const { return error.empty(); }
};

// Sends `request` and calls `done` once, on an internal strand of `executor` (post to your own
// strand from there if you need to).
void send_request(boost::asio::any_io_executor executor, ClientRequest request,
                  std::function<void(ClientResponse)> done);

}  // namespace sparks::http

#pragma once
// The asynchronous HTTP(S) client the host lends to plugins. One exchange per request (no pooling):
// resolve, connect, TLS handshake with certificate and host-name verification, write, read, close —
// all under one deadline. Beast stays inside http_client.cpp.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sparks::plugins {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestData {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  HeaderList headers;
  std::string body;
  std::chrono::milliseconds timeout{30'000};
};

struct HttpResult {
  enum class Outcome { response, timeout, unavailable, cancelled, invalid, too_large };
  Outcome outcome = Outcome::unavailable;
  int http_status = 0;  // set when outcome is `response`
  HeaderList headers;
  std::string body;
  std::string error;  // one line, when outcome is not `response`
};

class HttpClient {
 public:
  // Loads the system's trusted certificate authorities for TLS.
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Cancels a started exchange; `on_done` then runs with Outcome::cancelled (unless it already
  // ran).
  using Cancel = std::function<void()>;

  // Starts `request` on `executor`; `on_done` runs there exactly once, never inside this call.
  // A response body larger than `max_body` fails with Outcome::too_large. Exchanges keep what they
  // need alive themselves: the client may be destroyed while they run.
  Cancel start(boost::asio::any_io_executor executor, HttpRequestData request, std::size_t max_body,
               std::function<void(HttpResult)> on_done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sparks::plugins

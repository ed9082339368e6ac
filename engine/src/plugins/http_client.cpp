#include "plugins/http_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace sparks::plugins {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Outcome = HttpResult::Outcome;

struct Target {
  bool tls = false;
  std::string host;       // for DNS, SNI and certificate checks (no brackets, no port)
  std::string host_port;  // for the Host header
  std::string port;
  std::string path;  // origin-form: "/path?query"
};

std::optional<Target> parse_target(std::string_view url, std::string& error) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    error = "not an absolute URL";
    return std::nullopt;
  }
  Target target;
  if (parsed->scheme_id() == boost::urls::scheme::https) {
    target.tls = true;
  } else if (parsed->scheme_id() != boost::urls::scheme::http) {
    error = "scheme must be http or https";
    return std::nullopt;
  }
  target.host = std::string(parsed->host_address());
  if (target.host.empty()) {
    error = "URL has no host";
    return std::nullopt;
  }
  target.host_port = std::string(parsed->encoded_host_and_port());
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  target.path = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) target.path += "?" + std::string(parsed->encoded_query());
  return target;
}

// One request/response exchange. Runs on its own strand, so that the deadline and the exchange
// never touch the socket at the same time, and delivers its result to the caller's executor.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::any_io_executor caller, std::shared_ptr<ssl::context> tls, HttpRequestData request,
           Target target, std::size_t max_body, std::function<void(HttpResult)> on_done)
      : caller_(std::move(caller)),
        strand_(asio::make_strand(caller_)),
        tls_context_(std::move(tls)),
        request_(std::move(request)),
        target_(std::move(target)),
        max_body_(max_body),
        on_done_(std::move(on_done)),
        resolver_(strand_),
        deadline_(strand_) {
    if (target_.tls)
      tls_stream_.emplace(strand_, *tls_context_);
    else
      plain_stream_.emplace(strand_);
  }

  void start() {
    deadline_.expires_after(request_.timeout);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec)
        self->stop(Outcome::timeout,
                   "timed out after " + std::to_string(self->request_.timeout.count()) + " ms");
    });
    asio::co_spawn(strand_, run(), [self = shared_from_this()](std::exception_ptr failure) {
      if (failure) self->stop(Outcome::unavailable, "internal error in the HTTP client");
      self->finish();
    });
  }

  void cancel() {
    asio::post(strand_,
               [self = shared_from_this()] { self->stop(Outcome::cancelled, "cancelled"); });
  }

 private:
  beast::tcp_stream& tcp() {
    return tls_stream_ ? beast::get_lowest_layer(*tls_stream_) : *plain_stream_;
  }

  // Records why the exchange ends (the first reason wins) and breaks off whatever is in flight.
  void stop(Outcome outcome, std::string why) {
    if (stopped_) return;
    stopped_ = true;
    result_.outcome = outcome;
    result_.error = std::move(why);
    resolver_.cancel();
    boost::system::error_code ignored;
    tcp().socket().close(ignored);
  }

  asio::awaitable<void> run() {
    boost::system::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    auto endpoints = co_await resolver_.async_resolve(target_.host, target_.port, token);
    if (ec)
      co_return stop(Outcome::unavailable, "cannot resolve " + target_.host + ": " + ec.message());
    co_await tcp().async_connect(endpoints, token);
    if (ec)
      co_return stop(Outcome::unavailable,
                     "cannot connect to " + target_.host_port + ": " + ec.message());
    if (tls_stream_) {
      // SNI, and a certificate that must be valid for this host name.
      if (!SSL_set_tlsext_host_name(tls_stream_->native_handle(), target_.host.c_str()))
        co_return stop(Outcome::unavailable, "cannot set the TLS server name");
      tls_stream_->set_verify_callback(ssl::host_name_verification(target_.host));
      co_await tls_stream_->async_handshake(ssl::stream_base::client, token);
      if (ec)
        co_return stop(Outcome::unavailable,
                       "TLS handshake with " + target_.host_port + " failed: " + ec.message());
      co_await talk(*tls_stream_);
    } else {
      co_await talk(*plain_stream_);
    }
  }

  template <typename Stream>
  asio::awaitable<void> talk(Stream& stream) {
    boost::system::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);

    http::request<http::string_body> request{http::string_to_verb(request_.method), target_.path,
                                             11};
    for (const auto& [name, value] : request_.headers) request.set(name, value);
    request.set(http::field::host, target_.host_port);
    if (request.find(http::field::user_agent) == request.end())
      request.set(http::field::user_agent, "sparks/" SPARKS_VERSION);
    request.set(http::field::connection, "close");
    request.body() = std::move(request_.body);
    request.prepare_payload();
    co_await http::async_write(stream, request, token);
    if (ec) co_return stop(Outcome::unavailable, "cannot send the request: " + ec.message());

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_body_);
    co_await http::async_read(stream, buffer, parser, token);
    if (ec == http::error::body_limit)
      co_return stop(Outcome::too_large,
                     "response body is over " + std::to_string(max_body_) + " bytes");
    if (ec) co_return stop(Outcome::unavailable, "cannot read the response: " + ec.message());

    http::response<http::string_body> response = parser.release();
    result_.outcome = Outcome::response;
    result_.error.clear();  // a response that beat the deadline by a hair still counts
    result_.http_status = static_cast<int>(response.result_int());
    for (const auto& field : response)
      result_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    result_.body = std::move(response.body());
    stopped_ = true;  // done: a late deadline must not overwrite the response
  }

  void finish() {
    deadline_.cancel();
    boost::system::error_code ignored;
    tcp().socket().close(ignored);
    asio::dispatch(caller_, [self = shared_from_this()]() mutable {
      auto on_done = std::move(self->on_done_);
      on_done(std::move(self->result_));
    });
  }

  asio::any_io_executor caller_;
  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<ssl::context> tls_context_;  // shared: outlives the client if need be
  HttpRequestData request_;
  Target target_;
  std::size_t max_body_;
  std::function<void(HttpResult)> on_done_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  std::optional<beast::tcp_stream> plain_stream_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_stream_;
  bool stopped_ = false;
  HttpResult result_;
};

}  // namespace

struct HttpClient::Impl {
  std::shared_ptr<ssl::context> tls = std::make_shared<ssl::context>(ssl::context::tls_client);
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
  impl_->tls->set_default_verify_paths();
  impl_->tls->set_verify_mode(ssl::verify_peer);
}

HttpClient::~HttpClient() = default;

HttpClient::Cancel HttpClient::start(asio::any_io_executor executor, HttpRequestData request,
                                     std::size_t max_body,
                                     std::function<void(HttpResult)> on_done) {
  std::string error;
  std::optional<Target> target = parse_target(request.url, error);
  if (target && http::string_to_verb(request.method) == http::verb::unknown)
    error = "unknown HTTP method '" + request.method + "'";
  if (!target || !error.empty()) {
    HttpResult invalid;
    invalid.outcome = Outcome::invalid;
    invalid.error = request.url + ": " + error;
    asio::post(executor, [on_done = std::move(on_done), invalid = std::move(invalid)]() mutable {
      on_done(std::move(invalid));
    });
    return [] {};
  }
  auto exchange = std::make_shared<Exchange>(executor, impl_->tls, std::move(request),
                                             std::move(*target), max_body, std::move(on_done));
  exchange->start();
  return [weak = std::weak_ptr<Exchange>(exchange)] {
    if (auto alive = weak.lock()) alive->cancel();
  };
}

}  // namespace sparks::plugins

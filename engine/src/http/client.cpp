#include "http/client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace sparks::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// One exchange: resolve, connect, write, read, close. Lives as long as its operations.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(net::any_io_executor executor, ClientRequest request,
           std::function<void(ClientResponse)> done)
      : resolver_(net::make_strand(executor)),
        stream_(resolver_.get_executor()),
        request_(std::move(request)),
        done_(std::move(done)) {}

  void start() {
    auto url = boost::urls::parse_absolute_uri(request_.url);
    if (!url) return finish("invalid URL: " + request_.url);
    if (url->scheme() != "http") return finish("only http:// URLs are supported: " + request_.url);
    host_ = std::string(url->host_address());
    const std::string port = url->has_port() ? std::string(url->port()) : "80";
    std::string target = std::string(url->encoded_path());
    if (target.empty()) target = "/";
    if (url->has_query()) target += "?" + std::string(url->encoded_query());

    wire_request_.version(11);
    wire_request_.method_string(request_.method);  // any token, known to Beast or not
    wire_request_.target(target);
    // The host as written in the URL: IPv6 literals keep their brackets.
    const std::string host_header(url->encoded_host());
    wire_request_.set(bhttp::field::host, url->has_port() ? host_header + ":" + port : host_header);
    wire_request_.set(bhttp::field::user_agent, "sparks");
    for (const auto& [name, value] : request_.headers) wire_request_.set(name, value);
    wire_request_.body() = std::move(request_.body);
    wire_request_.keep_alive(false);
    wire_request_.prepare_payload();

    // The deadline covers connect, write and read; resolving is only bounded for numeric hosts
    // (what loopback delivery uses), as getaddrinfo cannot be cancelled.
    stream_.expires_after(request_.timeout);
    resolver_.async_resolve(host_, port,
                            beast::bind_front_handler(&Exchange::on_resolve, shared_from_this()));
  }

  net::any_io_executor executor() { return resolver_.get_executor(); }

 private:
  void on_resolve(beast::error_code ec, const tcp::resolver::results_type& endpoints) {
    if (ec) return finish("cannot resolve " + host_ + ": " + ec.message());
    stream_.async_connect(endpoints,
                          beast::bind_front_handler(&Exchange::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, const tcp::endpoint&) {
    if (ec) return finish("cannot connect to " + host_ + ": " + ec.message());
    bhttp::async_write(stream_, wire_request_,
                       beast::bind_front_handler(&Exchange::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return finish("cannot send the request: " + ec.message());
    parser_.body_limit(request_.body_limit);
    bhttp::async_read(stream_, buffer_, parser_,
                      beast::bind_front_handler(&Exchange::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish("no answer: " + ec.message());
    auto& in = parser_.get();
    ClientResponse response;
    response.status = static_cast<int>(in.result_int());
    for (const auto& header : in) {
      response.headers.emplace(std::string(header.name_string()), std::string(header.value()));
    }
    response.body = std::move(in.body());
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    finish(std::move(response));
  }

  void finish(std::string error) {
    ClientResponse response;
    response.error = std::move(error);
    finish(std::move(response));
  }

  void finish(ClientResponse response) {
    if (!done_) return;
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(response));
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  ClientRequest request_;
  std::function<void(ClientResponse)> done_;
  std::string host_;
  bhttp::request<bhttp::string_body> wire_request_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

void send_request(net::any_io_executor executor, ClientRequest request,
                  std::function<void(ClientResponse)> done) {
  auto exchange = std::make_shared<Exchange>(executor, std::move(request), std::move(done));
  net::dispatch(exchange->executor(), [exchange] { exchange->start(); });
}

}  // namespace sparks::http

// The HTTP server, router, form decoding and client, over real sockets on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "http/client.hpp"
#include "http/form.hpp"
#include "http/server.hpp"
#include "support/wait.hpp"

namespace {

namespace net = boost::asio;
using namespace std::chrono_literals;
using sparks::http::ClientRequest;
using sparks::http::ClientResponse;
using sparks::http::Request;
using sparks::http::Responder;
using sparks::http::Response;

// A server on an ephemeral port with its io_context on a background thread.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_->add_sync("GET", "/hello/{name}", [](const Request& r) {
      return Response::text(
          200, "hello " + r.params.at("name") + " " + r.query_value("greeting").value_or("-"));
    });
    router_->add_sync("POST", "/echo", [](const Request& r) {
      Response response = Response::text(200, r.body);
      response.headers["X-Seen-Header"] = r.header("x-custom").value_or("");
      return response;
    });
    router_->add("GET", "/later", [this](Request, Responder respond) {
      auto timer = std::make_shared<net::steady_timer>(io_, 50ms);
      timer->async_wait([timer, respond](auto) { respond(Response::text(200, "late")); });
    });
    router_->add("GET", "/never", [this](Request, Responder respond) {
      // Answers only after ClientTimesOut's deadline.
      auto timer = std::make_shared<net::steady_timer>(io_, 300ms);
      timer->async_wait([this, timer, respond](auto) {
        respond(Response::text(200, "too late"));
        late_answer_given_ = true;
      });
    });
    router_->add("GET", "/dropped", [](Request, Responder) {});
    router_->add_sync("GET", "/trailing/",
                      [](const Request&) { return Response::text(200, "slash"); });
    server_ = std::make_unique<sparks::http::Server>(io_.get_executor(), router_,
                                                     sparks::http::ServerOptions{64, 2'000ms});
    server_->listen("127.0.0.1", 0);
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  ClientResponse fetch(std::string method, std::string path, std::string body = {},
                       sparks::http::Headers headers = {}) {
    return fetch_url(std::move(method), server_->base_url() + path, std::move(body),
                     std::move(headers));
  }

  ClientResponse fetch_url(std::string method, std::string url, std::string body = {},
                           sparks::http::Headers headers = {},
                           std::chrono::milliseconds timeout = 5s) {
    ClientRequest request{std::move(method), std::move(url), std::move(headers), std::move(body),
                          timeout};
    return sparks::testing::await_result<ClientResponse>(
        "the answer from " + request.url, [&](auto done) {
          sparks::http::send_request(io_.get_executor(), std::move(request), done);
        });
  }

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  std::shared_ptr<sparks::http::Router> router_ = std::make_shared<sparks::http::Router>();
  std::unique_ptr<sparks::http::Server> server_;
  std::thread thread_;
  std::atomic<bool> late_answer_given_{false};
};

TEST_F(HttpServerTest, RoutesByPathParameterAndDecodesQuery) {
  auto r = fetch("GET", "/hello/ana?greeting=good%20day");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello ana good day");
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(fetch("GET", "/nowhere").status, 404);
  EXPECT_EQ(fetch("DELETE", "/hello/ana").status, 405);
  EXPECT_EQ(fetch("GET", "/trailing/").status, 200);
  EXPECT_EQ(fetch("GET", "/trailing").status, 404);  // trailing slashes are significant
}

TEST_F(HttpServerTest, PassesBodyAndHeadersCaseInsensitively) {
  auto r = fetch("POST", "/echo", "ping", {{"X-Custom", "yes"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ping");
  EXPECT_EQ(r.headers["x-seen-header"], "yes");
}

TEST_F(HttpServerTest, HandlersMayAnswerLater) {
  auto r = fetch("GET", "/later");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "late");
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  EXPECT_EQ(fetch("GET", "/dropped").status, 500);
}

TEST_F(HttpServerTest, BodyOverTheLimitIs413) {
  EXPECT_EQ(fetch("POST", "/echo", std::string(65, 'x')).status, 413);
  EXPECT_EQ(fetch("POST", "/echo", std::string(64, 'x')).status, 200);
}

// What a raw request gets back: the status and the error code of its JSON body (the connection
// is then closed by the server).
std::pair<int, std::string> raw_exchange(unsigned short port, const std::string& bytes) {
  namespace beast = boost::beast;
  net::io_context client_io;
  beast::tcp_stream stream(client_io);
  stream.connect({net::ip::make_address("127.0.0.1"), port});
  stream.expires_after(5s);
  net::write(stream, net::buffer(bytes));
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  beast::error_code ec;
  beast::http::read(stream, buffer, response, ec);
  if (ec) return {0, ec.message()};
  const auto body = boost::json::parse(response.body());
  return {response.result_int(), std::string(body.at("error").at("code").as_string())};
}

TEST_F(HttpServerTest, UnreadableRequestsAreAnsweredWithWhyInsteadOfAReset) {
  const auto port = server_->port();
  EXPECT_EQ(raw_exchange(port, "GET /" + std::string(20'000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            (std::pair<int, std::string>{414, "uri_too_long"}));
  EXPECT_EQ(raw_exchange(port, "GET /hello/x HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                   std::string(20'000, 'b') + "\r\n\r\n"),
            (std::pair<int, std::string>{431, "headers_too_large"}));
  EXPECT_EQ(raw_exchange(port, "GET /hello/x HTTP/9\r\n\r\n"),
            (std::pair<int, std::string>{400, "bad_request"}));
  EXPECT_EQ(raw_exchange(port,
                         "GET /hello/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\n"
                         "Authorization: Bearer b\r\n\r\n"),
            (std::pair<int, std::string>{400, "duplicate_header"}));
  // And a good request is still served.
  EXPECT_EQ(fetch("GET", "/hello/x").status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  namespace beast = boost::beast;
  net::io_context client_io;
  beast::tcp_stream stream(client_io);
  stream.connect({net::ip::make_address("127.0.0.1"), server_->port()});
  stream.expires_after(5s);
  for (int i = 0; i < 3; ++i) {
    beast::http::request<beast::http::string_body> request{beast::http::verb::get, "/hello/x", 11};
    request.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, request);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> response;
    beast::http::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST_F(HttpServerTest, IdleConnectionsAreClosed) {
  namespace beast = boost::beast;
  net::io_context client_io;
  beast::tcp_stream stream(client_io);
  stream.connect({net::ip::make_address("127.0.0.1"), server_->port()});
  const auto start = std::chrono::steady_clock::now();
  char byte;
  beast::error_code result = net::error::would_block;
  stream.async_read_some(net::buffer(&byte, 1),
                         [&](beast::error_code ec, std::size_t) { result = ec; });
  // The server's idle timeout is 2 s.
  sparks::testing::run_until(client_io, "the server to close the idle connection",
                             [&] { return result != net::error::would_block; });
  EXPECT_EQ(result, net::error::eof);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST_F(HttpServerTest, ClientReportsRefusedConnectionsAndBadUrls) {
  // Bind then close a port so that nothing listens there.
  std::uint16_t free_port = 0;
  {
    net::ip::tcp::acceptor probe(io_, {net::ip::make_address("127.0.0.1"), 0});
    free_port = probe.local_endpoint().port();
  }
  auto refused = fetch_url("GET", "http://127.0.0.1:" + std::to_string(free_port) + "/");
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(fetch_url("GET", "not a url").ok());
  EXPECT_FALSE(fetch_url("GET", "https://127.0.0.1/").ok());
}

TEST_F(HttpServerTest, ClientTimesOut) {
  auto r = fetch_url("GET", server_->base_url() + "/never", {}, {}, 100ms);
  EXPECT_FALSE(r.ok());
  // The late answer is handed to the server before it stops.
  sparks::testing::poll_until("the late answer", [&] { return late_answer_given_.load(); });
}

TEST(Form, DecodesPlusPercentAndRepeatedKeys) {
  auto fields = sparks::http::decode_form("a=1&scope=x+y&scope=b%2Cc&empty=");
  ASSERT_TRUE(fields);
  EXPECT_EQ(sparks::http::field(*fields, "a"), "1");
  EXPECT_EQ(sparks::http::fields(*fields, "scope"), (std::vector<std::string>{"x y", "b,c"}));
  EXPECT_EQ(sparks::http::field(*fields, "empty"), "");
  EXPECT_FALSE(sparks::http::field(*fields, "missing"));
  EXPECT_FALSE(sparks::http::decode_form("a=%zz"));
}

TEST(Form, EncodesAndAppendsToUrls) {
  EXPECT_EQ(sparks::http::encode_form({{"a b", "c&d"}, {"e", "ü"}}), "a%20b=c%26d&e=%C3%BC");
  EXPECT_EQ(sparks::http::append_query("http://h/cb?x=1", {{"code", "a b"}}),
            "http://h/cb?x=1&code=a%20b");
  EXPECT_FALSE(sparks::http::append_query("/relative", {}));
}

TEST(Router, SplitsPathsKeepingTrailingSlash) {
  EXPECT_EQ(sparks::http::split_path("/a/b/"), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(sparks::http::split_path("/"), (std::vector<std::string>{""}));
}

TEST(ListenAddress, ParsesHostAndPort) {
  auto v4 = sparks::http::parse_listen_address("127.0.0.1:8081");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8081);
  auto v6 = sparks::http::parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(sparks::http::parse_listen_address("localhost"));
  EXPECT_FALSE(sparks::http::parse_listen_address("127.0.0.1:99999"));
  EXPECT_FALSE(sparks::http::parse_listen_address("nohost:80"));
}

}  // namespace

// The HTTP server's connections: the cap on how many it serves at once, and what it does when an
// accept fails (out of file descriptors): wait and retry, log it, never spin.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/accept_backoff.hpp"
#include "http/server.hpp"
#include "support/child_process.hpp"
#include "support/wait.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using sparks::http::AcceptBackoff;

// A client connection held open by the test, one request at a time.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(io_) {
    stream_.connect({net::ip::make_address("127.0.0.1"), port});
  }

  bhttp::response<bhttp::string_body> get(const std::string& target,
                                          std::chrono::milliseconds timeout = 5s) {
    stream_.expires_after(timeout);
    bhttp::request<bhttp::string_body> request{bhttp::verb::get, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream_, request);
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream_, buffer_, response);
    return response;
  }

  // Whether the server has closed the connection (the next read ends); waits for it, bounded.
  bool closed_by_server() {
    stream_.expires_after(5s);
    char byte;
    beast::error_code ec;
    stream_.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string error_code_of(const bhttp::response<bhttp::string_body>& response) {
  return std::string(boost::json::parse(response.body()).at("error").at("code").as_string());
}

class HttpConnectionCapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_->add_sync("GET", "/hello", [](const sparks::http::Request&) {
      return sparks::http::Response::text(200, "hi");
    });
    sparks::http::ServerOptions options;
    options.max_connections = 2;
    server_ = std::make_unique<sparks::http::Server>(io_.get_executor(), router_, options);
    server_->listen("127.0.0.1", 0);
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_{io_.get_executor()};
  std::shared_ptr<sparks::http::Router> router_ = std::make_shared<sparks::http::Router>();
  std::unique_ptr<sparks::http::Server> server_;
  std::thread thread_;
};

TEST_F(HttpConnectionCapTest, ConnectionOverTheCapIsAnswered503AndTheOthersAreStillServed) {
  Client first(server_->port());
  Client second(server_->port());
  EXPECT_EQ(first.get("/hello").result_int(), 200u);
  EXPECT_EQ(second.get("/hello").result_int(), 200u);

  Client third(server_->port());
  const auto refused = third.get("/hello");
  EXPECT_EQ(refused.result_int(), 503u);
  EXPECT_EQ(error_code_of(refused), "too_many_connections");
  EXPECT_EQ(refused[bhttp::field::retry_after], "1");
  EXPECT_FALSE(refused.keep_alive());
  EXPECT_TRUE(third.closed_by_server());

  // The first two keep their connections and are served on them.
  EXPECT_EQ(first.get("/hello").result_int(), 200u);
  EXPECT_EQ(second.get("/hello").result_int(), 200u);

  const auto stats = server_->stats();
  EXPECT_EQ(stats->connections.load(), 2u);
  EXPECT_EQ(stats->connection_limit.load(), 2u);
  EXPECT_EQ(stats->refused_total.load(), 1u);
}

TEST_F(HttpConnectionCapTest, AClosedConnectionMakesRoomForANewOne) {
  auto first = std::make_unique<Client>(server_->port());
  Client second(server_->port());
  EXPECT_EQ(first->get("/hello").result_int(), 200u);
  EXPECT_EQ(second.get("/hello").result_int(), 200u);
  first.reset();
  // The server learns of the close when it reads: until then a newcomer may still be refused.
  sparks::testing::poll_until("a new connection to be served", [&] {
    Client newcomer(server_->port());
    return newcomer.get("/hello").result_int() == 200u;
  });
  EXPECT_EQ(second.get("/hello").result_int(), 200u);
}

TEST(AcceptBackoff, WaitsDoubleUpToTheLongestAndStartOverAfterASuccess) {
  AcceptBackoff backoff({10ms, 1'000ms, 10'000ms});
  const auto now = AcceptBackoff::Clock::now();
  std::vector<long> delays;
  for (int i = 0; i < 9; ++i) delays.push_back(backoff.failed(now).delay.count());
  EXPECT_EQ(delays, (std::vector<long>{10, 20, 40, 80, 160, 320, 640, 1000, 1000}));
  backoff.succeeded();
  EXPECT_EQ(backoff.failed(now).delay, 10ms);
}

TEST(AcceptBackoff, LogsTheFirstFailureThenACountAtMostEveryReportInterval) {
  AcceptBackoff backoff({10ms, 1'000ms, 10'000ms});
  const auto start = AcceptBackoff::Clock::now();
  EXPECT_EQ(backoff.failed(start).report, 1u);
  for (int i = 1; i <= 50; ++i) EXPECT_FALSE(backoff.failed(start + i * 100ms).report);
  EXPECT_EQ(backoff.failed(start + 10s).report, 51u);  // this one and the 50 not logged
  // A recovery after logged failures is worth a line, with the failures not logged since.
  EXPECT_FALSE(backoff.failed(start + 11s).report);
  EXPECT_EQ(backoff.succeeded(), 1u);
  // Failures that come and go between successes stay under the same limit.
  EXPECT_FALSE(backoff.failed(start + 12s).report);
  EXPECT_FALSE(backoff.succeeded());
  EXPECT_EQ(backoff.failed(start + 20s).report, 2u);
}

// The CPU time (user + system) that process `pid` has used so far, from /proc/PID/stat.
std::chrono::milliseconds cpu_time_of(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // After the command name in parentheses: state is field 3; utime and stime are 14 and 15.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skipped;
  for (int field = 3; field < 14; ++field) fields >> skipped;
  long user_ticks = 0, system_ticks = 0;
  fields >> user_ticks >> system_ticks;
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  return std::chrono::milliseconds((user_ticks + system_ticks) * 1000 / ticks_per_second);
}

// Whether GET /healthz on a new connection is answered 200 within a second.
bool healthz_answers(std::uint16_t port) {
  try {
    Client client(port);
    return client.get("/healthz", 1s).result_int() == 200u;
  } catch (const std::exception&) {
    return false;
  }
}

TEST(HttpAcceptErrors, OutOfDescriptorsTheServerWaitsLogsAndRecovers) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizers probe memory through a pipe: in a process left without descriptors, their
  // checks of the server's own logging fail before the server can say anything.
  GTEST_SKIP() << "the sanitizers' runtime needs the descriptors this test takes away";
#endif
  sparks::testing::ChildProcess server(STARVED_HTTP_SERVER, {"3"});  // room for 3 connections
  const auto listening = server.wait_for_line("listening on port ", 10s);
  ASSERT_TRUE(listening);
  const auto port = static_cast<std::uint16_t>(std::stoi(listening->substr(listening->rfind(' '))));

  // The first three connections get the descriptors left; accepting the fourth fails (EMFILE).
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<Client>(port));
  const auto warning = server.wait_for_line("cannot accept a connection", 10s);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("Too many open files"), std::string::npos) << *warning;

  // Meanwhile it waits between attempts: over 1.5 s it uses far less than 1.5 s of CPU (a loop
  // retrying at once uses all of it).
  const auto cpu_before = cpu_time_of(server.pid());
  std::this_thread::sleep_for(1500ms);
  const auto cpu_used = cpu_time_of(server.pid()) - cpu_before;
  EXPECT_LT(cpu_used, 500ms) << "the server spins on the failing accept";

  // An open connection is still served.
  EXPECT_EQ(clients.front()->get("/healthz").result_int(), 200u);

  // Once the clients close theirs, descriptors are free again and a new connection is answered.
  clients.clear();
  sparks::testing::poll_until(
      "/healthz to answer on a new connection", [&] { return healthz_answers(port); }, 15s, 50ms);
}

}  // namespace

#pragma once
// A test fixture around LoopbackSandbox: the sandbox on 127.0.0.1, run by threads of the fixture's
// own, and the HTTP calls a test makes to it (each waited for, bounded).
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/client.hpp"
#include "http/form.hpp"
#include "support/loopback_sandbox.hpp"
#include "support/platform_test_helpers.hpp"
#include "support/wait.hpp"

namespace sparks::testing {

class LoopbackSandboxTest : public ::testing::Test {
 protected:
  // `threads` run the io_context: more than one, as a host may run, tests the sandbox's strand.
  explicit LoopbackSandboxTest(int threads = 1) : threads_(threads) {}

  void SetUp() override {
    platform_ = std::make_unique<LoopbackSandbox>(io_.get_executor());
    for (auto& thread : threads_) thread = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    platform_->stop();
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }

  http::ClientResponse request(std::string method, std::string target, std::string body = {},
                               http::Headers headers = {}) {
    return await_result<http::ClientResponse>(
        "the sandbox's answer to " + method + " " + target, [&](auto done) {
          http::send_request(io_.get_executor(),
                             {std::move(method), platform_->base_url() + target, std::move(headers),
                              std::move(body)},
                             done);
        });
  }

  // A JSON call (a null `body` sends none) that must answer `expected`; the answer's body.
  boost::json::object json_call(const std::string& method, const std::string& target,
                                const boost::json::value& body, int expected) {
    auto r = request(method, target, body.is_null() ? "" : boost::json::serialize(body),
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, expected) << target << ": " << r.body;
    return parse_object(r.body);
  }

  // The query of a redirect's Location; empty without one.
  static http::Fields location_query(const http::ClientResponse& r) {
    auto location = r.headers.find("Location");
    if (location == r.headers.end()) return {};
    auto url = boost::urls::parse_absolute_uri(location->second);
    if (!url) return {};
    return http::decode_form(url->encoded_query()).value_or(http::Fields{});
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<LoopbackSandbox> platform_;

 private:
  std::vector<std::thread> threads_;
};

}  // namespace sparks::testing

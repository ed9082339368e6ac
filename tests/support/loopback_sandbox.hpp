#pragma once
// The sandbox served on 127.0.0.1 (an ephemeral port), delivering its webhooks to a receiver of its
// own whose inbox a test can wait on: the platform side that sandbox and connector tests share.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/server.hpp"
#include "sandbox/sandbox.hpp"

namespace sparks::testing {

// Webhooks the receiver got; the first `fail_first` are answered 500 (to exercise retries).
struct WebhookInbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<http::Request> received;
  int fail_first = 0;
  int answered_500 = 0;

  http::Response record(const http::Request& request) {
    std::lock_guard lock(mutex);
    if (answered_500 < fail_first) {
      ++answered_500;
      return http::Response::text(500, "try again");
    }
    received.push_back(request);
    changed.notify_all();
    return http::Response::text(200, "ok");
  }

  bool wait_for_count(std::size_t count,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] { return received.size() >= count; });
  }

  http::Request at(std::size_t i) {
    std::lock_guard lock(mutex);
    return received.at(i);
  }

  // The requests to `path`, once there are at least `count` of them (or what came in 10 s).
  std::vector<http::Request> wait_for(const std::string& path, std::size_t count) {
    std::unique_lock lock(mutex);
    auto matching = [&] {
      std::vector<http::Request> found;
      for (const auto& r : received)
        if (r.path == path) found.push_back(r);
      return found;
    };
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return matching().size() >= count; });
    return matching();
  }
};

class LoopbackSandbox {
 public:
  explicit LoopbackSandbox(const boost::asio::any_io_executor& executor) {
    auto receiver_routes = std::make_shared<http::Router>();
    auto record = [this](const http::Request& request) { return inbox.record(request); };
    receiver_routes->add_sync("POST", "/webhooks/tiktok", record);
    receiver_routes->add_sync("POST", "/webhooks/tiktok_shop", record);
    receiver_ = std::make_unique<http::Server>(executor, receiver_routes);
    receiver_->listen("127.0.0.1", 0);

    sandbox::SandboxOptions options;
    options.tiktok_webhook_target = sandbox::tiktok_webhook_url(receiver_->base_url());
    options.shop_webhook_target = sandbox::shop_webhook_url(receiver_->base_url());
    options.webhook_retry.first_delay = std::chrono::milliseconds(50);
    sandbox_ = std::make_unique<sandbox::Sandbox>(executor, options);
    auto routes = std::make_shared<http::Router>();
    sandbox_->mount(*routes);
    server_ = std::make_unique<http::Server>(executor, routes);
    server_->listen("127.0.0.1", 0);
  }

  std::string base_url() const { return server_->base_url(); }
  // Where the receiver listens: webhooks subscribed to {receiver_url}/webhooks/… land in `inbox`.
  std::string receiver_url() const { return receiver_->base_url(); }
  void stop() {
    server_->stop();
    receiver_->stop();
  }

  WebhookInbox inbox;  // declared first: the servers that write to it go before it

 private:
  std::unique_ptr<http::Server> receiver_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace sparks::testing

#pragma once
// A connector plugin under test: loaded through the real PluginHost, its HTTP calls sent to a
// stand-in platform on 127.0.0.1 that answers with the golden fixtures' responses
// (tests/data/platforms/) and records every request. The connector tests of both platforms
// derive their fixture from ConnectorTest and add what is their platform's own (the fixtures'
// values, how a request is matched, how a webhook is signed).
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/router.hpp"
#include "http/server.hpp"
#include "plugins/plugin_host.hpp"
#include "support/platform_fixtures.hpp"
#include "support/platform_test_helpers.hpp"
#include "support/wait.hpp"

namespace sparks::testing {

// The engine's side of the plugin host, reduced to what a test looks at: emitted triggers and the
// key-value store. Called on the io thread; read from the test thread, hence the mutex.
class RecordingBridge final : public plugins::PluginHostBridge {
 public:
  explicit RecordingBridge(boost::asio::io_context& io) : io_(io) {}
  boost::asio::any_io_executor executor_for(std::string_view, std::string_view) override {
    return io_.get_executor();
  }
  bool emit_trigger(std::string_view, std::string_view, std::string_view trigger,
                    std::string_view) override {
    std::lock_guard lock(mutex_);
    triggers_.emplace_back(trigger);
    return true;
  }
  std::optional<std::string> kv_get(std::string_view, std::string_view,
                                    std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto it = kv_.find(std::string(key));
    return it == kv_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  bool kv_put(std::string_view, std::string_view, std::string_view key,
              std::string_view value) override {
    std::lock_guard lock(mutex_);
    kv_[std::string(key)] = std::string(value);
    return true;
  }
  bool kv_delete(std::string_view, std::string_view, std::string_view key) override {
    std::lock_guard lock(mutex_);
    return kv_.erase(std::string(key)) == 1;
  }
  std::vector<std::string> triggers() {
    std::lock_guard lock(mutex_);
    return triggers_;
  }

 private:
  boost::asio::io_context& io_;
  std::mutex mutex_;
  std::vector<std::string> triggers_;
  std::map<std::string, std::string> kv_;
};

// A response fixture ({"http_status": …, "body": …}) as the answer the platform gives.
inline http::Response fixture_response(const boost::json::object& fixture) {
  return http::Response::json(static_cast<int>(fixture.at("http_status").as_int64()),
                              fixture.at("body"));
}

// The stand-in platform: answers each of `paths` (GET, POST or PUT) first from the answers queued
// for it, in order, then with its standing answer, else 404; every request is recorded.
class FixturePlatform {
 public:
  FixturePlatform(const boost::asio::any_io_executor& executor,
                  const std::vector<std::string>& paths) {
    auto routes = std::make_shared<http::Router>();
    for (const std::string& path : paths)
      for (const char* method : {"GET", "POST", "PUT"})
        routes->add_sync(method, path,
                         [this](const http::Request& request) { return respond(request); });
    server_ = std::make_unique<http::Server>(executor, routes);
    server_->listen("127.0.0.1", 0);
  }
  std::string base_url() const { return server_->base_url(); }
  void stop() { server_->stop(); }

  // The next request to `path` gets `response` (after those queued before it).
  void queue(const std::string& path, http::Response response) {
    std::lock_guard lock(mutex_);
    queued_[path].push_back(std::move(response));
  }
  // Every request to `path` that finds no queued answer gets `response`.
  void answer_always(const std::string& path, http::Response response) {
    std::lock_guard lock(mutex_);
    standing_.insert_or_assign(path, std::move(response));
  }

  std::vector<http::Request> requests() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  std::vector<http::Request> requests(const std::string& path) {
    std::lock_guard lock(mutex_);
    std::vector<http::Request> found;
    for (const auto& r : received_)
      if (r.path == path) found.push_back(r);
    return found;
  }

 private:
  http::Response respond(const http::Request& request) {
    std::lock_guard lock(mutex_);
    received_.push_back(request);
    if (auto& queued = queued_[request.path]; !queued.empty()) {
      http::Response response = queued.front();
      queued.pop_front();
      return response;
    }
    if (auto it = standing_.find(request.path); it != standing_.end()) return it->second;
    return http::Response::text(404, "no answer for this path");
  }

  std::unique_ptr<http::Server> server_;
  std::mutex mutex_;
  std::map<std::string, std::deque<http::Response>> queued_;
  std::map<std::string, http::Response> standing_;
  std::vector<http::Request> received_;
};

// What an operation of the plugin answered.
struct PluginAnswer {
  sparks_status_t status = SPARKS_ERR_INTERNAL;
  std::string text;
  boost::json::object json() const { return parse_object(text); }
};

// What the plugin made of a webhook.
struct WebhookVerdict {
  sparks_status_t status = SPARKS_ERR_INTERNAL;
  std::string error;
  std::vector<plugins::WebhookEvent> events;
};

// The plugin and its stand-in platform, one io_context run by a thread of the fixture's own; the
// test thread posts each call to it and waits, bounded, for the answer.
class ConnectorTest : public ::testing::Test {
 protected:
  // Starts the stand-in platform on `paths`, loads `plugin_file` (a file of the build's plugins/
  // folder) and finds the plugin `plugin_id` in it. Call with ASSERT_NO_FATAL_FAILURE.
  void start(const std::string& plugin_file, const std::string& plugin_id,
             const std::vector<std::string>& paths) {
    platform_ = std::make_unique<FixturePlatform>(io_.get_executor(), paths);
    host_ = std::make_unique<plugins::PluginHost>(io_.get_executor(), bridge_);
    auto report = host_->load_file(std::string(SPARKS_BINARY_DIR) + "/plugins/" + plugin_file);
    ASSERT_TRUE(report.loaded()) << (report.refusal ? report.refusal->to_string() : "");
    plugin_ = host_->find(plugin_id);
    ASSERT_NE(plugin_, nullptr);
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (thread_.joinable()) {
      try {
        await_result<bool>("the plugin to unload", [&](auto unloaded) {
          boost::asio::post(io_, [this, unloaded] {
            host_->unload_all();
            unloaded(true);
          });
        });
      } catch (const WaitTimedOut& e) {
        ADD_FAILURE() << e.what();
      }
    }
    if (platform_) platform_->stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
    host_.reset();
  }

  // The plugin's configure with `config`: empty when it took it, else why not.
  std::string configure_plugin(const boost::json::object& config) {
    return await_result<std::string>("the configuration", [&](auto done) {
      boost::asio::post(io_, [this, text = boost::json::serialize(config), done] {
        std::string error;
        if (!plugin_->configure(text, error) && error.empty()) error = "configuration refused";
        done(error);
      });
    });
  }

  PluginAnswer call(plugins::Operation operation, const boost::json::object& request) {
    return await_result<PluginAnswer>("the plugin's answer", [&](auto done) {
      boost::asio::post(io_, [this, operation, text = boost::json::serialize(request), done] {
        plugin_->call(operation, "ws-1", text, [done](sparks_status_t status, std::string result) {
          done({status, std::move(result)});
        });
      });
    });
  }

  WebhookVerdict verify(const plugins::WebhookRequest& request) {
    return await_result<WebhookVerdict>("the webhook's verdict", [&](auto done) {
      boost::asio::post(io_, [this, request, done] {
        plugin_->verify_webhook(request, [done](sparks_status_t status, std::string error,
                                                std::vector<plugins::WebhookEvent> events) {
          done({status, std::move(error), std::move(events)});
        });
      });
    });
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  RecordingBridge bridge_{io_};
  std::unique_ptr<FixturePlatform> platform_;
  std::unique_ptr<plugins::PluginHost> host_;
  plugins::LoadedPlugin* plugin_ = nullptr;
  std::thread thread_;
};

}  // namespace sparks::testing

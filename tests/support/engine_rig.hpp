#pragma once
// The engine with both connectors against the sandbox on 127.0.0.1, for tests that connect
// integrations in any workspace: consent pages answered as a browser would, callbacks, cards as a
// given member reads them, webhooks handed over from the sandbox's deliveries, the DMs it saw sent.
// One io_context on the test's thread runs everything; every wait is bounded (support/wait.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "http/form.hpp"
#include "sandbox/consent_client.hpp"
#include "sandbox/sandbox.hpp"
#include "sparks/engine.hpp"
#include "support/loopback_sandbox.hpp"
#include "support/wait.hpp"

namespace sparks::testing {

class EngineRig : public ::testing::Test {
 protected:
  using Query = std::vector<std::pair<std::string, std::string>>;

  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("sparks-engine-rig-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    sandbox_ = std::make_unique<LoopbackSandbox>(io_.get_executor());
    options_.database = folder_ / "sparks.db";
    options_.key_file = folder_ / "secret.key";
    options_.plugin_dir = std::string(SPARKS_BINARY_DIR) + "/plugins";
    options_.public_url = sandbox_->receiver_url();
    options_.platform_config = sandbox::platform_config(sandbox_->base_url());
    // The engine's clock runs `clock_offset_` ahead of the wall clock: a test moves time on.
    options_.now = [offset = clock_offset_] { return Clock::now() + offset->load(); };
    configure(options_);
    start_engine();
  }

  // What a test sets before the engine starts.
  virtual void configure(EngineOptions&) {}

  void TearDown() override {
    stop_engine();
    sandbox_->stop();
    io_.restart();
    io_.run_for(std::chrono::milliseconds(200));
    std::filesystem::remove_all(folder_);
  }

  void start_engine() { engine_ = std::make_unique<Engine>(io_.get_executor(), options_); }
  void stop_engine() {
    if (!engine_) return;
    engine_->stop();
    engine_.reset();
  }

  // The engine's "now" moves `by` further ahead of the wall clock.
  void move_clock(std::chrono::milliseconds by) {
    clock_offset_->store(clock_offset_->load() + by);
  }

  template <typename Ready>
  void run_until_seen(std::string_view awaited, Ready&& ready) {
    testing::run_until(io_, awaited, std::forward<Ready>(ready), kWaitLimit,
                       std::chrono::milliseconds(20));
  }

  template <typename Call>
  Reply wait_reply(Call&& call) {
    std::optional<Reply> reply;
    call([&](Reply r) { reply = std::move(r); });
    testing::run_until(io_, "the engine's reply", [&] { return reply.has_value(); });
    return *reply;
  }

  // Connect → the consent page answered → the callback's query, as the browser would bring it
  // back; empty (with a test failure) when Connect was refused.
  Query consent(const IntegrationKey& key, const std::string& account,
                const std::vector<std::string>& scopes, const Actor& owner) {
    const Reply started = wait_reply([&](auto done) { engine_->connect(key, owner, done); });
    EXPECT_FALSE(started.error) << started.error->message;
    if (started.error) return {};
    return answer_consent(std::string(started.value.at("authorize_url").as_string()), account,
                          scopes);
  }

  Query answer_consent(const std::string& authorize_url, const std::string& account,
                       const std::vector<std::string>& scopes) {
    std::optional<sandbox::ConsentResult> consent;
    sandbox::answer_consent(io_.get_executor(), authorize_url, {account, scopes, true},
                            [&](sandbox::ConsentResult r) { consent = std::move(r); });
    testing::run_until(io_, "the consent page's redirect", [&] { return consent.has_value(); });
    EXPECT_TRUE(consent->error.empty()) << consent->error;
    auto parsed = boost::urls::parse_uri(consent->redirect_url);
    if (!parsed) return {};
    return http::decode_form(parsed->encoded_query()).value_or(http::Fields{});
  }

  Reply callback(const std::string& platform, const Query& query) {
    return wait_reply([&](auto done) { engine_->complete_authorization(platform, query, done); });
  }

  // Connect, consent and the callback: the callback's reply.
  Reply connect(const IntegrationKey& key, const std::string& account,
                const std::vector<std::string>& scopes, const Actor& owner) {
    const Query query = consent(key, account, scopes, owner);
    if (query.empty()) return Reply::fail(ErrorKind::internal, "test", "no consent");
    return callback(key.platform, query);
  }

  Reply disconnect(const IntegrationKey& key, const Actor& owner) {
    return wait_reply([&](auto done) { engine_->disconnect(key, owner, done); });
  }

  // The card of `key` as `viewer` reads it.
  boost::json::object card(const IntegrationKey& key, const Actor& viewer) {
    const Reply reply = wait_reply([&](auto done) { engine_->cards(key.workspace, viewer, done); });
    for (const auto& c : reply.value.at("integrations").as_array())
      if (c.at("platform").as_string() == key.platform) return c.as_object();
    return {};
  }

  static std::string issue_message(const boost::json::object& card, std::string_view code) {
    for (const auto& issue : card.at("issues").as_array())
      if (issue.at("code").as_string() == code) return std::string(issue.at("message").as_string());
    return {};
  }

  // A call to the sandbox's control API (/sandbox/v1/…): its answer, or {} when it failed.
  boost::json::object control(const std::string& target, const boost::json::value& body) {
    std::optional<http::ClientResponse> response;
    http::send_request(io_.get_executor(),
                       {"POST",
                        sandbox_->base_url() + target,
                        {{"Content-Type", "application/json"}},
                        boost::json::serialize(body)},
                       [&](http::ClientResponse r) { response = std::move(r); });
    testing::run_until(io_, "the sandbox's answer to " + target,
                       [&] { return response.has_value(); });
    if (response->status >= 300) return {};
    return boost::json::parse(response->body).as_object();
  }

  // The sandbox's webhook number `index` (to the test's receiver), handed to the engine.
  Reply deliver_webhook(std::size_t index) {
    testing::run_until(io_, "the sandbox's webhook",
                       [&] { return sandbox_->inbox.wait_for_count(index + 1, {}); });
    auto request = sandbox_->inbox.at(index);
    InboundWebhook webhook{"POST", request.path, request.query_string, {}, request.body};
    for (const auto& [name, value] : request.headers) webhook.headers.emplace_back(name, value);
    const std::string platform = request.path == "/webhooks/tiktok" ? "tiktok" : "tiktok_shop";
    return wait_reply([&](auto done) { engine_->receive_webhook(platform, webhook, done); });
  }

  // `user` writes to `account` (which may then message them) and `user` comments on its video;
  // both reach the engine as the sandbox's webhooks number `index` and `index + 1`.
  void fan_writes_and_comments(const std::string& account, const std::string& video,
                               const std::string& user, std::size_t index) {
    control("/sandbox/v1/messages", {{"account", account}, {"user", user}, {"text", "hello!"}});
    ASSERT_FALSE(deliver_webhook(index).error);
    control("/sandbox/v1/comments",
            {{"account", account}, {"video_id", video}, {"user", user}, {"text", "hi"}});
    ASSERT_FALSE(deliver_webhook(index + 1).error);
  }

  // The DMs `account` sent, as the sandbox saw them.
  std::size_t sent_messages(const std::string& account) {
    std::optional<http::ClientResponse> r;
    http::send_request(
        io_.get_executor(),
        {"GET", sandbox_->base_url() + "/sandbox/v1/sent-messages?account=" + account, {}, ""},
        [&](http::ClientResponse x) { r = std::move(x); });
    testing::run_until(io_, "the sandbox's sent messages", [&] { return r.has_value(); });
    return boost::json::parse(r->body).at("messages").as_array().size();
  }

  // A live flow in `workspace` that thanks every commenter by DM.
  void publish_thanks_flow(const std::string& workspace, const Actor& owner) {
    const std::string flow =
        "flow:\n  id: thanks\n  name: thanks\n  trigger: { on: tiktok.comment }\n"
        "  actions:\n    - tiktok.send_dm: { text: \"thanks {{contact.username}}\" }\n";
    ASSERT_FALSE(
        wait_reply([&](auto d) { engine_->create_flow(workspace, owner, flow, d); }).error);
    ASSERT_FALSE(
        wait_reply([&](auto d) { engine_->publish_flow(workspace, "thanks", owner, d); }).error);
  }

  // Asks the integration's connector to refresh its token now: "" once it worked.
  std::string refresh(const IntegrationKey& key) {
    std::optional<std::string> error;
    engine_->refresh_credentials(key, [&](std::string e) { error = std::move(e); });
    testing::run_until(io_, "the refresh's answer", [&] { return error.has_value(); });
    return *error;
  }

  // The states the integration went through, oldest first, a row that stays included:
  // "authorizing connected connected …".
  std::string history(const IntegrationKey& key) {
    std::optional<std::vector<TransitionView>> rows;
    engine_->transitions(key, [&](auto r) { rows = std::move(r); });
    testing::run_until(io_, "the stored history", [&] { return rows.has_value(); });
    std::string path;
    for (const auto& t : *rows) path += (path.empty() ? "" : " ") + t.to;
    return path;
  }

  std::filesystem::path folder_;
  boost::asio::io_context io_;
  std::unique_ptr<LoopbackSandbox> sandbox_;
  std::shared_ptr<std::atomic<std::chrono::milliseconds>> clock_offset_ =
      std::make_shared<std::atomic<std::chrono::milliseconds>>(std::chrono::milliseconds(0));
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace sparks::testing

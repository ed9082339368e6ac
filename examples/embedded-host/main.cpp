// An application that embeds the Sparks engine: it owns the io_context and its threads, hands the
// engine an executor, connects a workspace's TikTok account and TikTok Shop — against the sandbox,
// served here on 127.0.0.1 — and prints the integration cards. docs/embedding.md walks through it.
//
//   build/sparks_embedded_host [DATA_DIR]
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include "http/form.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "sandbox/consent_client.hpp"
#include "sandbox/sandbox.hpp"
#include "sparks/engine.hpp"

namespace json = boost::json;

namespace {

// The engine answers through callbacks on the host's executor; this host simply waits for them,
// for a while.
template <typename Result, typename Start>
Result wait_for(Start&& start) {
  // Shared with the callback, which may still come after this host has stopped waiting.
  auto promise = std::make_shared<std::promise<Result>>();
  auto answer = promise->get_future();
  start([promise](Result r) { promise->set_value(std::move(r)); });
  if (answer.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
    throw std::runtime_error("no answer within 10 s");
  return answer.get();
}

json::value or_fail(sparks::Reply reply, const std::string& what) {
  if (reply.error) throw std::runtime_error(what + ": " + reply.error->message);
  return std::move(reply.value);
}

// The owner clicks Connect, approves every scope on the consent page, and comes back.
void connect(sparks::Engine& engine, boost::asio::io_context& io, const std::string& platform,
             const std::string& account, const std::vector<std::string>& scopes) {
  const sparks::Actor owner = sparks::Actor::member("ana", sparks::Role::owner);
  auto started = or_fail(wait_for<sparks::Reply>([&](auto done) {
                           engine.connect({"acme", platform}, owner, done);
                         }),
                         "connect " + platform);
  const std::string authorize_url(started.at("authorize_url").as_string());
  std::cout << "→ " << platform << ": the owner is sent to " << authorize_url.substr(0, 60)
            << "…\n";

  auto consent = wait_for<sparks::sandbox::ConsentResult>([&](auto done) {
    sparks::sandbox::answer_consent(io.get_executor(), authorize_url, {account, scopes, true},
                                    done);
  });
  if (!consent.error.empty()) throw std::runtime_error("consent page: " + consent.error);

  // A real host serves GET /oauth/{platform}/callback and passes its query on, as here.
  auto url = boost::urls::parse_uri(consent.redirect_url);
  auto query = sparks::http::decode_form(url->encoded_query()).value_or(sparks::http::Fields{});
  auto result = or_fail(wait_for<sparks::Reply>([&](auto done) {
                          engine.complete_authorization(platform, query, done);
                        }),
                        "callback " + platform);
  std::cout << "← " << platform << ": " << result.at("state").as_string().c_str() << " — "
            << result.at("message").as_string().c_str() << "\n";
}

// The cards once every integration has had its first sync, which lands after the connect's answer
// (or as they are after 5 s).
json::array cards_after_first_sync(sparks::Engine& engine) {
  json::array cards;
  for (int look = 0; look < 50; ++look) {
    cards =
        or_fail(wait_for<sparks::Reply>([&](auto done) { engine.cards("acme", done); }), "cards")
            .at("integrations")
            .as_array();
    const bool synced = std::all_of(cards.begin(), cards.end(), [](const json::value& card) {
      return !card.at("last_sync").is_null();
    });
    if (synced) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return cards;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path data =
      argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "sparks-embedded-host";
  std::filesystem::remove_all(data);

  // The host's I/O: one io_context, two threads, kept alive until the end.
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });

  // The platforms: the sandbox, on an ephemeral loopback port.
  auto routes = std::make_shared<sparks::http::Router>();
  sparks::sandbox::Sandbox sandbox(io.get_executor(), {});
  sandbox.mount(*routes);
  sparks::http::Server platform(io.get_executor(), routes);
  platform.listen("127.0.0.1", 0);

  int status = 0;
  {
    sparks::EngineOptions options;
    options.database = data / "sparks.db";
    options.key_file = data / "secret.key";
    options.plugin_dir = SPARKS_PLUGIN_DIR;
    options.public_url = "http://127.0.0.1:8080";  // where this host would serve the callback
    // Both connectors pointed at the sandbox, with its keys. Real platforms take theirs
    // (docs/connectors.md).
    options.platform_config = sparks::sandbox::platform_config(platform.base_url());
    sparks::Engine engine(io.get_executor(), options);

    try {
      connect(engine, io, "tiktok", "creator",
              {"user.info.basic", "comment.list", "message.list.send", "video.list"});
      connect(engine, io, "tiktok_shop", "shop", {"seller.authorization.info", "seller.order.info", "seller.product.basic"});
      for (const auto& card : cards_after_first_sync(engine))
        std::cout << card.at("platform").as_string().c_str() << ": "
                  << card.at("status").as_string().c_str() << " ("
                  << card.at("dot").as_string().c_str() << " dot), last sync "
                  << json::serialize(card.at("last_sync")) << ", webhook "
                  << card.at("webhook").as_string().c_str() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "embedded host: " << e.what() << "\n";
      status = 1;
    }
    engine.stop();
  }
  platform.stop();
  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  return status;
}

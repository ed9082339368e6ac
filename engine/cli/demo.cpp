// `sparks demo`: the help page's story, narrated, on the embedded default — the same assembly as
// `sparks serve` (engine, HTTP API, in-process sandbox), on 127.0.0.1 and a temporary folder. The
// demo plays the people: Ben (a member) and Ana (the owner) call the API with their demo keys, the
// consent pages are answered like a browser would, and the sandbox's control API makes a fan
// comment, write and buy. Each step checks what the cards, flows and lists must show; the exit
// status is 0 only if every step behaved.
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <thread>

#include "command.hpp"
#include "http/client.hpp"
#include "sandbox/consent_client.hpp"
#include "serve_app.hpp"

namespace sparks::cli {

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::vector<std::string> kAllTikTok = {
    "user.info.basic",     "user.account.type", "video.list",       "comment.list",
    "comment.list.manage", "message.list.read", "message.list.send"};
const std::vector<std::string> kAllButDms = {"user.info.basic",     "user.account.type",
                                             "video.list",          "comment.list",
                                             "comment.list.manage", "message.list.read"};
const std::vector<std::string> kAllShop = {"seller.authorization.info", "seller.order.info",
                                           "seller.product.basic"};

struct Answer {
  int status = 0;
  json::value body;
};

// A person with an API key, and a browser, talking HTTP to the running assembly.
class Client {
 public:
  Client(boost::asio::io_context& io, std::string base) : io_(io), base_(std::move(base)) {}

  Answer call(const std::string& method, const std::string& path, const std::string& key = "",
              const std::string& body = "", const std::string& type = "application/json") {
    http::ClientRequest request{method, path.starts_with("http") ? path : base_ + path, {}, body};
    if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
    if (!body.empty()) request.headers["Content-Type"] = type;
    std::promise<http::ClientResponse> promise;
    http::send_request(io_.get_executor(), request,
                       [&](http::ClientResponse r) { promise.set_value(std::move(r)); });
    auto response = promise.get_future().get();
    boost::system::error_code ec;
    auto parsed = json::parse(response.body, ec);
    return {response.status, ec ? json::value(json::string(response.body)) : parsed};
  }

  // Connect → consent page answered with `account` and `scopes` → the browser follows the redirect.
  Answer connect(const std::string& platform, const std::string& account,
                 const std::vector<std::string>& scopes) {
    auto started = call("POST", "/api/v1/workspaces/demo/integrations/" + platform + "/connect",
                        "ana-demo-key");
    if (started.status != 200) return started;
    std::promise<sandbox::ConsentResult> consent;
    sandbox::answer_consent(io_.get_executor(),
                            std::string(started.body.at("authorize_url").as_string()),
                            {account, scopes, true},
                            [&](sandbox::ConsentResult r) { consent.set_value(std::move(r)); });
    auto result = consent.get_future().get();
    if (!result.error.empty()) return {0, json::string(result.error)};
    return call("GET", result.redirect_url);
  }

  json::object card(const std::string& platform) {
    auto cards = call("GET", "/api/v1/workspaces/demo/integrations", "ana-demo-key");
    if (cards.status == 200)
      for (const auto& c : cards.body.at("integrations").as_array())
        if (c.at("platform").as_string() == platform) return c.as_object();
    return {};
  }

  // Polls the card (for at most 5 s) until `ready` holds: syncs and webhooks land after replies.
  json::object card_when(const std::string& platform,
                         const std::function<bool(const json::object&)>& ready) {
    json::object c;
    for (int i = 0; i < 100; ++i) {
      c = card(platform);
      if (!c.empty() && ready(c)) break;
      std::this_thread::sleep_for(50ms);
    }
    return c;
  }

 private:
  boost::asio::io_context& io_;
  std::string base_;
};

bool has_issue(const json::object& card, std::string_view code) {
  if (!card.contains("issues")) return false;
  for (const auto& issue : card.at("issues").as_array())
    if (issue.at("code").as_string() == code) return true;
  return false;
}

std::string issue_text(const json::object& card, std::string_view code) {
  for (const auto& issue : card.at("issues").as_array())
    if (issue.at("code").as_string() == code) return std::string(issue.at("message").as_string());
  return {};
}

std::string field(const json::value& v, std::string_view key) {
  const auto* f = v.is_object() ? v.get_object().if_contains(key) : nullptr;
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

class Narrator {
 public:
  // Prints the step and whether it behaved; remembers a failure.
  void step(const std::string& what, bool behaved, const std::string& detail = {}) {
    ++count_;
    std::cout << (behaved ? "  ✔ " : "  ✘ ") << count_ << ". " << what;
    if (!detail.empty()) std::cout << "\n       " << detail;
    std::cout << std::endl;
    failures_ += behaved ? 0 : 1;
  }
  void chapter(const std::string& title) { std::cout << "\n" << title << "\n"; }
  int failures() const { return failures_; }

 private:
  int count_ = 0;
  int failures_ = 0;
};

std::string flow_state(Client& client, const std::string& id) {
  auto flow = client.call("GET", "/api/v1/workspaces/demo/flows/" + id, "ana-demo-key");
  if (flow.status != 200) return "missing";
  const auto& by = flow.body.at("paused_by");
  return field(flow.body, "status") + (by.is_null() ? "" : " by " + std::string(by.as_string()));
}

std::size_t count(Client& client, const std::string& list, const std::string& key) {
  auto answer = client.call("GET", "/api/v1/workspaces/demo/" + list, "ana-demo-key");
  return answer.status == 200 ? answer.body.at(key).as_array().size() : 0;
}

void print_cards(Client& client) {
  std::cout << "\nIntegration cards (GET /api/v1/workspaces/demo/integrations):\n";
  for (const char* platform : {"tiktok", "tiktok_shop"}) {
    auto c = client.card(platform);
    if (c.empty()) continue;
    std::cout << "  " << platform << ": " << field(c, "status") << " (" << field(c, "dot")
              << " dot), last sync "
              << (c.at("last_sync").is_null() ? "never" : field(c, "last_sync")) << ", webhook "
              << field(c, "webhook") << "\n";
    for (const auto& issue : c.at("issues").as_array())
      std::cout << "    ! " << field(issue, "message") << "\n";
  }
}

// The people and the platform of the story: the API as Ana and Ben, the sandbox as the fans.
struct Story {
  Client& client;
  Narrator& say;
  std::string sandbox;  // the sandbox's base URL (in-process: the server's)
  const std::string ws = "/api/v1/workspaces/demo";

  // Comments on the creator's video as `user`; the sandbox's answer (the comment as TikTok keeps
  // it).
  json::value comment(const std::string& user, const std::string& text) {
    return client
        .call("POST", sandbox + "/sandbox/v1/comments", "",
              json::serialize(json::object{
                  {"account", "creator"}, {"video_id", "video-1"}, {"user", user}, {"text", text}}))
        .body;
  }
  void writes(const std::string& user, const std::string& text) {
    client.call(
        "POST", sandbox + "/sandbox/v1/messages", "",
        json::serialize(json::object{{"account", "creator"}, {"user", user}, {"text", text}}));
  }
  // What the creator account sent `user` by DM, as the sandbox saw it.
  std::vector<json::object> sent_to(const std::string& user) {
    std::vector<json::object> messages;
    auto sent = client.call("GET", sandbox + "/sandbox/v1/sent-messages?account=creator");
    if (sent.status == 200)
      for (const auto& m : sent.body.at("messages").as_array())
        if (m.at("user").as_string() == user) messages.push_back(m.as_object());
    return messages;
  }
  // The creator's public replies to the comment `comment_id`.
  std::vector<std::string> replies_to(const std::string& comment_id) {
    std::vector<std::string> texts;
    auto replies = client.call("GET", sandbox + "/sandbox/v1/comment-replies?account=creator");
    if (replies.status == 200)
      for (const auto& r : replies.body.at("replies").as_array())
        if (field(r, "parent_comment_id") == comment_id) texts.push_back(field(r, "text"));
    return texts;
  }
  std::string inbox() {
    return json::serialize(client.call("GET", ws + "/inbox", "ana-demo-key").body);
  }
  // Polls (at most 5 s) until `ready` holds: webhooks, sends and syncs land after replies.
  static bool eventually(const std::function<bool()>& ready) {
    for (int i = 0; i < 100 && !ready(); ++i) std::this_thread::sleep_for(50ms);
    return ready();
  }
};

void connecting_tiktok(Story& story) {
  auto& [client, say, sandbox, ws] = story;
  say.chapter("Connecting TikTok");
  auto ben = client.call("POST", ws + "/integrations/tiktok/connect", "ben-demo-key");
  say.step("Ben, a member, clicks Connect TikTok: refused (403), only owners connect",
           ben.status == 403,
           field(ben.body.is_object() ? ben.body.at("error") : json::value(), "message"));

  auto partial = client.connect("tiktok", "creator", kAllButDms);
  auto card = client.card("tiktok");
  say.step(
      "Ana connects TikTok but unticks 'send DMs': Partially connected, the missing scope named",
      partial.status == 200 && field(card, "status") == "Partially connected" &&
          field(card, "dot") == "yellow" &&
          issue_text(card, "missing_scopes").find("message.list.send") != std::string::npos,
      issue_text(card, "missing_scopes"));

  auto full = client.connect("tiktok", "creator", kAllTikTok);
  card = client.card_when("tiktok",
                          [](const json::object& c) { return !c.at("last_sync").is_null(); });
  say.step("Ana reconnects approving every scope: Connected, green dot, synced, webhook waiting",
           full.status == 200 && field(card, "status") == "Connected" &&
               field(card, "dot") == "green" && !card.at("last_sync").is_null() &&
               field(card, "webhook") == "waiting",
           "last sync " + field(card, "last_sync"));

  auto personal = client.connect("tiktok", "personal", kAllTikTok);
  say.step("Ana tries her personal TikTok account: refused, TikTok stays connected as it was",
           field(personal.body, "refusal") == "personal_account" &&
               field(client.card("tiktok"), "status") == "Connected",
           field(personal.body, "message"));
}

void connecting_the_shop(Story& story) {
  auto& [client, say, sandbox, ws] = story;
  say.chapter("Connecting TikTok Shop");
  auto other = client.connect("tiktok_shop", "other-shop", kAllShop);
  say.step("Ana connects a Shop of another business: refused",
           field(other.body, "refusal") == "business_mismatch", field(other.body, "message"));
  auto shop = client.connect("tiktok_shop", "shop", kAllShop);
  auto card = client.card_when("tiktok_shop",
                               [](const json::object& c) { return !c.at("last_sync").is_null(); });
  say.step("Ana connects the creator's own Shop: Connected, the product catalog synced",
           shop.status == 200 && field(card, "status") == "Connected" &&
               !card.at("last_sync").is_null());
}

// TikTok's messaging rules decide what a flow can send: a DM answers a comment only through
// Comment-to-Message (TikTok picks the high-intent comments) or in a conversation the person opened
// in the last 48 h; elsewhere the flow's `otherwise:` step replies in public.
void automations(Story& story) {
  auto& [client, say, sandbox, ws] = story;
  say.chapter("Automations, under TikTok's messaging rules");
  const std::string price_dm =
      "flow:\n  id: price-dm\n  name: Price? -> DM the product link\n  priority: 10\n"
      "  trigger: { on: tiktok.high_intent_comment, keywords: [price] }\n  actions:\n"
      "    - tiktok.send_dm:\n        text: \"The {{product.title}} is {{product.price}}: "
      "{{product.link}} (code {{attribution.code}} in your order note)\"\n"
      "        product: { seller_sku: LINEN-M }\n";
  const std::string colour_question =
      "flow:\n  id: colour-question\n  name: A colour question -> DM, or a public reply\n"
      "  trigger: { on: tiktok.comment, keywords: [blue, colour, color] }\n  actions:\n"
      "    - tiktok.send_dm:\n        text: \"It comes in blue, sand and white!\"\n"
      "        otherwise:\n          tiktok.reply_comment: { text: \"Send us a message and we will "
      "show you the colours!\" }\n";
  auto plain = [](const std::string& id) {
    return "flow:\n  id: " + id + "\n  name: " + id +
           "\n  trigger: { on: tiktok.comment, keywords: [giveaway] }\n" +
           "  actions:\n    - contact.tag: { add: entrant }\n";
  };
  auto add = [&](const std::string& yaml) {
    return client.call("POST", ws + "/flows", "ana-demo-key", yaml, "application/yaml").status ==
           201;
  };
  auto post = [&](const std::string& path) {
    return client.call("POST", ws + path, "ana-demo-key").status == 200;
  };
  bool created = add(price_dm) && add(colour_question) && add(plain("held-by-hand")) &&
                 add(plain("giveaway-draft")) && post("/flows/price-dm/publish") &&
                 post("/flows/colour-question/publish") && post("/flows/held-by-hand/publish") &&
                 post("/flows/held-by-hand/pause");
  say.step(
      "Ana adds four flows: price-dm and colour-question are live, held-by-hand she paused "
      "herself, giveaway-draft is a draft",
      created && flow_state(client, "price-dm") == "live" &&
          flow_state(client, "colour-question") == "live" &&
          flow_state(client, "held-by-hand") == "paused by person");

  story.comment("fan-1", "price?");
  auto card = client.card_when(
      "tiktok", [](const json::object& c) { return c.at("webhook") == "receiving"; });
  const bool one_dm = Story::eventually([&] { return story.sent_to("fan-1").size() == 1; });
  say.step(
      "A fan comments \"price?\": the signed webhook arrives (webhook Receiving); TikTok judges "
      "the "
      "comment high-intent (Comment-to-Message: the creator is registered in Thailand), and "
      "price-dm answers it with one DM",
      field(card, "webhook") == "receiving" && one_dm,
      one_dm ? "DM: " + field(story.sent_to("fan-1").front(), "text") : "");

  const auto asked = story.comment("fan-2", "does it come in blue?");
  const auto asked_id =
      field(asked.is_object() ? asked.at("comment") : json::value(), "comment_id");
  const bool replied = Story::eventually([&] { return !story.replies_to(asked_id).empty(); });
  say.step(
      "Another fan, who never wrote to the account, asks \"does it come in blue?\": TikTok lets a "
      "business DM only people who wrote to it, so the DM is skipped with that reason and the "
      "flow's otherwise step answers under the comment",
      replied && story.sent_to("fan-2").empty() &&
          story.inbox().find("no open conversation") != std::string::npos,
      replied ? "public reply: " + story.replies_to(asked_id).front() : "");

  story.writes("fan-2", "Hi! I love the shirt");
  // The sandbox delivers webhooks concurrently: the message is in before the next comment is made.
  Story::eventually([&] { return story.inbox().find("I love the shirt") != std::string::npos; });
  story.comment("fan-2", "and in colour sand?");
  const bool dm_now = Story::eventually([&] { return story.sent_to("fan-2").size() == 1; });
  say.step(
      "That fan writes to the account, then asks again: now the conversation is open (48 h, up to "
      "10 messages), and the answer comes by DM",
      dm_now, dm_now ? "DM: " + field(story.sent_to("fan-2").front(), "text") : "");

  story.writes("fan-1", "ordering now!");
  say.step("The first fan answers: contacts, and conversations in the inbox both ways",
           Story::eventually([&] {
             return count(client, "contacts", "contacts") == 2 &&
                    count(client, "inbox", "conversations") >= 2;
           }));

  // The fan orders through the DM: the Shop knows them as its own buyer, and the order note brings
  // the DM's code back — the only thing that ties a Shop order to a TikTok message.
  const auto dms = story.sent_to("fan-1");
  client.call("POST", sandbox + "/sandbox/v1/orders", "",
              json::serialize(json::object{
                  {"shop", "shop"},
                  {"buyer", "shop-buyer-1"},
                  {"items", json::array{json::object{{"sku_id", "sku-1001-m"}, {"quantity", 1}}}},
                  {"from_message", dms.empty() ? "" : field(dms.front(), "message_id")}}));
  json::value order;
  const bool attributed = Story::eventually([&] {
    auto orders = client.call("GET", ws + "/orders", "ana-demo-key");
    if (orders.status != 200 || orders.body.at("orders").as_array().empty()) return false;
    order = orders.body.at("orders").at(0);
    return order.at("attributed").as_bool();
  });
  say.step(
      "The fan buys the shirt with the DM's code in the order note: the order is attributed to "
      "price-dm (by that code), revenue counted in analytics",
      attributed && field(order, "flow_id") == "price-dm" &&
          field(order, "attributed_by") == "dm_code",
      attributed ? "order " + field(order, "order_id") + ", " + field(order, "total") + " " +
                       field(order, "currency")
                 : "");
}

void disconnecting(Story& story) {
  auto& [client, say, sandbox, ws] = story;
  say.chapter("Disconnecting");
  const auto contacts = count(client, "contacts", "contacts"),
             conversations = count(client, "inbox", "conversations");
  const auto analytics_before = client.call("GET", ws + "/analytics", "ana-demo-key").body;
  auto refused = client.call("POST", ws + "/integrations/tiktok/disconnect", "ben-demo-key");
  say.step("Ben tries to disconnect TikTok: refused (403)", refused.status == 403);
  auto gone = client.call("POST", ws + "/integrations/tiktok/disconnect", "ana-demo-key");
  say.step(
      "Ana disconnects TikTok: price-dm paused by tiktok; her own pause and the draft untouched",
      gone.status == 200 && flow_state(client, "price-dm") == "paused by tiktok" &&
          flow_state(client, "held-by-hand") == "paused by person" &&
          flow_state(client, "giveaway-draft") == "draft");
  say.step("Nothing was deleted: contacts, inbox and analytics are as they were",
           count(client, "contacts", "contacts") == contacts &&
               count(client, "inbox", "conversations") == conversations &&
               client.call("GET", ws + "/analytics", "ana-demo-key").body == analytics_before);
  story.comment("fan-3", "price?");
  std::this_thread::sleep_for(300ms);
  say.step(
      "While TikTok is disconnected a fan comments \"price?\": it is recorded, and starts nothing",
      story.sent_to("fan-3").empty());
  auto again = client.connect("tiktok", "creator", kAllTikTok);
  say.step("Ana reconnects: exactly the flows TikTok paused resume",
           again.status == 200 && field(client.card("tiktok"), "status") == "Connected" &&
               flow_state(client, "price-dm") == "live" &&
               flow_state(client, "colour-question") == "live" &&
               flow_state(client, "held-by-hand") == "paused by person" &&
               flow_state(client, "giveaway-draft") == "draft");

  client.call("POST", sandbox + "/sandbox/v1/revoke", "", R"({"account":"creator"})");
  auto card = client.card_when(
      "tiktok", [](const json::object& c) { return has_issue(c, "authorization_removed"); });
  say.step(
      "The creator removes the app on TikTok: Disconnected (red), the card says why, price-dm "
      "paused",
      field(card, "status") == "Disconnected" && field(card, "dot") == "red" &&
          has_issue(card, "authorization_removed") &&
          flow_state(client, "price-dm") == "paused by tiktok",
      issue_text(card, "authorization_removed"));
}

void print_summary(Client& client, const std::string& ws) {
  print_cards(client);
  auto analytics = client.call("GET", ws + "/analytics", "ana-demo-key");
  if (analytics.status == 200) {
    std::cout << "\nAnalytics (GET " << ws << "/analytics):\n";
    for (const auto& flow : analytics.body.at("flows").as_array())
      std::cout << "  " << field(flow, "flow_id") << ": " << json::serialize(flow.at("counters"))
                << "\n";
  }
  auto history = client.call("GET", ws + "/audit", "ana-demo-key");
  std::cout << "\nAudit log: "
            << (history.status == 200 ? history.body.at("entries").as_array().size() : 0)
            << " entries (GET " << ws << "/audit)\n";
}

// The demo's own server ran on a temporary port and has stopped with it: the address printed is
// the one `sparks serve` serves with the same embedded default.
void print_web_app_address() {
  const auto defaults = config::Config::embedded_default();
  const auto base = defaults.public_url.value_or("http://" + defaults.listen);
  std::cout
      << "\nThe web app: run `build/sparks serve`, then open " << base
      << "/app/ and sign in with ana-demo-key\n(owner; ben-demo-key is a member). This demo's "
         "own server has stopped.\n";
}

int run_demo(const std::filesystem::path& folder) {
  std::filesystem::remove_all(folder);
  config::Config config = config::Config::embedded_default();
  config.listen = "127.0.0.1:0";
  config.database = folder / "sparks.db";
  config.key_file = folder / "secret.key";

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::unique_ptr<ServeApp> app;
  try {
    app = std::make_unique<ServeApp>(io.get_executor(), config, executable_dir() / "plugins");
  } catch (const std::exception& e) {
    std::cerr << "sparks demo: " << e.what() << "\n";
    return 1;
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });

  std::cout
      << "Sparks demo: the embedded default (workspace `demo`: owner Ana, member Ben; TikTok and\n"
         "TikTok Shop played by the in-process sandbox) at "
      << app->base_url() << ", data in " << folder.string() << "\n";
  Client client(io, app->base_url());
  Narrator say;
  Story story{client, say, app->base_url()};
  connecting_tiktok(story);
  connecting_the_shop(story);
  automations(story);
  disconnecting(story);
  print_summary(client, story.ws);

  app->stop();
  work.reset();
  io.stop();
  for (auto& t : threads) t.join();
  app.reset();
  std::filesystem::remove_all(folder);
  if (say.failures() > 0) {
    std::cout << "\n" << say.failures() << " step(s) did not behave.\n";
    return 1;
  }
  std::cout << "\nEvery step behaved.\n";
  print_web_app_address();
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, ExitCode& exit_code) {
  auto* command = app.add_subcommand("demo",
                                     "Narrated run of the help page's story (connect, verify, "
                                     "automate, disconnect) on the embedded default:\n"
                                     "the `sparks serve` assembly with the in-process sandbox, on "
                                     "127.0.0.1 and a temporary folder.\n"
                                     "Exit status 0 only if every step behaved.");
  command->callback([&exit_code] {
    exit_code = run_demo(std::filesystem::temp_directory_path() /
                         ("sparks-demo-" + std::to_string(::getpid())));
  });
}

}  // namespace sparks::cli

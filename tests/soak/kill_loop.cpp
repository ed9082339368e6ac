#include "soak/kill_loop.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace sparks::testing {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr auto kSettleLimit = 120s;      // for the flows to work off what the kills left
constexpr int kMaxDeliveries = 400;      // per webhook: the platform gives up only after days
constexpr auto kRedeliveryPause = 50ms;  // between two deliveries of one webhook

// Every other comment: a tag, so that each processed event is counted (triggered) by one flow.
const std::string kTagFlow = R"(flow:
  id: tag-commenters
  name: "Tag every commenter"
  priority: 90
  trigger:
    on: tiktok.comment
  actions:
    - contact.tag: { add: commenter }
)";

std::string fan(int i) {
  return "fan-" + std::to_string(i);
}

struct Webhook {
  std::string body;
};

// POSTs the webhook until `sparks serve` answers 200 (it may be down, or answer 503); with several
// instances, to each in turn, starting from the `first`.
int deliver(const ServeRig& rig, const Webhook& webhook, int first) {
  for (int attempt = 1; attempt <= kMaxDeliveries; ++attempt) {
    const int instance = (first + attempt - 1) % rig.instances();
    // Short: a server killed mid-request must not hold the sender long.
    const auto answer =
        http_call("POST", rig.serve_url(instance) + "/webhooks/tiktok", "", webhook.body,
                  "application/json", 3s, tiktok_signed_now(webhook.body));
    if (answer.status == 200) return attempt;
    std::this_thread::sleep_for(kRedeliveryPause);
  }
  throw std::runtime_error("a webhook was never acknowledged");
}

std::int64_t counter(const json::value& analytics, const std::string& flow,
                     const std::string& name) {
  for (const auto& f : analytics.at("flows").as_array())
    if (f.at("flow_id").as_string() == flow) {
      const auto* value = f.at("counters").as_object().if_contains(name);
      return value ? value->as_int64() : 0;
    }
  return 0;
}

}  // namespace

json::object KillLoopReport::to_json() const {
  return {{"seed", seed},
          {"events", events},
          {"deliveries", deliveries},
          {"kills", kills},
          {"processed", processed},
          {"lost", lost},
          {"duplicated", duplicated},
          {"dms_expected", dms_expected},
          {"dms_received", dms_received},
          {"dms_outcome_unknown", dms_outcome_unknown},
          {"settled", settled},
          {"takeovers_ms", json::value_from(takeovers_ms)}};
}

KillLoopReport run_kill_loop(const std::string& sparks_binary, const KillLoopOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) *options.progress << "kill loop: " << line << std::endl;
  };
  KillLoopReport report;
  report.seed = options.seed;
  std::mt19937 random(options.seed);

  ServeRig rig(sparks_binary, "sparks-kill-loop", options.rig);
  const auto connected = rig.connect("tiktok", "creator", kEveryTikTokScope);
  if (connected.status != 200)
    throw std::runtime_error("connecting TikTok failed: " + json::serialize(connected.body));
  for (const auto& [id, yaml] : {std::pair{"price-dm", kPriceDmFlow}, {"tag-commenters", kTagFlow}})
    if (rig.publish_flow(id, yaml).status != 200)
      throw std::runtime_error(std::string("publishing ") + id + " failed");

  // Each fan writes first: their conversation is open, so their DM goes into it, where the
  // platform can be asked afterwards whether it arrived.
  for (int i = 0; i < options.fans; ++i)
    if (rig.control("/sandbox/v1/messages",
                    {{"account", "creator"}, {"user", fan(i)}, {"text", "hello!"}})
            .status != 201)
      throw std::runtime_error("the sandbox took no message from " + fan(i));
  poll_until(
      "the fans' messages to reach sparks serve",
      [&] {
        const auto log = rig.call("GET", rig.sandbox_url() + "/sandbox/v1/webhooks");
        int delivered = 0;
        for (const auto& w : log.body.at("webhooks").as_array())
          delivered += w.at("delivered").as_bool() ? 1 : 0;
        return delivered >= options.fans;
      },
      30s, 50ms);
  say("connected, 2 flows live, " + std::to_string(options.fans) + " conversations open");

  // The comments, in a random order: one "price?" per fan, the rest match only the tag flow.
  std::vector<Webhook> webhooks;
  std::int64_t next_id = 7'400'000'000'000'000'000;
  for (int i = 0; i < options.fans; ++i)
    webhooks.push_back({tiktok_comment_webhook(next_id++, fan(i), "what's the price?")});
  for (int i = 0; i < options.other_comments; ++i)
    webhooks.push_back({tiktok_comment_webhook(next_id++, fan(i % std::max(options.fans, 1)),
                                               "love this video #" + std::to_string(i))});
  std::shuffle(webhooks.begin(), webhooks.end(), random);
  report.events = static_cast<int>(webhooks.size());
  report.dms_expected = options.fans;

  // Kills fall at random points of the load: after so many acknowledgements.
  std::vector<int> kill_at;
  std::uniform_int_distribution<int> point(1, std::max(report.events - 1, 1));
  for (int k = 0; k < options.kills; ++k) kill_at.push_back(point(random));
  std::sort(kill_at.begin(), kill_at.end());

  std::atomic<int> next{0}, acknowledged{0}, deliveries{0};
  std::mutex failure_mutex;
  std::string failure;
  std::vector<std::thread> senders;
  for (int s = 0; s < options.senders; ++s)
    senders.emplace_back([&] {
      for (int i = next++; i < report.events; i = next++) {
        try {
          deliveries += deliver(rig, webhooks[static_cast<std::size_t>(i)], i);
          ++acknowledged;
        } catch (const std::exception& e) {
          std::lock_guard lock(failure_mutex);
          failure = e.what();
        }
      }
    });
  for (int at : kill_at) {
    poll_until(
        "the webhooks to be acknowledged up to the next kill",
        [&] { return acknowledged >= at || next >= report.events + options.senders; }, 60s, 2ms);
    std::uniform_int_distribution<int> jitter(0, 30);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
    const int victim = rig.holder();
    rig.kill_serve(victim);
    ++report.kills;
    say("kill " + std::to_string(report.kills) + " (instance " + std::to_string(victim) +
        ") after " + std::to_string(acknowledged.load()) + " acknowledged");
    // Restarted at once, an instance takes its own leases back; with others running, it comes
    // back only once one of them has taken the workspace over.
    if (rig.instances() > 1) {
      const auto killed_at = std::chrono::steady_clock::now();
      const int survivor = rig.holder();
      report.takeovers_ms.push_back(
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - killed_at)
                               .count()));
      say("instance " + std::to_string(survivor) + " took the workspace over in " +
          std::to_string(report.takeovers_ms.back()) + " ms");
    }
    rig.start_serve(victim);
  }
  for (auto& t : senders) t.join();
  if (!failure.empty()) throw std::runtime_error(failure);
  report.deliveries = deliveries;
  say(std::to_string(report.events) + " webhooks acknowledged after " +
      std::to_string(report.deliveries) + " deliveries");

  // Settled: every event counted by a flow, every matched commenter's DM sent or told apart.
  json::value analytics;
  auto settled = [&] {
    analytics = rig.call("GET", rig.api("/analytics"), ServeRig::kOwnerKey).body;
    if (!analytics.is_object()) return false;
    const auto triggered = counter(analytics, "price-dm", "triggered") +
                           counter(analytics, "tag-commenters", "triggered");
    const auto dms = counter(analytics, "price-dm", "dms_sent") +
                     counter(analytics, "price-dm", "outcome_unknown") +
                     counter(analytics, "price-dm", "failed");
    return triggered >= report.events && dms >= report.dms_expected;
  };
  try {
    poll_until("every event processed and every DM settled", settled, kSettleLimit, 100ms);
    report.settled = true;
  } catch (const WaitTimedOut&) {
    // Reported below as lost, or as unsettled: what was counted by then is what the report says.
  }
  for (int i = 0; i < rig.instances(); ++i)
    if (rig.stop_serve(i) != 0) throw std::runtime_error("sparks serve did not stop cleanly");

  report.processed = static_cast<int>(counter(analytics, "price-dm", "triggered") +
                                      counter(analytics, "tag-commenters", "triggered"));
  report.lost = std::max(0, report.events - report.processed);
  report.duplicated = std::max(0, report.processed - report.events);
  report.dms_outcome_unknown = static_cast<int>(counter(analytics, "price-dm", "outcome_unknown"));

  // What the platform shows: DMs per fan.
  const auto sent =
      rig.call("GET", rig.sandbox_url() + "/sandbox/v1/sent-messages?account=creator");
  std::map<std::string, int> per_fan;
  for (const auto& m : sent.body.at("messages").as_array())
    ++per_fan[std::string(m.at("user").as_string())];
  for (const auto& [user, count] : per_fan) {
    report.dms_received += 1;
    report.duplicated += count - 1;
  }
  report.lost +=
      std::max(0, report.dms_expected - report.dms_received - report.dms_outcome_unknown);
  say(json::serialize(report.to_json()));
  return report;
}

json::object DisconnectKillReport::to_json() const {
  return {{"rounds", rounds}, {"disconnected", disconnected}, {"torn", torn}};
}

DisconnectKillReport run_disconnect_kills(const std::string& sparks_binary, int flows, int rounds,
                                          std::uint32_t seed, std::ostream* progress) {
  DisconnectKillReport report;
  std::mt19937 random(seed);
  ServeRig rig(sparks_binary, "sparks-disconnect-kills");
  for (int f = 0; f < flows; ++f) {
    const std::string id = "dm-" + std::to_string(f);
    const auto yaml = "flow:\n  id: " + id + "\n  name: " + id +
                      "\n  trigger: { on: tiktok.comment, keywords: [k" + std::to_string(f) +
                      "] }\n  actions:\n    - tiktok.send_dm: { text: hi }\n";
    if (rig.publish_flow(id, yaml).status != 200)
      throw std::runtime_error("publishing " + id + " failed");
  }
  for (int r = 0; r < rounds; ++r) {
    const auto connected = rig.connect("tiktok", "creator", kEveryTikTokScope);
    if (connected.status != 200)
      throw std::runtime_error("connecting TikTok failed: " + json::serialize(connected.body));
    // The disconnect goes out on its own thread; the kill falls somewhere in its handling.
    std::thread disconnect([&] {
      http_call("POST", rig.api("/integrations/tiktok/disconnect"), ServeRig::kOwnerKey, "", "",
                2s);
    });
    std::uniform_int_distribution<int> delay_us(0, 4000);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    rig.kill_serve();
    disconnect.join();
    rig.start_serve();

    std::string state;
    const auto cards = rig.call("GET", rig.api("/integrations"), ServeRig::kOwnerKey);
    for (const auto& card : cards.body.at("integrations").as_array())
      if (card.at("platform").as_string() == "tiktok") state = card.at("state").as_string();
    int live = 0, paused_by_tiktok = 0;
    const auto listed = rig.call("GET", rig.api("/flows"), ServeRig::kOwnerKey);
    for (const auto& flow : listed.body.at("flows").as_array()) {
      live += flow.at("status").as_string() == "live" ? 1 : 0;
      paused_by_tiktok +=
          flow.at("paused_by").is_string() && flow.at("paused_by").as_string() == "tiktok" ? 1 : 0;
    }
    ++report.rounds;
    const bool down = state == "disconnected";
    report.disconnected += down ? 1 : 0;
    if ((down && paused_by_tiktok != flows) || (!down && live != flows)) ++report.torn;
    if (progress)
      *progress << "disconnect kill " << r + 1 << ": " << state << ", " << live << " live, "
                << paused_by_tiktok << " paused by tiktok" << std::endl;
    if (down) continue;
    // Still connected (the kill came first): disconnect properly before the next round.
    if (rig.call("POST", rig.api("/integrations/tiktok/disconnect"), ServeRig::kOwnerKey).status !=
        200)
      throw std::runtime_error("disconnecting TikTok failed");
  }
  return report;
}

}  // namespace sparks::testing

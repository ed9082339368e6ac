// Failover on PostgreSQL (docs/scaling.md): two real `sparks serve` instances share a database,
// the sandbox plays TikTok, one workspace is connected with a live DM flow. Each round kills the
// instance that runs the workspace (SIGKILL) and measures
//   takeover_ms  until the other instance runs it (its /metrics say so), and
//   first_dm_ms  until a comment delivered to it right after the kill has produced its DM;
// then starts the killed instance again. Prints JSON. Usage: sparks_bench_failover [ROUNDS]
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "support/postgres_server.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using sparks::testing::kPriceDmFlow;
using sparks::testing::poll_until;
using sparks::testing::ServeRig;

std::size_t dms_sent(const ServeRig& rig) {
  const auto sent =
      rig.call("GET", rig.sandbox_url() + "/sandbox/v1/sent-messages?account=creator");
  return sent.body.at("messages").as_array().size();
}

std::int64_t since_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

json::object summary(std::vector<std::int64_t> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return {};
  return {{"min", values.front()},
          {"p50", values[values.size() / 2]},
          {"max", values.back()},
          {"all", json::value_from(values)}};
}

}  // namespace

int main(int argc, char** argv) {
  sparks::testing::ChildProcess::stop_children_on_signal();
  const int rounds = argc > 1 ? std::stoi(argv[1]) : 5;
  // fsync on: a commit costs here what it costs in production.
  sparks::testing::PostgresServer postgres({.fsync = true});
  ServeRig rig(SPARKS_BINARY, "sparks-bench-failover",
               {.database = postgres.database(), .instances = 2, .public_instance = 0});
  if (rig.connect("tiktok", "creator", sparks::testing::kEveryTikTokScope).status != 200 ||
      rig.publish_flow("price-dm", kPriceDmFlow).status != 200) {
    std::cerr << "sparks_bench_failover: could not connect and publish\n";
    return 1;
  }
  std::vector<std::int64_t> takeover, first_dm;
  for (int round = 0; round < rounds; ++round) {
    const int victim = rig.holder();
    const int survivor = 1 - victim;
    // The fan's conversation is open; their comment reaches the survivor as soon as the victim
    // is gone (TikTok delivers to whichever instance its load balancer picks).
    const auto fan = "fan-" + std::to_string(round);
    rig.control("/sandbox/v1/messages", {{"account", "creator"}, {"user", fan}, {"text", "hi"}});
    const auto before = dms_sent(rig);
    const auto comment = sparks::testing::tiktok_comment_webhook(8'000'000 + round, fan, "price?");
    const auto killed = std::chrono::steady_clock::now();
    rig.kill_serve(victim);
    poll_until(
        "the survivor to acknowledge the comment",
        [&] {
          return sparks::testing::http_call("POST", rig.serve_url(survivor) + "/webhooks/tiktok",
                                            "", comment, "application/json", 2s,
                                            sparks::testing::tiktok_signed_now(comment))
                     .status == 200;
        },
        30s, 5ms);
    poll_until(
        "the survivor to run the workspace", [&] { return rig.runs_workspace(survivor); }, 30s,
        5ms);
    takeover.push_back(since_ms(killed));
    poll_until(
        "the comment's DM", [&] { return dms_sent(rig) > before; }, 30s, 5ms);
    first_dm.push_back(since_ms(killed));
    std::cerr << "round " << round + 1 << ": takeover " << takeover.back() << " ms, first DM "
              << first_dm.back() << " ms\n";
    rig.start_serve(victim);
  }
  std::cout << json::serialize(json::object{{"benchmark", "failover"},
                                            {"instances", 2},
                                            {"rounds", rounds},
                                            {"lease_ttl_ms", 5000},
                                            {"lease_renewal_ms", 1000},
                                            {"takeover_ms", summary(takeover)},
                                            {"first_dm_ms", summary(first_dm)}})
            << '\n';
}

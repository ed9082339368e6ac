// `make soak SOAK_SECONDS=N`: the kill loop (tests/soak/kill_loop.hpp), round after round with a
// fresh sandbox and store, until N seconds have passed; prints one JSON document with each round
// and the totals, and exits 1 when any round lost or duplicated anything.
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "soak/kill_loop.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help") {
    std::cerr << "usage: sparks_soak SECONDS [SEED [SPARKS]]\n"
                 "Runs kill-loop rounds (real sparks serve + sparks sandbox, SIGKILLs under load)\n"
                 "until SECONDS have passed; prints JSON: events, kills, lost, duplicated.\n"
                 "SPARKS: the sparks binary to try (default: this build's).\n";
    return argc < 2 ? 2 : 0;
  }
  const std::string sparks = argc > 3 ? argv[3] : SPARKS_BINARY;
  const auto seconds = std::chrono::seconds(std::stoll(argv[1]));
  std::uint32_t seed = argc > 2 ? static_cast<std::uint32_t>(std::stoul(argv[2])) : 1;
  const auto until = std::chrono::steady_clock::now() + seconds;
  boost::json::array rounds;
  boost::json::object totals{{"events", 0},       {"deliveries", 0},         {"kills", 0},
                             {"lost", 0},         {"duplicated", 0},         {"dms_expected", 0},
                             {"dms_received", 0}, {"dms_outcome_unknown", 0}};
  const auto started = std::chrono::steady_clock::now();
  do {
    sparks::testing::KillLoopOptions options;
    options.fans = 30;
    options.other_comments = 570;
    options.senders = 16;
    options.kills = 8;
    options.seed = seed++;
    options.progress = &std::cerr;
    const auto report = sparks::testing::run_kill_loop(sparks, options);
    auto round = report.to_json();
    for (auto& [name, value] : totals) value = value.as_int64() + round.at(name).as_int64();
    rounds.push_back(std::move(round));
  } while (std::chrono::steady_clock::now() < until);
  totals["rounds"] = static_cast<std::int64_t>(rounds.size());
  totals["seconds"] =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  std::cout << boost::json::serialize(boost::json::object{{"totals", totals}, {"rounds", rounds}})
            << std::endl;
  return totals.at("lost").as_int64() == 0 && totals.at("duplicated").as_int64() == 0 ? 0 : 1;
}

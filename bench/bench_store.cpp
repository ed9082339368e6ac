// sparks_bench_store: webhook ingestion through the store, on SQLite and on PostgreSQL. Each event
// is the batch the engine's first writer trip stores for a comment (the event, its contact, its
// commenter), submitted to a store::Writer with a window of events in flight, as concurrent
// webhook requests would; a batch counts once its commit has returned. Prints JSON: events/s per
// backend, the durability each run had, and the ratio.
//
//   sparks_bench_store [--events N] [--in-flight N]
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>

#include <boost/json.hpp>

#include "store/connection.hpp"
#include "store/writer.hpp"
#include "support/postgres_server.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using sparks::store::Transaction;

struct Settings {
  int events = 20'000;
  int in_flight = 64;
};

// The first writer trip of one comment event.
void store_comment(Transaction& tx, int i) {
  const std::string user = "fan-" + std::to_string(i % 500);
  sparks::store::EventRow event{0,
                                "ws-bench",
                                "tiktok",
                                "webhook",
                                "comment:" + std::to_string(i),
                                "tiktok.comment",
                                R"({"text":"price?","video_id":"v1"})",
                                1'700'000'000'000 + i};
  if (!tx.append_event(event)) return;
  tx.upsert_contact("ws-bench", user, user, event.received_at_ms);
  tx.note_commenter("ws-bench", "v1", user, event.id);
}

// Events per second through a Writer on `location`, `settings.in_flight` at a time.
json::object ingest(const std::string& location, const sparks::store::OpenOptions& options,
                    const Settings& settings) {
  sparks::store::Writer writer{sparks::store::open(location, options)};
  std::mutex mutex;
  std::condition_variable finished;
  int in_flight = 0;
  int failed = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < settings.events; ++i) {
    {
      std::unique_lock lock(mutex);
      finished.wait(lock, [&] { return in_flight < settings.in_flight; });
      ++in_flight;
    }
    writer.submit([i](Transaction& tx) { store_comment(tx, i); },
                  [&](std::exception_ptr error) {
                    std::lock_guard lock(mutex);
                    --in_flight;
                    if (error) ++failed;
                    finished.notify_one();
                  });
  }
  writer.flush();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto counters = writer.counters();
  return {{"events", settings.events},
          {"failed", failed},
          {"seconds", seconds},
          {"events_per_second", settings.events / seconds},
          {"transactions", counters.transactions}};
}

int number_after(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::cerr << "sparks_bench_store: " << argv[i] << " needs a number\n";
    std::exit(2);
  }
  return std::atoi(argv[++i]);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--events") {
      settings.events = number_after(i, argc, argv);
    } else if (arg == "--in-flight") {
      settings.in_flight = number_after(i, argc, argv);
    } else {
      std::cerr << "usage: sparks_bench_store [--events N] [--in-flight N]\n";
      return 2;
    }
  }
  const fs::path folder =
      fs::temp_directory_path() / ("sparks-bench-store-" + std::to_string(getpid()));
  fs::remove_all(folder);

  sparks::store::OpenOptions power_loss;
  power_loss.durability = sparks::store::Durability::survives_power_loss;
  json::object sqlite = ingest((folder / "full.db").string(), power_loss, settings);
  sqlite["durability"] = "SQLite WAL, synchronous=FULL: every commit waits for the disk";
  json::object sqlite_default = ingest((folder / "normal.db").string(), {}, settings);
  sqlite_default["durability"] =
      "SQLite WAL, synchronous=NORMAL (the engine's default): survives a process crash; the last "
      "commits may be lost on power loss";

  // fsync on: a commit waits for the disk, as in production.
  sparks::testing::PostgresServer server({.fsync = true});
  json::object postgresql = ingest(server.database(), {}, settings);
  postgresql["durability"] =
      "PostgreSQL 15 on 127.0.0.1, fsync=on, synchronous_commit=on: every commit waits for the "
      "disk";
  fs::remove_all(folder);

  const double ratio =
      postgresql.at("events_per_second").as_double() / sqlite.at("events_per_second").as_double();
  std::cout << json::serialize(json::object{{"benchmark", "store_ingestion"},
                                            {"in_flight", settings.in_flight},
                                            {"sqlite_full", std::move(sqlite)},
                                            {"sqlite_default", std::move(sqlite_default)},
                                            {"postgresql", std::move(postgresql)},
                                            {"postgresql_to_sqlite_full", ratio}})
            << std::endl;
  return 0;
}

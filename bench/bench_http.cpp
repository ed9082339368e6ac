// Webhook ingestion over real HTTP (docs/performance.md), as a platform delivers: wrk (Debian's,
// one thread) replays distinct, signed TikTok `comment.update` webhooks, read from a file written
// just before each round (bench/http/replay.lua), against
//   sparks  `sparks serve` with one connected workspace and a live keyword flow the comments do
//           not match: each request is verified, routed, stored durably before its 200, and its
//           flows run;
//   nginx   Debian's nginx answering 200 to the same requests, doing nothing else: the ceiling of
//           this machine with this driver.
// Rounds alternate between the two, so that both see the same machine; then a round at 512
// connections, a long round that samples the memory of `sparks serve`, and a burst of comments
// that all match a DM flow (their DMs go through the outbox to the sandbox, paced by TikTok's
// limit). Prints one JSON document on stdout; progress on stderr.
//
// Usage: sparks_bench_http [options] (--help lists them; make bench-http BENCH_HTTP_ARGS="…")
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "allocations/allocation_counters.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/sample_flows.hpp"
#include "support/serve_rig.hpp"
#include "support/tiktok_scopes.hpp"
#include "support/wait.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using sparks::testing::ChildProcess;
using sparks::testing::ServeRig;

// A live flow the bench's comments do not match: each comment is still matched against it.
const std::string kUnmatchedFlow = R"(flow:
  id: refund-dm
  name: "Refund question → DM"
  trigger:
    on: tiktok.comment
    keywords: [refund]
  actions:
    - tiktok.send_dm: { text: "Refunds: https://shop.example/refunds" }
)";

struct Settings {
  int rounds = 3;
  int seconds = 10;
  int memory_seconds = 60;
  int burst = 200;
  int connections = 32;
  int many_connections = 512;
  int allocations = 20'000;  // webhooks of the allocation round
  std::string perf_file;     // where `perf record` writes the profile of the first sparks round
  int serve_threads = 0;     // --threads of `sparks serve`; 0: its default
  // The `sparks` binary to serve with (its plugins beside it): another build, to compare.
  std::string sparks = SPARKS_BINARY;
};

Settings parse_arguments(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << R"(Usage: sparks_bench_http [options]
Webhook ingestion over HTTP: wrk against `sparks serve` and nginx, alternately; JSON on stdout.
  --rounds N             rounds at --connections (3)
  --seconds S            length of a round (10)
  --connections N        wrk's connections in the rounds (32)
  --many-connections N   one more round at N connections (512; 0: none)
  --memory-seconds S     a round of S seconds sampling the server's memory (60; 0: none)
  --burst N              N fans' comments that all match a DM flow (200; 0: none)
  --allocations N        N webhooks to a server that counts its heap allocations (20000; 0: none)
  --serve-threads N      --threads of sparks serve (its default)
  --sparks PATH          the sparks binary to serve with, its plugins beside it (this build's)
  --perf FILE            perf record the server during the first round into FILE
)";
      std::exit(0);
    }
    if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
    if (flag == "--perf" || flag == "--sparks") {
      (flag == "--perf" ? settings.perf_file : settings.sparks) = argv[++i];
      continue;
    }
    const int value = std::stoi(argv[++i]);
    if (value < 0) throw std::invalid_argument(flag + " must not be negative");
    if (flag == "--rounds")
      settings.rounds = value;
    else if (flag == "--seconds")
      settings.seconds = std::max(1, value);
    else if (flag == "--memory-seconds")
      settings.memory_seconds = value;
    else if (flag == "--burst")
      settings.burst = value;
    else if (flag == "--serve-threads")
      settings.serve_threads = value;
    else if (flag == "--connections")
      settings.connections = std::max(1, value);
    else if (flag == "--many-connections")
      settings.many_connections = value;
    else if (flag == "--allocations")
      settings.allocations = value;
    else
      throw std::invalid_argument("unknown option " + flag + " (see --help)");
  }
  return settings;
}

// The requests of a round, in the file replay.lua reads.
struct RequestFile {
  fs::path path;
  std::size_t count = 0;
};

// `count` comments, ids from `first_id`, each signed now; by `users` distinct people, or, with
// `burst_users`, by fan-0 … fan-(count-1), each asking for the price.
RequestFile write_comments(const fs::path& path, std::int64_t first_id, std::size_t count,
                           int users, bool burst_users) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (std::size_t i = 0; i < count; ++i) {
    const auto id = first_id + static_cast<std::int64_t>(i);
    const auto user =
        burst_users ? "fan-" + std::to_string(i) : "viewer-" + std::to_string(id % users);
    const auto body = sparks::testing::tiktok_comment_webhook(
        id, user, burst_users ? "price?" : "love this, where is it from?");
    const auto signature = sparks::testing::tiktok_signed_now(body).front();
    std::string request =
        "POST /webhooks/tiktok HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n" +
        signature.first + ": " + signature.second +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    out << request.size() << '\n' << request;
  }
  if (!out.flush()) throw std::runtime_error("could not write " + path.string());
  return {path, count};
}

// One wrk run: what its done() printed.
json::object run_wrk(const std::string& url, const RequestFile& file, int connections, int seconds,
                     std::size_t limit = 0) {
  ChildProcess wrk(
      "/usr/bin/wrk",
      {"-t1", "-c" + std::to_string(connections), "-d" + std::to_string(seconds) + "s", "--timeout",
       "10s", "-s", SPARKS_WRK_SCRIPT, url, "--", file.path.string(), "0", std::to_string(limit)});
  const auto line = wrk.wait_for_line("wrk-json: ", std::chrono::seconds(seconds + 30));
  if (!line) throw std::runtime_error("wrk printed no result for " + url);
  wrk.stop();
  return json::parse(line->substr(line->find('{'))).as_object();
}

// A wrk result as the report gives it: latencies in microseconds.
json::object figures(const json::object& wrk) {
  const auto& latency = wrk.at("latency_us").as_object();
  const auto& errors = wrk.at("errors").as_object();
  std::int64_t error_count = 0;
  for (const auto& [kind, n] : errors) error_count += n.to_number<std::int64_t>();
  const double seconds = static_cast<double>(wrk.at("duration_us").to_number<std::int64_t>()) / 1e6;
  const auto answered = wrk.at("answered").to_number<std::int64_t>();
  return {{"requests_per_s", std::llround(static_cast<double>(answered) / seconds)},
          {"p50_us", latency.at("p50")},
          {"p99_us", latency.at("p99")},
          {"max_us", latency.at("max")},
          {"answered", answered},
          {"sent", wrk.at("sent")},
          {"errors", error_count},
          {"error_kinds", errors},
          {"repeated_requests", wrk.at("wraps").to_number<std::int64_t>() > 0}};
}

// A counter or gauge of `sparks serve`'s /metrics: the value of the line that starts with `name`.
double metric(const ServeRig& rig, const std::string& name) {
  const auto answer = rig.call("GET", rig.serve_url() + "/metrics");
  if (answer.status != 200 || !answer.body.is_string()) return -1;
  const std::string_view text = answer.body.as_string();
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    const auto line = text.substr(at, end - at);
    if (line.starts_with(name + " ")) return std::stod(std::string(line.substr(name.size() + 1)));
    at = end + 1;
  }
  return 0;
}

double events_stored(const ServeRig& rig) {
  return metric(rig, "sparks_events_stored_total");
}

// Every request that was sent is stored once its commit is done; waits for the count to reach
// `expected` (a request still in flight when wrk stopped is committed a moment later), then
// returns what was stored.
std::int64_t await_stored(const ServeRig& rig, double before, std::int64_t expected) {
  double stored = 0;
  try {
    sparks::testing::poll_until(
        "the events sent to be stored",
        [&] {
          stored = events_stored(rig) - before;
          return stored >= static_cast<double>(expected);
        },
        20s, 20ms);
  } catch (const std::exception&) {
    // Reported as lost below.
  }
  return static_cast<std::int64_t>(stored);
}

// CPU time a process has used so far (user + system, /proc/PID/stat), in seconds.
double cpu_seconds(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // After the command name (in parentheses, possibly with spaces): fields 3 onwards.
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Resident memory of a process, in MiB (VmRSS of /proc/PID/status).
double rss_mib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:")) return std::stod(line.substr(6)) / 1024;
  return 0;
}

// nginx answering 200 to every request on 127.0.0.1, with as many workers as `sparks serve` has
// threads, and nothing logged per request.
class Nginx {
 public:
  explicit Nginx(const fs::path& folder) : folder_(folder) {
    fs::create_directories(folder_);
    port_ = sparks::testing::free_loopback_port();
    std::ofstream(folder_ / "nginx.conf")
        << "daemon off;\nworker_processes 2;\npid " << (folder_ / "nginx.pid").string() << ";\n"
        << "error_log " << (folder_ / "error.log").string() << " warn;\n"
        << "events { worker_connections 4096; }\n"
        << "http {\n  access_log off;\n"
        << "  client_body_temp_path " << (folder_ / "body").string() << ";\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << " backlog=4096;\n"
        << "    location / { return 200 '{}'; }\n  }\n}\n";
    process_ = std::make_unique<ChildProcess>(
        "/usr/sbin/nginx",
        std::vector<std::string>{"-p", folder_.string(), "-e", (folder_ / "error.log").string(),
                                 "-c", (folder_ / "nginx.conf").string()});
    sparks::testing::poll_until(
        "nginx to answer",
        [&] {
          return sparks::testing::http_call("GET", url() + "/", "", "", "", 1s).status == 200;
        },
        10s, 20ms);
  }
  // SIGTERM, which the master passes on to its workers (SIGKILL would leave them running).
  ~Nginx() { process_->stop(); }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/webhooks/tiktok";
  }

 private:
  fs::path folder_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// One round against both, on the same requests: nginx first on odd rounds, sparks first on even
// ones, so that neither always runs on a machine the other just warmed.
json::object paired_round(int round, ServeRig& rig, const Nginx& nginx, const RequestFile& file,
                          int connections, int seconds, const std::string& perf_file = "") {
  const std::string sparks_url = rig.serve_url() + "/webhooks/tiktok";
  json::object nginx_figures, sparks_figures;
  auto run_sparks = [&] {
    const double before = events_stored(rig);
    const double commits_before = metric(rig, "sparks_store_transactions_total");
    const double batches_before = metric(rig, "sparks_store_batches_total");
    std::optional<ChildProcess> perf;
    if (!perf_file.empty())
      perf.emplace("/usr/bin/perf", std::vector<std::string>{"record", "-F", "499", "--call-graph",
                                                             "dwarf,16384", "-o", perf_file, "-p",
                                                             std::to_string(rig.serve_pid())});
    const double cpu_before = cpu_seconds(rig.serve_pid());
    sparks_figures = figures(run_wrk(sparks_url, file, connections, seconds));
    const double cpu = cpu_seconds(rig.serve_pid()) - cpu_before;
    if (perf) perf->stop(60s);
    // What one request costs the server in CPU: the figure the hot path's work moves.
    const auto answered = sparks_figures.at("answered").to_number<std::int64_t>();
    sparks_figures["cpu_us_per_request"] =
        std::llround(cpu * 1e6 / static_cast<double>(std::max<std::int64_t>(1, answered)));
    const auto sent = sparks_figures.at("sent").to_number<std::int64_t>();
    const auto stored = await_stored(rig, before, sent);
    sparks_figures["stored"] = stored;
    // The writer's group commits: how many, and how many batches (a request's trips) each carried.
    const double commits = metric(rig, "sparks_store_transactions_total") - commits_before;
    const double batches = metric(rig, "sparks_store_batches_total") - batches_before;
    sparks_figures["commits"] = std::llround(commits);
    sparks_figures["batches_per_commit"] = std::round(batches / std::max(1.0, commits) * 10) / 10;
    // Acknowledged (200) but not stored: the one count that must be 0. A file that wrapped sent
    // some requests twice, and a repeat is the same event: at most `file.count` can be stored.
    const auto acknowledged =
        sparks_figures.at("answered").to_number<std::int64_t>() -
        sparks_figures.at("error_kinds").at("status").to_number<std::int64_t>();
    sparks_figures["acknowledged"] = acknowledged;
    const auto distinct = std::min(acknowledged, static_cast<std::int64_t>(file.count));
    sparks_figures["lost"] = std::max<std::int64_t>(0, distinct - stored);
  };
  auto run_nginx = [&] {
    nginx_figures = figures(run_wrk(nginx.url(), file, connections, seconds));
  };
  if (round % 2 == 1) {
    run_nginx();
    run_sparks();
  } else {
    run_sparks();
    run_nginx();
  }
  const double ratio = sparks_figures.at("requests_per_s").to_number<double>() /
                       nginx_figures.at("requests_per_s").to_number<double>();
  auto line = [](const json::object& f) {
    char text[96];
    std::snprintf(text, sizeof text, "%6lld req/s, p50 %.2f ms, p99 %.2f ms",
                  static_cast<long long>(f.at("requests_per_s").to_number<std::int64_t>()),
                  static_cast<double>(f.at("p50_us").to_number<std::int64_t>()) / 1000,
                  static_cast<double>(f.at("p99_us").to_number<std::int64_t>()) / 1000);
    return std::string(text);
  };
  std::cerr << "round " << round << " (" << connections << " connections, " << seconds
            << " s): sparks " << line(sparks_figures) << ", "
            << sparks_figures.at("cpu_us_per_request") << " µs CPU each, "
            << sparks_figures.at("commits") << " commits of "
            << sparks_figures.at("batches_per_commit").to_number<double>() << " batches; nginx "
            << line(nginx_figures) << "; ratio " << std::round(ratio * 1000) / 1000 << "\n";
  return {{"round", round},         {"connections", connections},
          {"seconds", seconds},     {"sparks", sparks_figures},
          {"nginx", nginx_figures}, {"ratio_to_ceiling", std::round(ratio * 1000) / 1000}};
}

// How many heap allocations a webhook costs the server, and how many bytes they ask for: `sparks
// serve` is restarted with bench/allocations/count_allocations.cpp preloaded, warmed up, sent
// `count` webhooks, and restarted as it was. Not timed: counting slows every allocation a little.
json::object allocation_round(ServeRig& rig, const fs::path& folder, int count, int connections,
                              const std::function<RequestFile(std::size_t)>& comments) {
  using sparks::bench::AllocationCounters;
  const fs::path counters_file = folder / "allocation-counters";
  const int fd = ::open(counters_file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::ftruncate(fd, sizeof(AllocationCounters)) != 0)
    throw std::runtime_error("could not make " + counters_file.string());
  void* mapped =
      ::mmap(nullptr, sizeof(AllocationCounters), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED) throw std::runtime_error("could not map " + counters_file.string());
  const auto* counters = static_cast<const AllocationCounters*>(mapped);

  std::cerr << "allocations: restarting sparks serve with " << SPARKS_COUNT_ALLOCATIONS << "\n";
  rig.stop_serve();
  ::setenv("LD_PRELOAD", SPARKS_COUNT_ALLOCATIONS, 1);
  ::setenv("SPARKS_ALLOCATION_COUNTERS", counters_file.c_str(), 1);
  rig.start_serve();
  ::unsetenv("LD_PRELOAD");
  ::unsetenv("SPARKS_ALLOCATION_COUNTERS");

  const std::string url = rig.serve_url() + "/webhooks/tiktok";
  const auto warm_up = static_cast<std::size_t>(std::max(1'000, count / 10));
  run_wrk(url, comments(warm_up), connections, 60, warm_up);  // not counted: caches filling
  const auto file = comments(static_cast<std::size_t>(count));
  const double stored_before = events_stored(rig);
  const auto allocations_before = counters->allocations.load();
  const auto bytes_before = counters->bytes.load();
  auto result = figures(run_wrk(url, file, connections, 60, file.count));
  // Read before the store is asked how much it holds: the /metrics answers allocate too.
  const auto allocations = counters->allocations.load() - allocations_before;
  const auto bytes = counters->bytes.load() - bytes_before;
  const auto answered = result.at("answered").to_number<std::int64_t>();
  result["stored"] = await_stored(rig, stored_before, answered);
  const auto per_webhook = [&](std::uint64_t total) {
    return std::round(static_cast<double>(total) /
                      static_cast<double>(std::max<std::int64_t>(1, answered)) * 10) /
           10;
  };
  result["allocations_per_webhook"] = per_webhook(allocations);
  result["bytes_per_webhook"] = per_webhook(bytes);
  result.erase("requests_per_s");  // slowed by the counting: not a figure of the server
  ::munmap(mapped, sizeof(AllocationCounters));

  rig.stop_serve();
  rig.start_serve();
  std::cerr << "allocations: " << result.at("allocations_per_webhook").to_number<double>()
            << " per webhook, " << result.at("bytes_per_webhook").to_number<double>()
            << " bytes asked for\n";
  return result;
}

// How many requests a round of `seconds` needs to stay distinct at `rate` per second, with room.
std::size_t requests_for(int seconds, double rate) {
  return static_cast<std::size_t>(seconds * std::max(rate, 40'000.0) * 1.5) + 10'000;
}

json::object spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return {};
  return {{"min", values.front()}, {"median", values[values.size() / 2]}, {"max", values.back()}};
}

}  // namespace

int main(int argc, char** argv) try {
  ChildProcess::stop_children_on_signal();
  const Settings settings = parse_arguments(argc, argv);
  // The request files live in memory when the machine has /dev/shm: a file of a few hundred MB
  // still being written back to disk makes the store's fsyncs wait for it (ext4 commits other
  // files' data with a journal commit), which would be measured as the server's stall.
  const fs::path base =
      fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  const fs::path folder = base / ("sparks-bench-http-" + std::to_string(getpid()));
  fs::create_directories(folder);

  std::cerr << "starting sparks sandbox, sparks serve and nginx\n";
  sparks::testing::RigOptions rig_options;
  if (settings.serve_threads > 0)
    rig_options.serve_arguments = {"--threads", std::to_string(settings.serve_threads)};
  ServeRig rig(settings.sparks, "sparks-bench-http", rig_options);
  if (rig.connect("tiktok", "creator", sparks::testing::kEveryTikTokScope).status != 200 ||
      rig.publish_flow("refund-dm", kUnmatchedFlow).status != 200)
    throw std::runtime_error("could not connect TikTok and publish the flow");
  Nginx nginx(folder / "nginx");

  std::int64_t next_id = 10'000'000;
  auto comments = [&](std::size_t count) {
    std::cerr << "signing " << count << " webhooks\n";
    auto file = write_comments(folder / "requests", next_id, count, 10'000, false);
    next_id += static_cast<std::int64_t>(count);
    return file;
  };

  // A short round first, not reported: the first requests fill caches, the store's pages and the
  // server's pools; every reported round then sees the server as it runs for hours.
  std::cerr << "warming up\n";
  // Its rate sizes the first round's file, so that no request is sent twice.
  double best_rate = figures(run_wrk(rig.serve_url() + "/webhooks/tiktok",
                                     comments(requests_for(3, 0)), settings.connections, 3))
                         .at("requests_per_s")
                         .to_number<double>();

  json::array rounds;
  std::vector<double> ratios, p99s;
  for (int round = 1; round <= settings.rounds; ++round) {
    const auto file = comments(requests_for(settings.seconds, best_rate));
    auto result = paired_round(round, rig, nginx, file, settings.connections, settings.seconds,
                               round == 1 ? settings.perf_file : "");
    const auto& sparks_figures = result.at("sparks").as_object();
    best_rate = std::max(best_rate, sparks_figures.at("requests_per_s").to_number<double>());
    ratios.push_back(result.at("ratio_to_ceiling").to_number<double>());
    p99s.push_back(static_cast<double>(sparks_figures.at("p99_us").to_number<std::int64_t>()) /
                   1000);
    rounds.push_back(std::move(result));
  }

  json::object report{{"benchmark", "http_ingest"},
                      {"driver", "wrk, 1 thread, bench/http/replay.lua"},
                      {"hardware_threads", std::thread::hardware_concurrency()},
                      {"rounds", std::move(rounds)},
                      {"ratio_to_ceiling", spread(ratios)},
                      {"sparks_p99_ms", spread(p99s)}};

  if (settings.many_connections > 0) {
    const auto file = comments(requests_for(settings.seconds, best_rate));
    report["many_connections"] = paired_round(settings.rounds + 1, rig, nginx, file,
                                              settings.many_connections, settings.seconds);
  }

  if (settings.memory_seconds > 0) {
    const auto file = comments(requests_for(settings.memory_seconds, best_rate));
    std::cerr << "memory: " << settings.memory_seconds << " s against sparks serve\n";
    std::vector<double> samples;
    std::atomic<bool> running = true;
    std::thread sampler([&] {
      for (int i = 0; running && i < settings.memory_seconds + 60; ++i) {
        samples.push_back(rss_mib(rig.serve_pid()));
        std::this_thread::sleep_for(1s);
      }
    });
    const double before = events_stored(rig);
    auto result = figures(run_wrk(rig.serve_url() + "/webhooks/tiktok", file, settings.connections,
                                  settings.memory_seconds));
    running = false;
    sampler.join();
    result["stored"] = await_stored(rig, before, result.at("sent").to_number<std::int64_t>());
    // Flat: what it holds after the first tenth of the run (caches filled) against the end.
    const auto settled = samples.at(std::min(samples.size() - 1, samples.size() / 10));
    result["rss_mib"] = {{"start", samples.front()},
                         {"settled", settled},
                         {"end", samples.back()},
                         {"max", *std::max_element(samples.begin(), samples.end())},
                         {"growth_after_settled", samples.back() - settled},
                         {"every_second", json::value_from(samples)}};
    std::cerr << "memory: " << result.at("requests_per_s") << " req/s; RSS " << settled << " → "
              << samples.back() << " MiB\n";
    report["memory"] = std::move(result);
  }

  if (settings.allocations > 0 && std::string_view(SPARKS_COUNT_ALLOCATIONS).empty()) {
    std::cerr << "allocations: not counted, this build has no counter (it links no jemalloc)\n";
  } else if (settings.allocations > 0) {
    report["allocations"] =
        allocation_round(rig, folder, settings.allocations, settings.connections, comments);
  }

  if (settings.burst > 0) {
    // The fans wrote to the account first (their conversations are open, as TikTok requires for
    // a DM), then all comment "price?" at once.
    if (rig.publish_flow("price-dm", sparks::testing::kPriceDmFlow).status != 200)
      throw std::runtime_error("could not publish the DM flow");
    std::cerr << "burst: " << settings.burst << " fans write to the account\n";
    const double before_messages = events_stored(rig);
    for (int i = 0; i < settings.burst; ++i)
      rig.control("/sandbox/v1/messages",
                  {{"account", "creator"}, {"user", "fan-" + std::to_string(i)}, {"text", "hi"}});
    await_stored(rig, before_messages, settings.burst);
    const auto file = write_comments(folder / "burst", next_id,
                                     static_cast<std::size_t>(settings.burst), 0, true);
    const double before = events_stored(rig);
    const auto burst = static_cast<std::size_t>(settings.burst);
    const auto first_window = std::min<std::size_t>(40, burst);  // TikTok's DMs a minute
    auto since = [started = std::chrono::steady_clock::now()] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - started)
          .count();
    };
    // Watched while wrk sends: when every comment is stored, and when the first minute's DMs
    // (TikTok takes 40 a minute per account) have reached the sandbox; the rest wait in the
    // outbox for the window to turn.
    std::int64_t stored_ms = -1, window_ms = -1;
    std::size_t dms = 0;
    std::thread watcher([&] {
      try {
        await_stored(rig, before, settings.burst);
        stored_ms = since();
        sparks::testing::poll_until(
            "the first minute's DMs at the sandbox",
            [&] {
              const auto sent =
                  rig.call("GET", rig.sandbox_url() + "/sandbox/v1/sent-messages?account=creator");
              dms = sent.body.at("messages").as_array().size();
              return dms >= first_window;
            },
            60s, 5ms);
        window_ms = since();
      } catch (const std::exception& error) {
        std::cerr << "burst: " << error.what() << "\n";
      }
    });
    // wrk stops its connections once `burst` answers came back (the few requests sent after the
    // file's end are repeats, which the server drops as duplicates).
    auto result = figures(
        run_wrk(rig.serve_url() + "/webhooks/tiktok", file, settings.connections, 1, burst));
    watcher.join();
    result.erase("requests_per_s");  // over wrk's whole second, not the burst's time
    result["comments"] = settings.burst;
    result["stored"] = static_cast<std::int64_t>(events_stored(rig) - before);
    result["ms_to_store_all"] = stored_ms;
    result["comments_per_s"] =
        stored_ms > 0
            ? std::llround(static_cast<double>(burst) * 1000.0 / static_cast<double>(stored_ms))
            : 0;
    result["dms_sent"] = dms;
    result["ms_to_first_window_of_dms"] = window_ms;
    result["outbox_depth"] = metric(rig, "sparks_outbox_depth{platform=\"tiktok\"}");
    std::cerr << "burst: " << settings.burst << " comments stored in " << stored_ms << " ms; "
              << dms << " DMs sent " << window_ms << " ms after the first comment, "
              << result.at("outbox_depth").to_number<double>() << " waiting for the limit\n";
    report["burst"] = std::move(result);
  }

  std::cout << json::serialize(report) << '\n';
  fs::remove_all(folder);
  return 0;
} catch (const std::exception& error) {
  std::cerr << "sparks_bench_http: " << error.what() << '\n';
  return 1;
}

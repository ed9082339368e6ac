// The driver a fuzz target is linked with in the ordinary build (no clang, no libFuzzer): it runs
// the target on every seed of its corpus folder and every file of the folder's regressions/, then
// on a bounded number of deterministic mutations of the seeds, so that `make test` exercises every
// target briefly and replays every crash ever found. Usage:
//   <name>_fuzzer CORPUS_DIR [--mutations=N]
// A crash fails the test like any other, and the input that caused it is left in
// ./crash-input (see docs/testing.md for turning it into a regression).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The regular files directly in `folder` (but hidden ones, like .gitkeep), sorted so that every
// run sees them in the same order.
std::vector<fs::path> files_in(const fs::path& folder) {
  std::vector<fs::path> out;
  if (!fs::is_directory(folder)) return out;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && !entry.path().filename().string().starts_with("."))
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// SplitMix64: the same sequence on every machine and standard library (std::mt19937's
// distributions are not specified bit for bit).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t bound) { return bound == 0 ? 0 : next() % bound; }

 private:
  std::uint64_t state_;
};

// Bytes that mean something to one of the targets' formats (YAML, JSON, HTTP, templates).
constexpr std::string_view kTokens[] = {"[",
                                        "]",
                                        "{",
                                        "}",
                                        "{{",
                                        "}}",
                                        ":",
                                        ": ",
                                        "- ",
                                        "\n",
                                        "\r\n",
                                        "\"",
                                        "'",
                                        "\\",
                                        "#",
                                        "&a ",
                                        "*a",
                                        "|\n ",
                                        ",",
                                        "%",
                                        "\r\n\r\n",
                                        "\x00",
                                        "\xff",
                                        "0",
                                        "-1",
                                        " ",
                                        "\t",
                                        ".",
                                        "=",
                                        "true",
                                        "null",
                                        "1e999",
                                        "Content-Length: 9\r\n",
                                        "Transfer-Encoding: chunked\r\n"};

std::string mutate(const std::string& seed, const std::string& other, Random& random) {
  std::string out = seed;
  const int edits = 1 + static_cast<int>(random.below(4));
  for (int i = 0; i < edits; ++i) {
    const std::size_t at = random.below(out.size() + 1);
    switch (random.below(6)) {
      case 0:  // flip a bit
        if (!out.empty()) out[at % out.size()] ^= static_cast<char>(1u << random.below(8));
        break;
      case 1:  // insert a byte
        out.insert(at, 1, static_cast<char>(random.below(256)));
        break;
      case 2: {  // insert a token, perhaps many times (deep nesting, long runs)
        const std::string_view token = kTokens[random.below(std::size(kTokens))];
        const std::size_t times = random.below(8) == 0 ? 1 + random.below(200) : 1;
        for (std::size_t t = 0; t < times; ++t) out.insert(at, token);
        break;
      }
      case 3:  // erase a range
        out.erase(at, random.below(16) + 1);
        break;
      case 4:  // truncate
        out.resize(at);
        break;
      default: {  // splice: this one's head, the other's tail
        const std::size_t from = random.below(other.size() + 1);
        out = out.substr(0, at) + other.substr(from);
        break;
      }
    }
  }
  return out;
}

// The input being run, for the signal handler to save when the target crashes on it.
const std::string* g_running = nullptr;

extern "C" void save_crashing_input(int signal_number) {
  if (g_running != nullptr) {
    const int fd = ::open("crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      [[maybe_unused]] const auto written = ::write(fd, g_running->data(), g_running->size());
      ::close(fd);
    }
    constexpr char kNote[] = "the crashing input is in ./crash-input\n";
    [[maybe_unused]] const auto noted = ::write(2, kNote, sizeof kNote - 1);
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void run(const std::string& input) {
  g_running = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  g_running = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [--mutations=N]\n", argv[0]);
    return 2;
  }
  for (int signal_number : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL})
    std::signal(signal_number, save_crashing_input);
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  const fs::path corpus = argv[1];
  long mutations = 2000;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--mutations=")) mutations = std::atol(argv[i] + 12);
  }

  std::vector<std::string> seeds;
  for (const fs::path& path : files_in(corpus)) seeds.push_back(read_all(path));
  if (seeds.empty()) {
    std::fprintf(stderr, "no seeds in %s\n", corpus.c_str());
    return 2;
  }
  for (const std::string& seed : seeds) run(seed);
  const std::vector<fs::path> regressions = files_in(corpus / "regressions");
  for (const fs::path& path : regressions) {
    std::fprintf(stderr, "regression %s\n", path.filename().c_str());
    run(read_all(path));
  }

  Random random(0x5EED5EED);
  for (long i = 0; i < mutations; ++i) {
    const std::string& seed = seeds[random.below(seeds.size())];
    const std::string& other = seeds[random.below(seeds.size())];
    const std::string input = mutate(seed, other, random);
    run(input);
  }
  std::printf("%zu seeds, %zu regressions, %ld mutations: no crash\n", seeds.size(),
              regressions.size(), mutations);
  return 0;
}

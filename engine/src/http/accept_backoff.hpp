#pragma once
// What the listener does when accepting a connection fails (EMFILE or ENFILE when the process or
// the system is out of file descriptors, ENOBUFS, …): wait before the next try rather than retry at
// once, which would only fail again and spin a core; and say so in the log without saying it for
// every failure. The waits double from `first` up to `longest`, and start over after an accept
// succeeds. The log gets the first failure at once, then at most one line every `report_every`
// with how many failures it stands for. No sockets here: the listener (server.cpp) asks and acts.
#include <chrono>
#include <cstdint>
#include <optional>

namespace sparks::http {

class AcceptBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::chrono::milliseconds first{10};
    std::chrono::milliseconds longest{1'000};
    std::chrono::milliseconds report_every{10'000};
  };

  // What to do after one failure.
  struct Retry {
    std::chrono::milliseconds delay;  // accept again after this long
    // Set when this failure is to be logged: how many failures the line stands for (this one and
    // those not logged since the last line).
    std::optional<std::uint64_t> report;
  };

  AcceptBackoff() = default;
  explicit AcceptBackoff(Options options) : options_(options) {}

  Retry failed(Clock::time_point now);

  // After an accept succeeded: the next failure waits `first` again. Set when the failures that
  // ended were logged (so the recovery is worth a line too, and is as rare as they are): how many
  // failed since the last line.
  std::optional<std::uint64_t> succeeded();

 private:
  Options options_;
  std::chrono::milliseconds next_delay_ = options_.first;
  std::optional<Clock::time_point> last_report_;
  std::uint64_t unreported_ = 0;
  bool failures_logged_ = false;  // since the last success
};

}  // namespace sparks::http

#pragma once
// Bounded waits, shared by the tests and the bench. A wait ends as soon as what it waits for has
// happened; when its limit passes first it throws WaitTimedOut, which names what was awaited, so a
// test fails with that sentence (GoogleTest reports the exception) and the bench stops with it.
// Every wait is bounded twice: by the clock and by a count of turns derived from its limit.
//
//   run_until     runs an io_context on this thread until a condition holds;
//   await_result  starts an operation whose answer arrives on other threads, and waits for it;
//   poll_until    looks at a condition now and then while the work happens elsewhere (threads
//                 of their own, other processes).
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace sparks::testing {

// Far longer than anything on loopback takes: reaching it means the awaited thing never happens.
inline constexpr std::chrono::milliseconds kWaitLimit{10'000};

class WaitTimedOut : public std::runtime_error {
 public:
  WaitTimedOut(std::string_view awaited, std::chrono::milliseconds limit)
      : std::runtime_error("timed out after " + std::to_string(limit.count()) + " ms waiting for " +
                           std::string(awaited)) {}
};

// Runs `io` on this thread, `turn` at a time, until `done()` holds. `awaited` says what `done`
// stands for ("the engine's reply"), for the failure. The io_context is kept from running out of
// work meanwhile: answers posted to it from other threads (the engine's writer) must find it
// running. A stopped io_context is restarted.
template <typename Done>
void run_until(boost::asio::io_context& io, std::string_view awaited, Done&& done,
               std::chrono::milliseconds limit = kWaitLimit,
               std::chrono::milliseconds turn = std::chrono::milliseconds(1)) {
  auto work = boost::asio::make_work_guard(io);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const auto turns = limit / turn + 1;  // with the work guard, each turn lasts `turn`
  for (decltype(limit / turn) taken = 0; !done(); ++taken) {
    if (taken >= turns || std::chrono::steady_clock::now() >= deadline)
      throw WaitTimedOut(awaited, limit);
    if (io.stopped()) io.restart();
    io.run_for(turn);
  }
}

// Calls `start(completion)` and waits for the `Result` that `completion` is called with, from
// whichever thread runs it. For an io_context run by threads of its own (the test never runs it).
template <typename Result, typename Start>
Result await_result(std::string_view awaited, Start&& start,
                    std::chrono::milliseconds limit = kWaitLimit) {
  // Shared with the completion: an answer that comes after the limit still finds it alive.
  auto promise = std::make_shared<std::promise<Result>>();
  auto answer = promise->get_future();
  start([promise](Result result) { promise->set_value(std::move(result)); });
  if (answer.wait_for(limit) != std::future_status::ready) throw WaitTimedOut(awaited, limit);
  return answer.get();
}

// Looks at `ready()` every `interval` until it holds. For work that needs nothing from this
// thread: an io_context run by other threads, another process.
template <typename Ready>
void poll_until(std::string_view awaited, Ready&& ready,
                std::chrono::milliseconds limit = kWaitLimit,
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const auto looks = limit / interval + 1;
  for (decltype(limit / interval) taken = 0; !ready(); ++taken) {
    if (taken >= looks || std::chrono::steady_clock::now() >= deadline)
      throw WaitTimedOut(awaited, limit);
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace sparks::testing

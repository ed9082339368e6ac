// The bounded waits the tests and the bench share (tests/support/wait.hpp): each returns as soon as
// what it waits for has happened, keeps waiting for answers that come from other threads, and
// throws WaitTimedOut, naming what it waited for, once its limit passes.
#include "support/wait.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <thread>

namespace {

using namespace std::chrono_literals;
using sparks::testing::await_result;
using sparks::testing::poll_until;
using sparks::testing::run_until;
using sparks::testing::WaitTimedOut;
using ::testing::HasSubstr;

using Clock = std::chrono::steady_clock;

TEST(RunUntil, RunsTheHandlersUntilTheConditionHolds) {
  boost::asio::io_context io;
  int ran = 0;
  for (int i = 0; i < 3; ++i) boost::asio::post(io, [&] { ++ran; });
  run_until(io, "three handlers", [&] { return ran == 3; });
  EXPECT_EQ(ran, 3);
}

TEST(RunUntil, WaitsForWorkPostedFromAnotherThread) {
  boost::asio::io_context io;  // no work of its own: run() alone would return at once
  bool answered = false;
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);  // the answer comes later, from elsewhere
    boost::asio::post(io, [&] { answered = true; });
  });
  run_until(io, "the answer from the other thread", [&] { return answered; });
  writer.join();
  EXPECT_TRUE(answered);
}

TEST(RunUntil, RestartsAStoppedContext) {
  boost::asio::io_context io;
  io.stop();
  bool ran = false;
  boost::asio::post(io, [&] { ran = true; });
  run_until(io, "the handler", [&] { return ran; });
  EXPECT_TRUE(ran);
}

TEST(RunUntil, ThrowsNamingWhatItAwaitedOnceTheLimitPasses) {
  boost::asio::io_context io;
  const auto start = Clock::now();
  try {
    run_until(
        io, "a condition that never holds", [] { return false; }, 60ms);
    FAIL() << "run_until returned without its condition";
  } catch (const WaitTimedOut& e) {
    EXPECT_THAT(e.what(), HasSubstr("a condition that never holds"));
    EXPECT_THAT(e.what(), HasSubstr("60 ms"));
  }
  EXPECT_GE(Clock::now() - start, 60ms);
}

TEST(AwaitResult, ReturnsTheResultGivenOnAnotherThread) {
  std::thread answering;
  const int result = await_result<int>(
      "the answer", [&](auto done) { answering = std::thread([done] { done(42); }); });
  answering.join();
  EXPECT_EQ(result, 42);
}

TEST(AwaitResult, ThrowsWhenNoResultComes) {
  std::function<void(int)> kept;  // held, never called
  EXPECT_THROW(await_result<int>(
                   "an answer that never comes", [&](auto done) { kept = done; }, 30ms),
               WaitTimedOut);
  kept(1);  // a late answer finds its promise still alive
}

TEST(PollUntil, LooksUntilTheConditionHolds) {
  std::atomic<bool> ready{false};
  std::thread elsewhere([&] {
    std::this_thread::sleep_for(50ms);
    ready = true;
  });
  poll_until("the flag", [&] { return ready.load(); });
  elsewhere.join();
  EXPECT_TRUE(ready);
}

TEST(PollUntil, ThrowsOnceTheLimitPasses) {
  int looks = 0;
  EXPECT_THROW(poll_until(
                   "a condition that never holds", [&] { return ++looks < 0; }, 50ms, 10ms),
               WaitTimedOut);
  EXPECT_LE(looks, 7) << "a look every 10 ms for 50 ms, and one at the start";
}

}  // namespace

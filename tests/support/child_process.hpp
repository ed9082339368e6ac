#pragma once
// A child process for end-to-end tests: started with posix_spawn, its stdout readable line by line
// with a deadline, killed (SIGKILL) or stopped (SIGTERM) on demand and always reaped.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sparks::testing {

class ChildProcess {
 public:
  // Starts `program` with `args`; stderr is inherited so that its logs show in the test output.
  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  ~ChildProcess();  // kills and reaps if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout, or nullopt at end of file or when `timeout` passes first.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Reads lines until one contains `needle`; returns it, or nullopt on timeout or end of file.
  std::optional<std::string> wait_for_line(const std::string& needle,
                                           std::chrono::milliseconds timeout);

  void kill_hard();  // SIGKILL: a crash, as far as the child can tell
  int stop(std::chrono::milliseconds grace =
               std::chrono::seconds(5));  // SIGTERM, then SIGKILL; exit status
  int pid() const { return pid_; }

  // From now on SIGINT, SIGTERM and SIGHUP stop every child still running (SIGTERM) before they
  // end this process: a driver killed mid-run leaves no server holding its port. For programs that
  // run children outside a test (the load drivers); call it once, early in main.
  static void stop_children_on_signal();

 private:
  void reaped(int status);

  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace sparks::testing

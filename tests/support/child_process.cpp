#include "support/child_process.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace sparks::testing {

namespace {

// The children still running, for a signal handler to stop: a fixed array of atomics, as nothing
// else (no lock, no allocation) may be touched from one. 0 is a free slot.
std::array<std::atomic<pid_t>, 64> running_children{};

void note_running(pid_t pid) {
  for (auto& slot : running_children) {
    pid_t free = 0;
    if (slot.compare_exchange_strong(free, pid)) return;
  }
  // More children than slots: the rest are only reaped by their owners, as before.
}

void note_reaped(pid_t pid) {
  for (auto& slot : running_children) {
    pid_t running = pid;
    if (slot.compare_exchange_strong(running, 0)) return;
  }
}

extern "C" void stop_children_and_end(int signal_number) {
  for (auto& slot : running_children)
    if (const pid_t pid = slot.load(); pid > 0) ::kill(pid, SIGTERM);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

void ChildProcess::stop_children_on_signal() {
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP})
    ::signal(signal_number, stop_children_and_end);
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  const int rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + program);
  }
  stdout_fd_ = pipe_fds[0];
  note_running(pid_);
}

ChildProcess::~ChildProcess() {
  if (!reaped_) kill_hard();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    const ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> ChildProcess::wait_for_line(const std::string& needle,
                                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = read_line(left);
    if (!line) return std::nullopt;
    if (line->find(needle) != std::string::npos) return line;
  }
  return std::nullopt;
}

void ChildProcess::kill_hard() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped(status);
}

void ChildProcess::reaped(int status) {
  status_ = status;
  reaped_ = true;
  note_reaped(pid_);
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (reaped_) return status_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (int status = 0; waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped(status);
      return status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  return status_;
}

}  // namespace sparks::testing

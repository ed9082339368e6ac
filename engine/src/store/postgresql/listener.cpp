#include "store/postgresql/listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include <spdlog/spdlog.h>

#include "store/postgresql/session.hpp"
#include "store/postgresql/url.hpp"

namespace sparks::store::postgresql {
namespace {

constexpr std::chrono::milliseconds kFirstRetry{100};
constexpr std::chrono::milliseconds kLongestRetry{2000};

// Connects and subscribes; throws OpenError.
PGconn* connect_and_listen(const std::string& url) {
  PGconn* connection = connect(url, OpenOptions{});
  PGresult* result = PQexec(connection, (std::string("LISTEN ") + kWorkspaceChannel).c_str());
  const bool listening = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!listening) {
    const std::string why = PQerrorMessage(connection);
    PQfinish(connection);
    throw OpenError("cannot listen on " + without_password(url) + ": " + why);
  }
  return connection;
}

}  // namespace

Listener::Listener(std::string url, std::function<void(std::string)> woken)
    : url_(std::move(url)), woken_(std::move(woken)), connection_(connect_and_listen(url_)) {
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    PQfinish(connection_);
    throw OpenError("cannot listen on " + without_password(url_) + ": no eventfd");
  }
  thread_ = std::thread([this] { run(); });
}

Listener::~Listener() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  if (connection_) PQfinish(connection_);
  ::close(stop_fd_);
}

void Listener::run() {
  while (wait_for_input()) {
    if (deliver_notifications()) continue;
    spdlog::warn("store listener: lost the connection to {}; connecting again",
                 without_password(url_));
    PQfinish(connection_);
    connection_ = nullptr;
    if (!reconnect()) return;
    // Whatever was notified while the connection was down is lost: look at every workspace.
    call_woken("");
  }
}

bool Listener::wait_for_input() {
  pollfd waits[] = {{PQsocket(connection_), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  for (;;) {
    const int ready = ::poll(waits, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    return (waits[1].revents & POLLIN) == 0;
  }
}

bool Listener::deliver_notifications() {
  if (PQconsumeInput(connection_) == 0 || PQstatus(connection_) != CONNECTION_OK) return false;
  while (PGnotify* notification = PQnotifies(connection_)) {
    const std::string workspace_id = notification->extra;
    PQfreemem(notification);
    call_woken(workspace_id);
  }
  return true;
}

bool Listener::reconnect() {
  std::chrono::milliseconds delay = kFirstRetry;
  for (;;) {
    pollfd stop = {stop_fd_, POLLIN, 0};
    if (::poll(&stop, 1, static_cast<int>(delay.count())) > 0) return false;
    try {
      connection_ = connect_and_listen(url_);
      return true;
    } catch (const OpenError& error) {
      spdlog::warn("store listener: {}", error.what());  // names the URL without its password
    }
    delay = std::min(delay * 2, kLongestRetry);
  }
}

void Listener::call_woken(const std::string& workspace_id) {
  try {
    woken_(workspace_id);
  } catch (const std::exception& error) {
    spdlog::error("store listener: woken() threw: {}", error.what());
  } catch (...) {
    spdlog::error("store listener: woken() threw a non-standard exception");
  }
}

}  // namespace sparks::store::postgresql

#pragma once
// store::Listener on PostgreSQL: a connection of its own that LISTENs on the channel
// notify_workspace() sends to, and a thread that waits on its socket. When the connection drops it
// connects again, waiting 100 ms then twice as long each time up to 2 s, and then tells its caller
// that notifications may have been missed (woken with an empty id).
#include <functional>
#include <string>
#include <thread>

#include "store/connection.hpp"

struct pg_conn;

namespace sparks::store::postgresql {

// The channel of notify_workspace(); the payload is the workspace id.
inline constexpr const char* kWorkspaceChannel = "sparks_workspace";

class Listener final : public store::Listener {
 public:
  // Connects and listens before returning, so that nothing committed afterwards is missed.
  // Throws OpenError.
  Listener(std::string url, std::function<void(std::string workspace_id)> woken);
  ~Listener() override;  // stops the thread and joins it
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

 private:
  void run();
  // Waits for the socket or the stop signal; false once stopping.
  bool wait_for_input();
  // Calls woken for every notification received; false when the connection is lost.
  bool deliver_notifications();
  // Connects again with back-off; false if stopped first.
  bool reconnect();
  void call_woken(const std::string& workspace_id);

  const std::string url_;
  const std::function<void(std::string)> woken_;
  pg_conn* connection_ = nullptr;  // touched by the thread only, once started
  int stop_fd_ = -1;               // an eventfd the destructor signals
  std::thread thread_;             // last: starts once everything above is set
};

}  // namespace sparks::store::postgresql

#pragma once
// Real `sparks sandbox` and `sparks serve` processes on 127.0.0.1, for the end-to-end tests and the
// soak: the sandbox plays TikTok and TikTok Shop, `sparks serve` runs the engine from a config that
// points at it, on a port fixed for the rig's life so that it can be killed and started again at
// the same address (the platform keeps sending there). The rig is the owner, the member and the
// browser, talking HTTP to both.
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"

namespace sparks::testing {

struct Answer {
  int status = 0;  // 0: no answer (refused, reset, timed out)
  boost::json::value body;
  std::string error;  // why there was no answer
};

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

// One HTTP request on loopback, waited for (at most `limit`).
Answer http_call(const std::string& method, const std::string& url, const std::string& key = "",
                 const std::string& body = "", const std::string& type = "application/json",
                 std::chrono::milliseconds limit = std::chrono::seconds(15),
                 const ExtraHeaders& headers = {});

class ServeRig {
 public:
  static constexpr const char* kWorkspace = "acme";
  static constexpr const char* kOwnerKey = "olivia-secret-key";
  static constexpr const char* kMemberKey = "max-secret-key";

  // `name` names its folder under the temporary directory (emptied first).
  ServeRig(const std::string& sparks_binary, const std::string& name);
  ~ServeRig();

  void start_serve();  // waits for "listening"; throws when it does not come
  void kill_serve();   // SIGKILL: a crash
  int stop_serve();    // SIGTERM; the exit status
  bool serve_running() const { return serve_ != nullptr; }

  const std::string& sandbox_url() const { return sandbox_url_; }
  const std::string& serve_url() const { return serve_url_; }
  std::string api(const std::string& path) const;  // the workspace's API route for `path`

  Answer call(const std::string& method, const std::string& url, const std::string& key = "",
              const std::string& body = "", const std::string& type = "application/json") const {
    return http_call(method, url, key, body, type);
  }
  // POST to the sandbox's control API.
  Answer control(const std::string& path, const boost::json::object& body) const;

  // Connect → the sandbox's consent page, answered for `account` with `scopes` → the browser
  // follows the redirect to the server's callback. The callback's answer.
  Answer connect(const std::string& platform, const std::string& account,
                 const std::vector<std::string>& scopes);

  // Creates and publishes a flow from its YAML; the publish answer.
  Answer publish_flow(const std::string& id, const std::string& yaml);

 private:
  std::string sparks_;
  std::filesystem::path folder_;
  int serve_port_ = 0;
  std::unique_ptr<ChildProcess> sandbox_, serve_;
  std::string sandbox_url_, serve_url_;
};

}  // namespace sparks::testing

#pragma once
// Real `sparks sandbox` and `sparks serve` processes on 127.0.0.1, for the end-to-end tests and the
// soak: the sandbox plays TikTok and TikTok Shop, `sparks serve` runs the engine from a config that
// points at it, on a port fixed for the rig's life so that it can be killed and started again at
// the same address (the platform keeps sending there). The rig is the owner, the member and the
// browser, talking HTTP to both.
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
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

struct RigOptions {
  // The store every instance uses: a SQLite path (relative to the rig's folder) or a PostgreSQL
  // URL, which several instances share (docs/scaling.md).
  std::string database = "data/sparks.db";
  // `sparks serve` processes, numbered from 0, each with its own port and instance id
  // ("instance-N"), the same store, key file and workspaces.
  int instances = 1;
  // The instance that plays the load balancer in front of them: every instance's public_url, so
  // that the platform's webhooks and the owner's browser coming back from consent reach it.
  int public_instance = 0;
  // More arguments for every `sparks serve` (after `--config FILE`), e.g. {"--threads", "1"}.
  std::vector<std::string> serve_arguments = {};
};

// A new comment as TikTok sends it (comment.update, its content a JSON string), by `user` (a person
// as the sandbox names them) on the sandbox creator's first video; and the signature header TikTok
// puts on a delivery of `body` sent now, for the sandbox app's secret.
std::string tiktok_comment_webhook(std::int64_t comment_id, const std::string& user,
                                   const std::string& text);
ExtraHeaders tiktok_signed_now(const std::string& body);

class ServeRig {
 public:
  static constexpr const char* kWorkspace = "acme";
  static constexpr const char* kOwnerKey = "olivia-secret-key";
  static constexpr const char* kMemberKey = "max-secret-key";

  // `name` names its folder under the temporary directory (emptied first). Every instance is
  // started.
  ServeRig(const std::string& sparks_binary, const std::string& name, RigOptions options = {});
  ~ServeRig();

  // Instance `i`: started (waits for "listening"; throws when it does not come), killed with
  // SIGKILL (a crash), stopped with SIGTERM (the exit status).
  void start_serve(int i = 0);
  void kill_serve(int i = 0);
  int stop_serve(int i = 0);
  bool serve_running(int i = 0) const { return serves_.at(static_cast<std::size_t>(i)) != nullptr; }
  int serve_pid(int i = 0) const { return serves_.at(static_cast<std::size_t>(i))->pid(); }

  const std::string& sandbox_url() const { return sandbox_url_; }
  const std::string& serve_url(int i = 0) const { return urls_.at(static_cast<std::size_t>(i)); }
  // The workspace's API route for `path`, on instance `i`.
  std::string api(const std::string& path, int i = 0) const;
  static std::string instance_id(int i) { return "instance-" + std::to_string(i); }
  int instances() const { return static_cast<int>(urls_.size()); }
  // Whether instance `i` runs the workspace (holds its lease), as its /metrics says.
  bool runs_workspace(int i) const;
  // The instance that runs the workspace, waited for (at most `limit`); 0 with one instance.
  int holder(std::chrono::milliseconds limit = std::chrono::seconds(30)) const;

  Answer call(const std::string& method, const std::string& url, const std::string& key = "",
              const std::string& body = "", const std::string& type = "application/json") const {
    return http_call(method, url, key, body, type);
  }
  // POST to the sandbox's control API.
  Answer control(const std::string& path, const boost::json::object& body) const;

  // Connect on instance `i` → the sandbox's consent page, answered for `account` with `scopes` →
  // the browser follows the redirect to the server's callback. The callback's answer.
  Answer connect(const std::string& platform, const std::string& account,
                 const std::vector<std::string>& scopes, int i = 0);

  // Creates and publishes a flow from its YAML on instance `i`; the publish answer.
  Answer publish_flow(const std::string& id, const std::string& yaml, int i = 0);

 private:
  std::string sparks_;
  std::filesystem::path folder_;
  std::unique_ptr<ChildProcess> sandbox_;
  std::vector<std::unique_ptr<ChildProcess>> serves_;
  std::vector<std::string> urls_;
  std::string sandbox_url_;
  std::vector<std::string> serve_arguments_;
};

}  // namespace sparks::testing

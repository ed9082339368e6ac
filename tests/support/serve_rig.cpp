#include "support/serve_rig.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "http/client.hpp"
#include "sandbox/consent_client.hpp"
#include "sandbox/state.hpp"
#include "sandbox/webhooks.hpp"
#include "support/free_port.hpp"
#include "support/openapi_validator.hpp"
#include "support/wait.hpp"

namespace sparks::testing {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

Answer http_call(const std::string& method, const std::string& url, const std::string& key,
                 const std::string& body, const std::string& type, std::chrono::milliseconds limit,
                 const ExtraHeaders& headers) {
  boost::asio::io_context io;
  http::ClientRequest request{method, url, {}, body, limit};
  for (const auto& [name, value] : headers) request.headers[name] = value;
  if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
  if (!body.empty()) request.headers["Content-Type"] = type;
  std::optional<http::ClientResponse> answered;
  http::send_request(io.get_executor(), request,
                     [&](http::ClientResponse r) { answered = std::move(r); });
  run_until(
      io, "the answer to " + method + " " + url, [&] { return answered.has_value(); }, limit + 1s);
  Answer answer{answered->status, nullptr, answered->error};
  if (!answered->ok()) answer.status = 0;
  boost::system::error_code ec;
  answer.body = json::parse(answered->body, ec);
  if (ec) answer.body = json::string(answered->body);
  expect_documented_answer(method, url, answer.status, answer.body);
  return answer;
}

std::string tiktok_comment_webhook(std::int64_t comment_id, const std::string& user,
                                   const std::string& text) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  json::object content{{"comment_id", comment_id},
                       {"video_id", "video-1"},
                       {"comment_type", "comment"},
                       {"comment_action", "insert"},
                       {"unique_identifier", sandbox::unique_identifier_of(user)},
                       {"timestamp", now * 1000},
                       {"text", text}};
  return json::serialize(json::object{{"client_key", "sandbox-client-key"},
                                      {"event", "comment.update"},
                                      {"create_time", now},
                                      {"user_openid", "open-creator"},
                                      {"content", json::serialize(content)}});
}

ExtraHeaders tiktok_signed_now(const std::string& body) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return {
      {"TikTok-Signature", sandbox::tiktok_signature_header("sandbox-client-secret", now, body)}};
}

ServeRig::ServeRig(const std::string& sparks_binary, const std::string& name, RigOptions options)
    : sparks_(sparks_binary),
      folder_(fs::temp_directory_path() / (name + "-" + std::to_string(getpid()))),
      serve_arguments_(options.serve_arguments) {
  fs::remove_all(folder_);
  fs::create_directories(folder_);
  sandbox_ = std::make_unique<ChildProcess>(
      sparks_, std::vector<std::string>{"sandbox", "--listen", "127.0.0.1:0"});
  auto line = sandbox_->wait_for_line("sandbox listening on http://127.0.0.1:", 20s);
  if (!line) throw std::runtime_error("sparks sandbox did not start");
  sandbox_url_ = line->substr(line->find("http://"));

  std::vector<int> ports;
  for (int i = 0; i < options.instances; ++i) {
    ports.push_back(free_loopback_port());
    urls_.push_back("http://127.0.0.1:" + std::to_string(ports.back()));
    serves_.emplace_back();
  }
  const auto& public_url = serve_url(options.public_instance);
  for (int i = 0; i < options.instances; ++i) {
    std::ofstream(folder_ / ("sparks-" + std::to_string(i) + ".yaml"))
        << "sparks:\n"
        << "  listen: 127.0.0.1:" << ports[static_cast<std::size_t>(i)] << "\n"
        << "  public_url: " << public_url << "\n"
        << "  database: \"" << options.database << "\"\n"
        << "  instance_id: " << instance_id(i) << "\n"
        << "  secrets: { key_file: data/secret.key }\n"
        << "  platforms:\n"
        << "    tiktok: { client_key: sandbox-client-key, client_secret: sandbox-client-secret,"
        << " auth_base_url: \"" << sandbox_url_ << "\", api_base_url: \"" << sandbox_url_
        << "\" }\n"
        << "    tiktok_shop: { app_key: sandbox-app-key, app_secret: sandbox-app-secret,"
        << " auth_base_url: \"" << sandbox_url_ << "\", api_base_url: \"" << sandbox_url_
        << "\" }\n"
        << "  workspaces:\n"
        << "    - id: " << kWorkspace << "\n"
        << "      members:\n"
        << "        - { user: olivia, role: owner, api_key: " << kOwnerKey << " }\n"
        << "        - { user: max, role: member, api_key: " << kMemberKey << " }\n";
  }
  // The first instance creates the key file the others share.
  for (int i = 0; i < options.instances; ++i) start_serve(i);
  // The sandbox's webhooks go to the public instance, whenever it runs.
  const auto targets =
      call("PUT", sandbox_url_ + "/sandbox/v1/webhook-targets", "",
           json::serialize(json::object{{"tiktok", public_url + "/webhooks/tiktok"},
                                        {"tiktok_shop", public_url + "/webhooks/tiktok_shop"}}));
  if (targets.status != 200) throw std::runtime_error("the sandbox took no webhook targets");
}

ServeRig::~ServeRig() {
  serves_.clear();
  sandbox_.reset();
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

void ServeRig::start_serve(int i) {
  auto& serve = serves_.at(static_cast<std::size_t>(i));
  std::vector<std::string> arguments{
      "serve", "--config", (folder_ / ("sparks-" + std::to_string(i) + ".yaml")).string()};
  arguments.insert(arguments.end(), serve_arguments_.begin(), serve_arguments_.end());
  serve = std::make_unique<ChildProcess>(sparks_, arguments);
  if (!serve->wait_for_line("sparks serve: listening on http://127.0.0.1:", 20s))
    throw std::runtime_error("sparks serve " + instance_id(i) + " did not start");
}

void ServeRig::kill_serve(int i) {
  auto& serve = serves_.at(static_cast<std::size_t>(i));
  if (serve) serve->kill_hard();
  serve.reset();
}

int ServeRig::stop_serve(int i) {
  auto& serve = serves_.at(static_cast<std::size_t>(i));
  const int status = serve ? serve->stop() : 0;
  serve.reset();
  return status;
}

std::string ServeRig::api(const std::string& path, int i) const {
  return serve_url(i) + "/api/v1/workspaces/" + kWorkspace + path;
}

bool ServeRig::runs_workspace(int i) const {
  const auto metrics = call("GET", serve_url(i) + "/metrics");
  if (metrics.status != 200 || !metrics.body.is_string()) return false;
  const auto line = "sparks_workspaces_run{instance=\"" + instance_id(i) + "\"} 1";
  return std::string_view(metrics.body.as_string()).find(line) != std::string_view::npos;
}

int ServeRig::holder(std::chrono::milliseconds limit) const {
  if (instances() == 1) return 0;
  int found = -1;
  poll_until(
      "an instance to run the workspace",
      [&] {
        for (int i = 0; i < instances() && found < 0; ++i)
          if (runs_workspace(i)) found = i;
        return found >= 0;
      },
      limit, 5ms);
  return found;
}

Answer ServeRig::control(const std::string& path, const json::object& body) const {
  return call("POST", sandbox_url_ + path, "", json::serialize(body));
}

Answer ServeRig::connect(const std::string& platform, const std::string& account,
                         const std::vector<std::string>& scopes, int i) {
  auto started = call("POST", api("/integrations/" + platform + "/connect", i), kOwnerKey);
  if (started.status != 200) return started;
  const std::string url(started.body.at("authorize_url").as_string());
  boost::asio::io_context io;
  std::optional<sandbox::ConsentResult> consent;
  sandbox::answer_consent(io.get_executor(), url, {account, scopes, true},
                          [&](sandbox::ConsentResult r) { consent = std::move(r); });
  run_until(
      io, "the consent page's redirect", [&] { return consent.has_value(); }, 15s);
  if (!consent->error.empty()) return {0, nullptr, consent->error};
  return call("GET", consent->redirect_url);
}

Answer ServeRig::publish_flow(const std::string& id, const std::string& yaml, int i) {
  auto created = call("POST", api("/flows", i), kOwnerKey, yaml, "application/yaml");
  if (created.status != 200 && created.status != 201) return created;
  return call("POST", api("/flows/" + id + "/publish", i), kOwnerKey);
}

}  // namespace sparks::testing

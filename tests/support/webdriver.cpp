#include "support/webdriver.hpp"
#include "support/free_port.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <optional>
#include <thread>

#include "http/client.hpp"

extern char** environ;

namespace sparks::testing {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// The key under which the W3C protocol names an element in JSON.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";
// Longer than any page load the tests wait for (the session's page-load timeout is 20 s).
constexpr auto kCommandLimit = 30s;

std::string base64_decode(std::string_view text) {
  std::array<int, 256> values{};
  values.fill(-1);
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    values[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    const int value = values[static_cast<unsigned char>(c)];
    if (value < 0) continue;  // padding, line breaks
    bits = (bits << 6) | static_cast<unsigned>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

Element element_of(const json::value& value) {
  if (!value.is_object() || !value.as_object().contains(kElementKey))
    throw WebDriverError("not an element: " + json::serialize(value));
  return {std::string(value.at(kElementKey).as_string())};
}

json::object by_css(const std::string& css) {
  return {{"using", "css selector"}, {"value", css}};
}

}  // namespace

WebDriver::WebDriver(BrowserOptions options) {
  std::string folder = (fs::temp_directory_path() / "sparks-chromium-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr) throw std::runtime_error("no profile folder");
  profile_ = folder;
  try {
    start_chromedriver(options);
    start_watchdog();
    wait_ready();
    open_session(options);
  } catch (...) {
    stop_processes();
    throw;
  }
}

WebDriver::~WebDriver() {
  quit();
}

void WebDriver::start_chromedriver(const BrowserOptions& options) {
  fs::create_directories(options.log_folder);
  const auto log = (options.log_folder / "chromedriver.log").string();
  const int port = free_loopback_port();
  base_url_ = "http://127.0.0.1:" + std::to_string(port);
  const std::vector<std::string> args{options.chromedriver, "--port=" + std::to_string(port),
                                      "--allowed-ips=127.0.0.1", "--log-path=" + log};
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // Not the test's output: a runner waits for that to close, and Chromium outlives chromedriver.
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // A group of its own, which Chromium joins: killing the group ends them all.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, options.chromedriver.c_str(), &actions, &attributes,
                                     argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) throw std::runtime_error("cannot start " + options.chromedriver);
  driver_pid_ = pid;
}

void WebDriver::start_watchdog() {
  // As tests/support/postgres_server.cpp does: a shell reads a pipe whose only writer is this
  // process. "done" on it: the driver has cleaned up. The end of the pipe without it: this process
  // is gone, however it ended, and the shell kills the group and removes the profile. The write
  // end is closed on exec, so no child holds it open.
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return;  // best effort: the destructor still cleans up
  const std::string script = "read -r word && [ \"$word\" = done ] && exit 0; kill -s KILL -- -" +
                             std::to_string(driver_pid_) + " 2>/dev/null; rm -rf '" +
                             profile_.string() + "'";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, ends[0], STDIN_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes,
                                    const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(ends[0]);
  if (spawned != 0) {
    ::close(ends[1]);
    return;
  }
  watchdog_pipe_ = ends[1];
}

void WebDriver::wait_ready() {
  poll_until(
      "chromedriver's /status to say ready",
      [&] {
        try {
          const auto status = command("GET", "/status");
          return status.is_object() && status.as_object().contains("ready") &&
                 status.at("ready").as_bool();
        } catch (const WebDriverError&) {
          return false;  // not listening yet
        }
      },
      20s, 50ms);
}

void WebDriver::open_session(const BrowserOptions& options) {
  json::array args{
      "--headless=new",
      "--no-sandbox",  // the tests run as root
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--no-first-run",
      "--no-default-browser-check",
      "--user-data-dir=" + profile_.string(),
      "--window-size=" + std::to_string(options.width) + "," + std::to_string(options.height)};
  json::object chrome{{"binary", options.chromium}, {"args", std::move(args)}};
  json::object always{{"browserName", "chrome"},
                      {"goog:chromeOptions", std::move(chrome)},
                      {"timeouts", json::object{{"pageLoad", 20'000}, {"script", 10'000}}}};
  const auto created = command(
      "POST", "/session", json::object{{"capabilities", json::object{{"alwaysMatch", always}}}});
  session_ = std::string(created.at("sessionId").as_string());
}

json::value WebDriver::command(const std::string& method, const std::string& path,
                               const json::value& body) {
  boost::asio::io_context io;
  http::ClientRequest request{method, base_url_ + path, {}, "", kCommandLimit};
  if (method == "POST") {
    request.body = body.is_null() ? "{}" : json::serialize(body);
    request.headers["Content-Type"] = "application/json; charset=utf-8";
  }
  std::optional<http::ClientResponse> answered;
  http::send_request(io.get_executor(), request,
                     [&](http::ClientResponse r) { answered = std::move(r); });
  run_until(
      io, "chromedriver's answer to " + method + " " + path, [&] { return answered.has_value(); },
      kCommandLimit + 5s);
  if (!answered->ok())
    throw WebDriverError("no answer from chromedriver to " + path + ": " + answered->error);
  boost::system::error_code ec;
  auto parsed = json::parse(answered->body, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("value"))
    throw WebDriverError("chromedriver answered " + path + " with " + answered->body);
  auto value = parsed.at("value");
  if (answered->status != 200) {
    std::string why = json::serialize(value);
    if (value.is_object() && value.as_object().contains("message"))
      why = std::string(value.at("message").as_string());
    throw WebDriverError(method + " " + path + ": " + why.substr(0, why.find('\n')));
  }
  return value;
}

json::value WebDriver::session_command(const std::string& method, const std::string& path,
                                       const json::value& body) {
  if (session_.empty()) throw WebDriverError("the browser session has ended");
  return command(method, "/session/" + session_ + path, body);
}

void WebDriver::navigate(const std::string& url) {
  session_command("POST", "/url", json::object{{"url", url}});
}

std::string WebDriver::current_url() {
  return std::string(session_command("GET", "/url").as_string());
}

std::string WebDriver::title() {
  return std::string(session_command("GET", "/title").as_string());
}

void WebDriver::set_window_size(int width, int height) {
  session_command("POST", "/window/rect", json::object{{"width", width}, {"height", height}});
}

std::optional<Element> WebDriver::find(const std::string& css) {
  auto all = find_all(css);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Element> WebDriver::find_all(const std::string& css) {
  const auto found = session_command("POST", "/elements", by_css(css));
  std::vector<Element> out;
  for (const auto& value : found.as_array()) out.push_back(element_of(value));
  return out;
}

Element WebDriver::element(const std::string& css) {
  auto found = find(css);
  if (!found) throw WebDriverError("no element matches " + css + " on " + current_url());
  return *found;
}

std::optional<Element> WebDriver::find_link(const std::string& text) {
  const auto found =
      session_command("POST", "/elements", json::object{{"using", "link text"}, {"value", text}});
  if (found.as_array().empty()) return std::nullopt;
  return element_of(found.as_array().front());
}

std::optional<Element> WebDriver::find_in(const Element& parent, const std::string& css) {
  auto all = find_all_in(parent, css);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Element> WebDriver::find_all_in(const Element& parent, const std::string& css) {
  const auto found = session_command("POST", "/element/" + parent.id + "/elements", by_css(css));
  std::vector<Element> out;
  for (const auto& value : found.as_array()) out.push_back(element_of(value));
  return out;
}

void WebDriver::click(const Element& element) {
  session_command("POST", "/element/" + element.id + "/click", json::object{});
}

void WebDriver::send_keys(const Element& element, const std::string& text) {
  session_command("POST", "/element/" + element.id + "/value", json::object{{"text", text}});
}

void WebDriver::clear(const Element& element) {
  session_command("POST", "/element/" + element.id + "/clear", json::object{});
}

std::string WebDriver::text(const Element& element) {
  return std::string(session_command("GET", "/element/" + element.id + "/text").as_string());
}

std::optional<std::string> WebDriver::attribute(const Element& element, const std::string& name) {
  const auto value = session_command("GET", "/element/" + element.id + "/attribute/" + name);
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return std::string(value.as_string());
  return json::serialize(value);  // a boolean attribute: "true"
}

bool WebDriver::is_enabled(const Element& element) {
  return session_command("GET", "/element/" + element.id + "/enabled").as_bool();
}

bool WebDriver::is_selected(const Element& element) {
  return session_command("GET", "/element/" + element.id + "/selected").as_bool();
}

json::value WebDriver::execute(const std::string& script, json::array args) {
  return session_command("POST", "/execute/sync",
                         json::object{{"script", script}, {"args", std::move(args)}});
}

bool WebDriver::scrolls_horizontally() {
  return execute(
             "return document.documentElement.scrollWidth > "
             "document.documentElement.clientWidth;")
      .as_bool();
}

Element WebDriver::wait_for(const std::string& css, std::chrono::milliseconds limit) {
  std::optional<Element> found;
  wait_until(
      "an element matching " + css,
      [&] {
        found = find(css);
        return found.has_value();
      },
      limit);
  return *found;
}

void WebDriver::screenshot(const fs::path& path) {
  const auto png = base64_decode(session_command("GET", "/screenshot").as_string());
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << png;
}

void WebDriver::quit() {
  if (!session_.empty()) {
    try {
      command("DELETE", "/session/" + session_);
    } catch (const std::exception&) {
      // The processes are killed below either way.
    }
    session_.clear();
  }
  stop_processes();
}

void WebDriver::stop_processes() {
  if (watchdog_pipe_ >= 0) {
    [[maybe_unused]] const auto written = ::write(watchdog_pipe_, "done\n", 5);
    ::close(watchdog_pipe_);
    watchdog_pipe_ = -1;
  }
  if (driver_pid_ > 0) {
    ::kill(-driver_pid_, SIGTERM);
    int status = 0;
    bool reaped = false;
    for (int look = 0; look < 100 && !reaped; ++look) {  // 2 s at most
      reaped = ::waitpid(driver_pid_, &status, WNOHANG) == driver_pid_;
      if (!reaped) std::this_thread::sleep_for(20ms);
    }
    ::kill(-driver_pid_, SIGKILL);  // what is left of the group: Chromium's processes
    if (!reaped) ::waitpid(driver_pid_, &status, 0);
    driver_pid_ = -1;
  }
  std::error_code ignored;
  if (!profile_.empty()) fs::remove_all(profile_, ignored);
  profile_.clear();
}

}  // namespace sparks::testing

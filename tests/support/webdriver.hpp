#pragma once
// A small W3C WebDriver client for the browser tests: it starts `chromedriver` on 127.0.0.1 and a
// free port, opens one session with headless Chromium in a profile folder of its own, and drives
// it (navigate, find by CSS, click, type, read, wait, screenshot). Both processes run in a process
// group of their own that is killed when the driver goes — and, through a watchdog, when the test
// process dies without getting there (a crash, a runner's SIGKILL). docs/testing.md says how the
// browser tests use it.
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/wait.hpp"

namespace sparks::testing {

// What the remote end refused, in its words ("no such element: …").
class WebDriverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BrowserOptions {
  std::string chromedriver = "chromedriver";  // paths, as CMake found them
  std::string chromium = "chromium";
  int width = 1280;
  int height = 900;
  // chromedriver's log goes there (the folder is created), for a failure's post-mortem.
  std::filesystem::path log_folder = std::filesystem::temp_directory_path();
};

// An element of the page, as the remote end names it; valid until the page changes.
struct Element {
  std::string id;
};

class WebDriver {
 public:
  explicit WebDriver(BrowserOptions options);
  ~WebDriver();  // quit()
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  void navigate(const std::string& url);
  std::string current_url();
  std::string title();
  void set_window_size(int width, int height);

  // The first element matching `css`, or nullopt; every match; the first one or a WebDriverError
  // naming the selector.
  std::optional<Element> find(const std::string& css);
  std::vector<Element> find_all(const std::string& css);
  Element element(const std::string& css);
  // The first link whose text is `text` exactly.
  std::optional<Element> find_link(const std::string& text);
  std::optional<Element> find_in(const Element& parent, const std::string& css);
  std::vector<Element> find_all_in(const Element& parent, const std::string& css);

  void click(const Element& element);
  void click(const std::string& css) { click(element(css)); }
  void send_keys(const Element& element, const std::string& text);
  void clear(const Element& element);
  std::string text(const Element& element);  // as rendered, whitespace collapsed
  std::string text(const std::string& css) { return text(element(css)); }
  std::optional<std::string> attribute(const Element& element, const std::string& name);
  bool is_enabled(const Element& element);
  bool is_selected(const Element& element);

  // Runs `script` (a function body; `arguments` holds `args`) in the page; its return value.
  boost::json::value execute(const std::string& script, boost::json::array args = {});
  // Whether the page is wider than the window (it would scroll sideways).
  bool scrolls_horizontally();

  // Looks at `ready()` every 100 ms until it holds, at most `limit`; WaitTimedOut names `awaited`.
  // A WebDriverError raised by `ready` (an element gone stale as the page changed) counts as
  // not ready yet.
  template <typename Ready>
  void wait_until(std::string_view awaited, Ready&& ready,
                  std::chrono::milliseconds limit = kWaitLimit) {
    poll_until(
        awaited,
        [&] {
          try {
            return static_cast<bool>(ready());
          } catch (const WebDriverError&) {
            return false;
          }
        },
        limit, std::chrono::milliseconds(100));
  }
  // Waits for an element matching `css` and returns it.
  Element wait_for(const std::string& css, std::chrono::milliseconds limit = kWaitLimit);

  // The viewport as a PNG file at `path` (its folder is created).
  void screenshot(const std::filesystem::path& path);

  // Ends the session, then the processes. Safe to call twice.
  void quit();

 private:
  boost::json::value command(const std::string& method, const std::string& path,
                             const boost::json::value& body = nullptr);
  boost::json::value session_command(const std::string& method, const std::string& path,
                                     const boost::json::value& body = nullptr);
  void start_chromedriver(const BrowserOptions& options);
  void start_watchdog();
  void wait_ready();
  void open_session(const BrowserOptions& options);
  void stop_processes();

  std::string base_url_;
  std::string session_;
  int driver_pid_ = -1;
  int watchdog_pipe_ = -1;
  std::filesystem::path profile_;
};

}  // namespace sparks::testing

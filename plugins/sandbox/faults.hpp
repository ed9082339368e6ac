#pragma once
// Faults that tests switch on through `POST /sandbox/v1/faults` (shapes in docs/sandbox.md): an
// error status or a slow answer for the next N calls of a path, refresh tokens rejected for an
// account, webhooks delayed, duplicated or reordered.
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace sparks::sandbox {

class Faults {
 public:
  // Adds one fault object ({"kind": …}); returns a reason when it is not a valid fault.
  std::optional<std::string> add(const boost::json::object& fault);
  void clear();
  boost::json::array to_json() const;

  // Each take_* consumes one occurrence of a matching fault, if any is armed.
  std::optional<int> take_http_error(const std::string& path);
  std::optional<std::chrono::milliseconds> take_slow(const std::string& path);
  std::optional<std::chrono::milliseconds> take_webhook_delay();
  bool take_webhook_duplicate();
  bool take_webhook_reorder();  // true: hold this webhook back for the reordered batch
  int webhook_reorder_remaining() const { return webhook_reorder_; }

  bool refresh_rejected(const std::string& account) const;

 private:
  struct PathFault {
    std::string path;
    int status = 0;                     // http_error
    std::chrono::milliseconds delay{};  // slow
    int remaining = 0;
  };
  std::vector<PathFault> http_errors_, slow_;
  std::set<std::string> refresh_rejected_;
  std::chrono::milliseconds webhook_delay_{};
  int webhook_delay_remaining_ = 0;
  int webhook_duplicate_ = 0;
  int webhook_reorder_ = 0;
};

}  // namespace sparks::sandbox

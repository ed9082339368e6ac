#pragma once
// A timer on a workspace strand that can be re-armed or cancelled without a stale expiry ever
// running: cancel() cannot stop a handler that is already queued on the strand, so each arming
// gets a generation and a handler from an older one does nothing.
#include <boost/asio/strand.hpp>
#include <boost/asio/system_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "sparks/engine.hpp"

namespace sparks::runtime {

class StrandTimer {
 public:
  // `fire` runs on `strand` at `deadline`, unless arm() or cancel() is called first.
  void arm(const boost::asio::strand<boost::asio::any_io_executor>& strand,
           Clock::time_point deadline, std::function<void()> fire) {
    if (!timer_) timer_ = std::make_unique<boost::asio::system_timer>(strand);
    deadline_ = deadline;
    timer_->expires_at(deadline);
    timer_->async_wait([armed = ++*generation_, generation = generation_,
                        fire = std::move(fire)](boost::system::error_code ec) {
      if (ec || *generation != armed) return;
      fire();
    });
  }

  void cancel() {
    ++*generation_;
    deadline_.reset();
    if (timer_) timer_->cancel();
  }

  // The pending deadline; `fire` should call expired() when it no longer is.
  const std::optional<Clock::time_point>& deadline() const { return deadline_; }
  void expired() { deadline_.reset(); }

 private:
  std::unique_ptr<boost::asio::system_timer> timer_;
  // Shared with queued handlers, which may run after this timer was re-armed or destroyed.
  std::shared_ptr<std::uint64_t> generation_ = std::make_shared<std::uint64_t>(0);
  std::optional<Clock::time_point> deadline_;
};

}  // namespace sparks::runtime

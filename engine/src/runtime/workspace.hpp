#pragma once
// One workspace's live state. Touched only on the workspace's strand: that ordering is the whole
// concurrency story of the domain code, so there are no locks here.
#include <boost/asio/strand.hpp>
#include <boost/asio/system_timer.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lifecycle/machine.hpp"
#include "sparks/engine.hpp"

namespace sparks::runtime {

struct Integration {
  IntegrationKey key;
  lifecycle::Instance machine;
  std::vector<IssueView> issues;  // as stored; updated after each commit
  // The pending `after:` time-out of the current state, persisted with the transition that
  // entered it. `timer_generation` tells a stale timer callback from the current one.
  std::optional<Clock::time_point> deadline;
  std::unique_ptr<boost::asio::system_timer> timer;
  std::uint64_t timer_generation = 0;
};

struct Workspace {
  explicit Workspace(std::string workspace_id, const boost::asio::any_io_executor& executor)
      : id(std::move(workspace_id)), strand(boost::asio::make_strand(executor)) {}

  std::string id;
  boost::asio::strand<boost::asio::any_io_executor> strand;
  std::map<std::string, Integration, std::less<>> integrations;  // by platform
};

}  // namespace sparks::runtime

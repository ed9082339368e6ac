#pragma once
// One inbound event on its way from the webhook (or a plugin) to its workspace: its row as stored
// and its payload parsed once.
#include <boost/json/object.hpp>
#include <optional>

#include "flows/planner.hpp"
#include "store/event_log_store.hpp"

namespace sparks::inbound {

struct Arrival {
  store::EventRow row;
  boost::json::object payload;
  bool stored = false;  // false: a copy of an event stored before
  // To be acted on: a new event, or a redelivered copy of one stored but not handled yet (the
  // process stopped before it was).
  bool act = false;
  // Where several instances share the store, an event whose account this instance has not routed
  // arrives with no workspace yet: the store says which workspace holds `account`.
  std::string account;
  // What it does, planned as it arrived (Engine::Impl::plan_on_arrival): written with the event,
  // which is then handled.
  std::optional<flows::Plan> plan;
};

}  // namespace sparks::inbound

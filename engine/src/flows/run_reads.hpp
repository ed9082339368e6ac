#pragma once
// What running flows for one trigger event reads from the store, in one go. It is read in the same
// transaction that stores an arriving event (inbound/webhooks.cpp), or on its own for an event that
// comes back later (held while paused, an order once looked up).
#include <boost/json/object.hpp>
#include <vector>

#include "flows/capabilities.hpp"
#include "store/transaction.hpp"

namespace sparks::flows {

struct RunReads {
  std::vector<store::LiveFlowRow> flows;  // the workspace's live flows
  bool anyone_listens = false;            // one of them listens to the event's trigger
  // Read only when someone listens:
  store::ContactFacts contact;
  bool commented_before = false;  // the event's user commented on its video before
  std::vector<store::CatalogSkuRow> catalog;
};

// `kind` is what the event's trigger is (its plugin's descriptor says).
RunReads read_for_run(store::Transaction& tx, const store::EventRow& event,
                      const boost::json::object& payload, TriggerKind kind);

}  // namespace sparks::flows

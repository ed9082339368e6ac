#pragma once
// What running flows for one trigger event reads from the store, in one go, on the reader's
// connection once the event is stored (flows/runner.cpp), or for a dry run (flows/dry_run.cpp).
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

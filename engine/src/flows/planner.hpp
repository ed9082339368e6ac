#pragma once
// What a trigger event does, decided without I/O: the workspace's live flows are tried by priority,
// the first that matches runs and every other one records why it did not, and the winner's actions
// become outbox steps — due now, or later after a `wait`, or recorded as skipped with the reason
// (a scope not granted, a platform not connected, a SKU not in the catalog, an action the account
// cannot use, a message the platform's messaging window does not allow). A skipped step's
// `otherwise:` step is planned in its place. The runner (runner.cpp) gathers the inputs from the
// store and writes the plan in one batch.
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flows/capabilities.hpp"
#include "flows/flow_definition.hpp"
#include "flows/matching.hpp"
#include "store/event_log_store.hpp"
#include "store/flow_run_store.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks::flows {

struct LiveFlow {
  std::shared_ptr<const FlowDefinition> definition;  // never null; shared with the workspace's
                                                     // cache (definition_cache.hpp)
  std::int64_t version = 1;
};

// What one of the workspace's integrations can do right now.
struct PlatformFacts {
  bool live = false;  // its lifecycle state means live
  std::vector<std::string> granted_scopes;
  // Actions the platform will not perform for this account, with why (its account says so:
  // Business Messaging not offered where the account is registered, say).
  std::map<std::string, std::string, std::less<>> unavailable;
};

struct PlanInputs {
  const store::EventRow& event;
  const boost::json::object& payload;
  const std::vector<LiveFlow>& flows;  // every live flow of the workspace, in any order
  store::ContactFacts contact;
  bool commented_before = false;  // the event's user commented on its video before
  std::vector<runtime::CatalogItem> catalog;
  const std::map<std::string, PlatformFacts, std::less<>>& platforms;  // by platform id
  const Capabilities& capabilities;
  Clock::time_point now;
};

struct Plan {
  std::int64_t event_id = 0;                               // event_log.id of the trigger
  std::vector<store::FlowRunRow> runs;                     // one per flow tried, or one "none"
  std::vector<std::pair<std::string, std::string>> stats;  // (flow, counter) to add one to
  std::vector<store::OutboxRow> steps;
  std::vector<store::InboxMessageRow> skipped_dms;  // DMs not sent, shown in the inbox as such
};

Plan plan_run(const PlanInputs& inputs);

// The plan of an event no flow takes, when that needs nothing read: no live flow listens to it, or
// each that does refuses it on what its payload says (another video, no keyword) or for a scope
// not granted. nullopt when any flow needs the contact, its history or the catalog to decide (the
// inputs' contact, commented_before and catalog are not looked at). The same plan plan_run makes.
std::optional<Plan> plan_without_reads(const PlanInputs& inputs);

}  // namespace sparks::flows

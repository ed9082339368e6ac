#include "flows/run_reads.hpp"

#include <algorithm>

#include <sparks/json_fields.hpp>

namespace sparks::flows {

RunReads read_for_run(store::Transaction& tx, const store::EventRow& event,
                      const boost::json::object& payload, TriggerKind kind) {
  RunReads reads;
  reads.flows = tx.live_flows(event.workspace_id);
  // A cheap look at the stored JSON; the planner parses and checks the flows properly.
  const std::string on = "\"on\":\"" + event.kind + "\"";
  reads.anyone_listens = std::any_of(reads.flows.begin(), reads.flows.end(), [&](const auto& f) {
    return f.definition.find(on) != std::string::npos;
  });
  if (!reads.anyone_listens) return reads;
  const auto user = json_fields::text(payload, "user");
  reads.contact = tx.contact_facts(event.workspace_id, user);
  if (kind == TriggerKind::comment)
    reads.commented_before = tx.commented_before(event.workspace_id, user,
                                                 json_fields::text(payload, "video_id"), event.id);
  reads.catalog = tx.load_catalog(event.workspace_id);
  return reads;
}

}  // namespace sparks::flows

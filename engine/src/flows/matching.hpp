#pragma once
// Does a flow start for this event? Pure functions over the flow's trigger options and conditions,
// the event's payload and what the engine knows about the contact, so every rule is tested without
// a store or a clock.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "flows/flow_definition.hpp"
#include "sparks/engine.hpp"

namespace sparks::runtime {

struct CatalogItem {
  std::string seller_sku, title, price, currency, product_id;
  std::string url = {};  // the product's page, from its connector
};

// What a trigger is matched against besides its payload.
struct MatchFacts {
  std::vector<std::string> contact_tags;
  boost::json::object contact_fields;
  std::optional<Clock::time_point> last_dm_to_contact;  // the last DM a flow sent this contact
  bool first_comment_on_video = false;                  // the user never commented on it before
  std::vector<CatalogItem> catalog;
  Clock::time_point now;
};

struct Match {
  bool matched = false;
  // Only from match_on_payload: the event passed every rule its payload decides, and the next
  // needs the facts (or it would match): the flow has to be matched with them.
  bool needs_facts = false;
  std::string why_not;                   // when not matched: the first rule that failed
  std::optional<CatalogItem> mentioned;  // a catalog SKU the comment names
};

// The options that apply are those of the flow's trigger kind (flow.trigger.kind), over the
// normalized payload of that kind (sparks/plugin.h).
Match match_flow(const flows::FlowDefinition& flow, std::string_view trigger,
                 const boost::json::object& payload, const MatchFacts& facts);

// The same rules in the same order, as far as the payload alone decides: a refusal (with the same
// `why_not` match_flow gives) when a rule the payload decides fails before any that needs the
// facts; otherwise `needs_facts`. What lets an event that no flow takes be planned without reads.
Match match_on_payload(const flows::FlowDefinition& flow, std::string_view trigger,
                       const boost::json::object& payload);

// The SKU named in `text`, case-insensitively, if any.
std::optional<CatalogItem> mentioned_sku(std::string_view text,
                                         const std::vector<CatalogItem>& catalog);

}  // namespace sparks::runtime

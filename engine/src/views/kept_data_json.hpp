#pragma once
// What a workspace kept, in the shapes the API serves (docs/embedding.md lists them). The store
// hands back rows; presenting them is the views' job.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "store/workspace_data_store.hpp"

namespace sparks::runtime {

boost::json::array contacts_json(const std::vector<store::ContactRow>& contacts);
// Conversations, newest activity first, each with its messages oldest first.
boost::json::array conversations_json(const std::vector<store::InboxMessageRow>& messages);
boost::json::array orders_json(const std::vector<store::StoredOrderRow>& orders);
// {"flows": [{flow_id, counters: {name: value}}], "totals": {name: value}}
boost::json::object analytics_json(const std::vector<store::FlowStatRow>& stats);

}  // namespace sparks::runtime

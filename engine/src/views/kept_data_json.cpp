#include "views/kept_data_json.hpp"

#include <algorithm>
#include <map>
#include <string>

#include <sparks/json_fields.hpp>

namespace sparks::runtime {
namespace {

boost::json::value text_or_null(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}

}  // namespace

boost::json::array contacts_json(const std::vector<store::ContactRow>& contacts) {
  boost::json::array out;
  for (const auto& c : contacts)
    out.push_back({{"user", c.user_id},
                   {"username", c.username},
                   {"tags", json_fields::parse_or_null(c.tags)},
                   {"fields", json_fields::parse_or_null(c.fields)},
                   {"first_seen_ms", c.first_seen_ms},
                   {"last_seen_ms", c.last_seen_ms}});
  return out;
}

boost::json::array conversations_json(const std::vector<store::InboxMessageRow>& messages) {
  std::map<std::string, boost::json::object> by_conversation;
  std::vector<std::string> order;  // by latest activity
  for (const auto& m : messages) {
    auto [it, fresh] = by_conversation.try_emplace(m.conversation_id);
    if (fresh) {
      it->second["conversation_id"] = m.conversation_id;
      it->second["user"] = m.user_id;
      it->second["messages"] = boost::json::array();
    }
    std::erase(order, m.conversation_id);
    order.push_back(m.conversation_id);
    it->second["last_at_ms"] = m.at_ms;
    it->second["messages"].as_array().push_back(
        {{"direction", m.direction},
         {"text", m.text},
         {"status", m.status},
         {"flow_id", text_or_null(m.flow_id)},
         {"message_id", text_or_null(m.platform_message_id)},
         {"skus", json_fields::parse_or_null(m.skus)},
         {"at_ms", m.at_ms}});
  }
  boost::json::array out;
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    out.push_back(std::move(by_conversation[*it]));
  return out;
}

boost::json::array orders_json(const std::vector<store::StoredOrderRow>& orders) {
  boost::json::array out;
  for (const auto& o : orders)
    out.push_back({{"order_id", o.order_id},
                   {"status", o.status},
                   {"buyer", text_or_null(o.buyer_user_id)},
                   {"total", text_or_null(o.total)},
                   {"currency", text_or_null(o.currency)},
                   {"line_items", json_fields::parse_or_null(o.line_items)},
                   {"attributed", o.flow_id.has_value()},
                   {"flow_id", text_or_null(o.flow_id)},
                   {"conversation_id", text_or_null(o.conversation_id)},
                   {"attributed_by", text_or_null(o.attribution_method)},
                   {"created_at_ms", o.created_at_ms},
                   {"updated_at_ms", o.updated_at_ms}});
  return out;
}

boost::json::object analytics_json(const std::vector<store::FlowStatRow>& stats) {
  boost::json::array flows;
  boost::json::object totals;
  for (const auto& s : stats) {
    if (flows.empty() || flows.back().at("flow_id").as_string() != s.flow_id)
      flows.push_back({{"flow_id", s.flow_id}, {"counters", boost::json::object()}});
    flows.back().as_object()["counters"].as_object()[s.counter] = s.value;
    totals[s.counter] = (totals.contains(s.counter) ? totals[s.counter].as_int64() : 0) + s.value;
  }
  return {{"flows", std::move(flows)}, {"totals", std::move(totals)}};
}

}  // namespace sparks::runtime

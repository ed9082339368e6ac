#pragma once
// What every backend does the same way, whatever its SQL: the tables that hold a workspace's rows
// (closing a workspace empties them all), and how a contact's tags change.
#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sparks/json_fields.hpp>
#include "store/page.hpp"

namespace sparks::store {

inline constexpr std::array<const char*, 21> kWorkspaceTables = {"integrations",
                                                                 "lifecycle_transitions",
                                                                 "lifecycle_timers",
                                                                 "integration_issues",
                                                                 "automation_requirements",
                                                                 "automations",
                                                                 "credentials",
                                                                 "event_log",
                                                                 "oauth_sessions",
                                                                 "audit_log",
                                                                 "integration_facts",
                                                                 "flow_versions",
                                                                 "catalog_skus",
                                                                 "posts",
                                                                 "contacts",
                                                                 "inbox_messages",
                                                                 "orders",
                                                                 "flow_stats",
                                                                 "outbox",
                                                                 "flow_runs",
                                                                 "video_commenters"};

// The stored tags (a JSON array of names) with `add` added once each and `remove` taken away.
inline std::string tags_changed(const std::string& tags_json, const std::vector<std::string>& add,
                                const std::vector<std::string>& remove) {
  auto tags = json_fields::strings(json_fields::parse_or_null(tags_json));
  for (const auto& t : add)
    if (std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(t);
  std::erase_if(tags, [&](const std::string& t) {
    return std::find(remove.begin(), remove.end(), t) != remove.end();
  });
  boost::json::array json;
  for (const auto& t : tags) json.emplace_back(t);
  return boost::json::serialize(json);
}

// A page's queries take "is there a key to start after" as a number (1 or 0), so that one statement
// serves the first page and the next ones: `(? = 0 OR <after the key>)`.
inline std::int64_t has_after(const PageRequest& page) {
  return page.after ? 1 : 0;
}
inline PageKey after_key(const PageRequest& page) {
  return page.after.value_or(PageKey{});
}

// The outbox steps of one run share this beginning of their idempotency keys, which planned steps
// are given as "event:<event id>:<flow id>:<step>" (flows/planner.cpp); the keys of the run are
// those from the first string up to (not including) the second.
inline std::pair<std::string, std::string> run_step_keys(std::int64_t event_id,
                                                         std::string_view flow_id) {
  std::string from = "event:" + std::to_string(event_id) + ":" + std::string(flow_id) + ":";
  std::string to = from;
  to.back() = ':' + 1;
  return {std::move(from), std::move(to)};
}

}  // namespace sparks::store

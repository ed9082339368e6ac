#include "integrations/card.hpp"

#include <boost/json.hpp>
#include <ctime>

#include <sparks/json_fields.hpp>
#include "integrations/issue_texts.hpp"

namespace sparks::runtime {

namespace {

boost::json::value time_or_null(const std::optional<Clock::time_point>& t) {
  return t ? boost::json::value(rfc3339(*t)) : boost::json::value(nullptr);
}

}  // namespace

void describe_state(CardFacts& facts, const lifecycle::Machine& machine, lifecycle::StateId state) {
  facts.state = machine.state_name(state);
  facts.look = machine.card(state);
  facts.live = machine.means(state, lifecycle::Meaning::live);
}

std::string_view status_text(const lifecycle::Machine& machine, lifecycle::StateId state) {
  return machine.card(state).status;
}

std::string_view dot_colour(const lifecycle::Machine& machine, lifecycle::StateId state,
                            bool ever_connected) {
  return lifecycle::name_of(machine.card(state).dot_for(ever_connected));
}

std::string rfc3339(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

boost::json::object make_card(const CardFacts& facts, Clock::time_point now) {
  boost::json::object card;
  card["platform"] = facts.platform;
  card["state"] = facts.state;
  card["status"] = facts.look.status;
  card["dot"] = lifecycle::name_of(facts.look.dot_for(facts.ever_connected));
  card["account"] =
      facts.account ? boost::json::value(*facts.account) : boost::json::value(nullptr);
  card["granted_scopes"] = json_fields::array_of(facts.granted_scopes);
  card["missing_scopes"] = json_fields::array_of(facts.missing_scopes);
  card["last_sync"] = time_or_null(facts.last_sync);
  card["reauthorizing"] = facts.reauthorizing;

  // Receiving: an event arrived since the integration went live. Waiting: none yet, counted from
  // going live — or from activity that the platform's API showed but no webhook reported.
  std::optional<Clock::time_point> waiting_since;
  if (facts.live) {
    const bool received =
        facts.last_webhook && facts.connected_at && *facts.last_webhook >= *facts.connected_at;
    if (!received) waiting_since = facts.connected_at;
    if (facts.unreported_activity &&
        (!facts.last_webhook || *facts.last_webhook < *facts.unreported_activity))
      waiting_since = waiting_since ? std::min(*waiting_since, *facts.unreported_activity)
                                    : *facts.unreported_activity;
  }
  card["webhook"] = waiting_since || !facts.live ? "waiting" : "receiving";
  card["webhook_waiting_since"] = time_or_null(waiting_since);

  boost::json::array issues;
  for (const auto& issue : facts.issues)
    issues.push_back({{"code", issue.code},
                      {"message", issue.message},
                      {"troubleshooting", issue.troubleshooting}});
  // What the platform will not do for this account (its region, its type): flows' steps that need
  // it are skipped with the same words.
  if (facts.account)
    if (const auto* list = facts.account->if_contains("unavailable"); list && list->is_array())
      for (const auto& item : list->get_array()) {
        if (!item.is_object()) continue;
        const auto action = json_fields::text(item.get_object(), "action");
        issues.push_back({{"code", "action_unavailable"},
                          {"message", json_fields::text(item.get_object(), "reason") + " (flows' " +
                                          action + " steps are skipped)"},
                          {"troubleshooting", "Troubleshooting → What TikTok offers where"}});
      }
  if (waiting_since && now - *waiting_since >= kWebhookPatience)
    issues.push_back(
        {{"code", "webhook_waiting"},
         {"message", "No webhook event from " + facts.platform_name + " for over 10 minutes"},
         {"troubleshooting", "Troubleshooting → Webhook not receiving"}});
  card["issues"] = std::move(issues);
  return card;
}

}  // namespace sparks::runtime

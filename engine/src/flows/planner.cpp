#include "flows/planner.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <optional>

#include <sparks/json_fields.hpp>
#include "flows/flow_loader.hpp"
#include "flows/steps.hpp"

namespace sparks::flows {

namespace json = boost::json;
using json_fields::strings;
using json_fields::text;

namespace {

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The template variables of the event: the contact's, and those its trigger declares.
json::object event_variables(const PlanInputs& in, const std::string& user) {
  json::object contact{{"user", user},
                       {"username", in.contact.username.empty() ? text(in.payload, "username")
                                                                : in.contact.username},
                       {"tags", json_fields::parse_or_null(in.contact.tags)}};
  return runtime::event_variables(in.capabilities.trigger(in.event.kind), in.payload,
                                  std::move(contact));
}

runtime::MatchFacts match_facts(const PlanInputs& in) {
  runtime::MatchFacts facts;
  facts.contact_tags = strings(json_fields::parse_or_null(in.contact.tags));
  if (auto fields = json_fields::parse_or_null(in.contact.fields); fields.is_object())
    facts.contact_fields = fields.get_object();
  if (in.contact.last_dm_ms)
    facts.last_dm_to_contact = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::milliseconds(*in.contact.last_dm_ms)));
  facts.first_comment_on_video = !in.commented_before;
  facts.catalog = in.catalog;
  facts.now = in.now;
  return facts;
}

bool granted(const PlanInputs& in, const std::string& platform, const std::string& scope) {
  if (scope.empty()) return true;
  auto it = in.platforms.find(platform);
  if (it == in.platforms.end()) return false;
  const auto& scopes = it->second.granted_scopes;
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

struct Winner {
  const LiveFlow* flow = nullptr;
  runtime::Match match;
};

// Tries the flows that listen to the event, by priority; the first that matches wins.
Winner try_flows(const PlanInputs& in, const runtime::MatchFacts& facts, Plan& plan) {
  const auto& event = in.event;
  const auto now_ms = to_ms(in.now);
  std::vector<const LiveFlow*> candidates;
  for (const auto& f : in.flows)
    if (f.definition.trigger.on == event.kind) candidates.push_back(&f);
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto* a, const auto* b) {
    return std::tie(a->definition.priority, a->definition.id) <
           std::tie(b->definition.priority, b->definition.id);
  });
  if (candidates.empty()) {
    plan.runs.push_back({event.workspace_id, event.id, "", 0, "skipped",
                         "no live flow listens to " + event.kind, now_ms});
    return {};
  }

  const auto* trigger = in.capabilities.trigger(event.kind);
  const std::string trigger_scope = trigger ? trigger->scope : "";
  const bool trigger_granted = granted(in, event.platform, trigger_scope);
  Winner winner;
  for (const auto* candidate : candidates) {
    // The trigger's kind decides which options apply: the loaded descriptor's, whatever was stored.
    FlowDefinition flow = candidate->definition;
    if (trigger) flow.trigger.kind = trigger->kind;
    auto run = [&](std::string outcome, std::string reason) {
      plan.runs.push_back({event.workspace_id, event.id, flow.id, candidate->version,
                           std::move(outcome), std::move(reason), now_ms});
    };
    if (!trigger_granted) {
      run("skipped", "missing scope " + trigger_scope);
      continue;
    }
    auto match = runtime::match_flow(flow, event.kind, in.payload, facts);
    if (!match.matched) {
      run("skipped", match.why_not);
      continue;
    }
    if (winner.flow) {
      run("skipped", "another flow matched first: " + winner.flow->definition.id);
      plan.stats.emplace_back(flow.id, "skipped:another_flow_matched");
      continue;
    }
    winner = {candidate, match};
    run("ran", "");
    plan.stats.emplace_back(flow.id, "triggered");
  }
  return winner;
}

// One outbox step of the winner's action `index`, or the reason it cannot be sent.
store::OutboxRow plan_step(const PlanInputs& in, const Winner& winner, std::size_t index,
                           std::int64_t due, const json::object& vars) {
  const auto& flow = winner.flow->definition;
  const auto& action = flow.actions[index];
  const auto* info = in.capabilities.action(action.name);
  const std::string user = text(in.payload, "user");
  store::OutboxRow step;
  step.workspace_id = in.event.workspace_id;
  step.platform = info ? info->platform : "";
  step.action = action.name;
  step.idempotency_key =
      "event:" + std::to_string(in.event.id) + ":" + flow.id + ":" + std::to_string(index);
  step.flow_id = flow.id;
  step.flow_version = winner.flow->version;
  step.user_id = user;
  step.due_at_ms = due;
  step.created_at_ms = to_ms(in.now);

  std::optional<runtime::CatalogItem> product = winner.match.mentioned;
  if (const auto* p = action.params.if_contains("product"); p && p->is_object()) {
    product.reset();
    const auto sku = text(p->get_object(), "seller_sku");
    for (const auto& item : in.catalog)
      if (item.seller_sku == sku) product = item;
    if (!product) {
      step.status = "skipped";
      step.last_error = "SKU " + sku + " is not in the synced catalog";
    }
  }
  auto step_vars = vars;
  if (product) step_vars["product"] = runtime::product_variables(*product);

  // contact.tag is the engine's; a plugin's action gets the flow's params, rendered, and the
  // defaults its descriptor declares.
  json::object params;
  if (action.name == "contact.tag") {
    const auto list = [&](const char* key) {
      return action.params.contains(key) ? action.params.at(key) : json::value(json::array());
    };
    params = {{"add", list("add")}, {"remove", list("remove")}};
  } else if (!info) {
    step.status = "skipped";
    step.last_error = "no loaded plugin offers " + action.name;
  } else {
    params = runtime::action_params(*info, action.params, step_vars, product);
  }
  step.params = json::serialize(params);

  // A step on a platform that cannot take it is recorded, not sent.
  if (step.status == "pending" && info && !info->is_engine()) {
    auto target = in.platforms.find(info->platform);
    if (target == in.platforms.end() || !target->second.live) {
      step.status = "skipped";
      step.last_error = info->platform + " is not connected";
    } else if (!granted(in, info->platform, info->scope)) {
      step.status = "skipped";
      step.last_error = "missing scope " + info->scope;
    }
  }
  return step;
}

}  // namespace

Plan plan_run(const PlanInputs& in) {
  Plan plan;
  const auto facts = match_facts(in);
  const Winner winner = try_flows(in, facts, plan);
  if (!winner.flow) return plan;

  const std::string user = text(in.payload, "user");
  const auto vars = event_variables(in, user);
  const auto& flow = winner.flow->definition;
  std::int64_t due = to_ms(in.now);
  for (std::size_t i = 0; i < flow.actions.size(); ++i) {
    const auto& action = flow.actions[i];
    if (action.name == "wait") {
      if (auto d = parse_duration(text(action.params, "for"))) due += d->count() * 1000;
      continue;
    }
    auto step = plan_step(in, winner, i, due, vars);
    if (step.status == "skipped") {
      plan.stats.emplace_back(flow.id, "skipped:" + *step.last_error);
      // A message to the contact that is not sent still shows in the inbox, as not sent.
      if (const auto* info = in.capabilities.action(action.name);
          info && info->kind == ActionKind::message) {
        const auto params = json_fields::parse_or_null(step.params);
        plan.skipped_dms.push_back({in.event.workspace_id, "user:" + user, user, "out",
                                    text(params.as_object(), "text"),
                                    "skipped: " + *step.last_error, flow.id, std::nullopt,
                                    json::serialize(params.at("skus")), to_ms(in.now)});
      }
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

}  // namespace sparks::flows

#include "flows/planner.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <optional>

#include <sparks/json_fields.hpp>
#include "flows/attribution_code.hpp"
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
  bool needs_facts = false;  // `facts` was null and a flow needs them to decide
};

// Tries the flows that listen to the event, by priority; the first that matches wins. With no
// `facts`, as far as the payload decides (plan_without_reads).
Winner try_flows(const PlanInputs& in, const runtime::MatchFacts* facts, Plan& plan) {
  const auto& event = in.event;
  const auto now_ms = to_ms(in.now);
  std::vector<const LiveFlow*> candidates;
  for (const auto& f : in.flows)
    if (f.definition->trigger.on == event.kind) candidates.push_back(&f);
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto* a, const auto* b) {
    return std::tie(a->definition->priority, a->definition->id) <
           std::tie(b->definition->priority, b->definition->id);
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
    // The trigger's kind decides which options apply: the loaded descriptor's, whatever was stored
    // (a copy only when they differ: the definition is shared, and copied it costs allocations).
    std::optional<FlowDefinition> adjusted;
    if (trigger && candidate->definition->trigger.kind != trigger->kind) {
      adjusted = *candidate->definition;
      adjusted->trigger.kind = trigger->kind;
    }
    const FlowDefinition& flow = adjusted ? *adjusted : *candidate->definition;
    auto run = [&](std::string outcome, std::string reason) {
      plan.runs.push_back({event.workspace_id, event.id, flow.id, candidate->version,
                           std::move(outcome), std::move(reason), now_ms});
    };
    if (!trigger_granted) {
      run("skipped", "missing scope " + trigger_scope);
      continue;
    }
    auto match = facts ? runtime::match_flow(flow, event.kind, in.payload, *facts)
                       : runtime::match_on_payload(flow, event.kind, in.payload);
    if (match.needs_facts) {
      Winner undecided;
      undecided.needs_facts = true;
      return undecided;
    }
    if (!match.matched) {
      run("skipped", match.why_not);
      continue;
    }
    if (winner.flow) {
      run("skipped", "another flow matched first: " + winner.flow->definition->id);
      plan.stats.emplace_back(flow.id, "skipped:another_flow_matched");
      continue;
    }
    winner = {candidate, match};
    run("ran", "");
    plan.stats.emplace_back(flow.id, "triggered");
  }
  return winner;
}

// What the messages planned for one event have used of the platform's messaging rules.
struct MessageBudget {
  bool reply_used = false;  // the one reply a reply-granting trigger allows
  int sent = 0;             // messages planned in the person's open window
};

// A step that is not sent: the reason (the step's last_error) and the counter it adds to
// (analytics' skipped:<code>).
struct Skip {
  std::string code, reason;
};

// Whether the platform's messaging rules let this message reach the contact now (docs/flows.md,
// "Messaging rules"), filling the action's reply or conversation parameter; or why not.
std::optional<Skip> route_message(const PlanInputs& in, const ActionInfo& info,
                                  MessageBudget& budget, json::object& params) {
  const auto& window = info.window;
  const auto* trigger = in.capabilities.trigger(in.event.kind);
  if (trigger && !trigger->reply_field.empty() && !window.reply_param.empty() &&
      !budget.reply_used) {
    if (auto answered = text(in.payload, trigger->reply_field); !answered.empty()) {
      params[window.reply_param] = std::move(answered);
      budget.reply_used = true;
      return std::nullopt;
    }
  }
  const auto& contact = in.contact;
  const auto hours = std::to_string(window.hours);
  const std::int64_t window_ms = std::int64_t{window.hours} * 3'600'000;
  if (!contact.last_inbound_ms || *contact.last_inbound_ms < to_ms(in.now) - window_ms)
    return Skip{"no_open_conversation",
                "no open conversation: the platform delivers a business's message only within " +
                    hours + " h after the person last wrote to the account"};
  if (window.messages > 0 && contact.sent_since_inbound + budget.sent >= window.messages)
    return Skip{"conversation_window_full",
                "conversation window used up: at most " + std::to_string(window.messages) +
                    " messages within " + hours + " h of the person's last message"};
  if (!window.conversation_param.empty() && contact.conversation_id)
    params[window.conversation_param] = *contact.conversation_id;
  ++budget.sent;
  return std::nullopt;
}

// One outbox step for `action` of the winner (its `key` tells it apart within the event), or the
// reason it cannot be sent.
std::pair<store::OutboxRow, std::optional<Skip>> plan_step(
    const PlanInputs& in, const Winner& winner, const ActionSpec& action, const std::string& key,
    std::int64_t due, const json::object& vars, MessageBudget& budget) {
  const auto& flow = *winner.flow->definition;
  const auto* info = in.capabilities.action(action.name);
  const std::string user = text(in.payload, "user");
  store::OutboxRow step;
  step.workspace_id = in.event.workspace_id;
  step.platform = info ? info->platform : "";
  step.action = action.name;
  step.idempotency_key = "event:" + std::to_string(in.event.id) + ":" + flow.id + ":" + key;
  step.flow_id = flow.id;
  step.flow_version = winner.flow->version;
  step.user_id = user;
  step.due_at_ms = due;
  step.created_at_ms = to_ms(in.now);
  std::optional<Skip> skip;
  auto skipped = [&](std::string reason) { skip = Skip{reason, reason}; };

  std::optional<runtime::CatalogItem> product = winner.match.mentioned;
  if (const auto* p = action.params.if_contains("product"); p && p->is_object()) {
    product.reset();
    const auto sku = text(p->get_object(), "seller_sku");
    for (const auto& item : in.catalog)
      if (item.seller_sku == sku) product = item;
    if (!product) skipped("SKU " + sku + " is not in the synced catalog");
  }
  auto step_vars = vars;
  if (product) step_vars["product"] = runtime::product_variables(*product);
  if (info && info->kind == ActionKind::message)
    step_vars["attribution"] =
        json::object{{"code", attribution_code(step.workspace_id, step.idempotency_key)}};

  // contact.tag is the engine's; a plugin's action gets the flow's params, rendered, and the
  // defaults its descriptor declares.
  json::object params;
  if (action.name == "contact.tag") {
    const auto list = [&](const char* key) {
      return action.params.contains(key) ? action.params.at(key) : json::value(json::array());
    };
    params = {{"add", list("add")}, {"remove", list("remove")}};
  } else if (!info) {
    skipped("no loaded plugin offers " + action.name);
  } else {
    params = runtime::action_params(*info, action.params, step_vars, product);
  }

  // A step on a platform that cannot take it is recorded, not sent.
  if (!skip && info && !info->is_engine()) {
    auto target = in.platforms.find(info->platform);
    if (target == in.platforms.end() || !target->second.live) {
      skipped(info->platform + " is not connected");
    } else if (!granted(in, info->platform, info->scope)) {
      skipped("missing scope " + info->scope);
    } else if (auto why = target->second.unavailable.find(info->name);
               why != target->second.unavailable.end()) {
      skip = Skip{"unavailable", "unavailable for this account: " + why->second};
    } else if (info->kind == ActionKind::message && info->window.hours > 0) {
      skip = route_message(in, *info, budget, params);
    }
  }
  step.params = json::serialize(params);
  if (skip) {
    step.status = "skipped";
    step.last_error = skip->reason;
  }
  return {std::move(step), std::move(skip)};
}

// The step a flow names to run when `action` is skipped: `otherwise: {name: {params}}`.
std::optional<ActionSpec> otherwise_of(const ActionSpec& action) {
  const auto* otherwise = action.params.if_contains("otherwise");
  if (!otherwise || !otherwise->is_object() || otherwise->get_object().size() != 1)
    return std::nullopt;
  const auto& [name, params] = *otherwise->get_object().begin();
  return ActionSpec{std::string(name), params.is_object() ? params.get_object() : json::object()};
}

}  // namespace

Plan plan_run(const PlanInputs& in) {
  Plan plan;
  plan.event_id = in.event.id;
  const auto facts = match_facts(in);
  const Winner winner = try_flows(in, &facts, plan);
  if (!winner.flow) return plan;

  const std::string user = text(in.payload, "user");
  const auto vars = event_variables(in, user);
  const auto& flow = *winner.flow->definition;
  std::int64_t due = to_ms(in.now);
  MessageBudget budget;
  // Plans `action`; a skipped one is recorded, and its `otherwise:` step planned in its place.
  auto plan_action = [&](const ActionSpec& action, const std::string& key, auto& self) -> void {
    auto [step, skip] = plan_step(in, winner, action, key, due, vars, budget);
    if (skip) {
      plan.stats.emplace_back(flow.id, "skipped:" + skip->code);
      // A message to the contact that is not sent still shows in the inbox, as not sent.
      if (const auto* info = in.capabilities.action(action.name);
          info && info->kind == ActionKind::message) {
        const auto params = json_fields::parse_or_null(step.params);
        const auto* skus = params.is_object() ? params.get_object().if_contains("skus") : nullptr;
        plan.skipped_dms.push_back(
            {in.event.workspace_id, "user:" + user, user, "out",
             params.is_object() ? text(params.get_object(), "text") : std::string(),
             "skipped: " + *step.last_error, flow.id, std::nullopt,
             skus ? json::serialize(*skus) : std::string("[]"), to_ms(in.now)});
      }
    }
    plan.steps.push_back(std::move(step));
    if (skip)
      if (auto otherwise = otherwise_of(action)) self(*otherwise, key + ":otherwise", self);
  };
  for (std::size_t i = 0; i < flow.actions.size(); ++i) {
    const auto& action = flow.actions[i];
    if (action.name == "wait") {
      if (auto d = parse_duration(text(action.params, "for"))) due += d->count() * 1000;
      continue;
    }
    plan_action(action, std::to_string(i), plan_action);
  }
  return plan;
}

std::optional<Plan> plan_without_reads(const PlanInputs& in) {
  Plan plan;
  plan.event_id = in.event.id;
  if (try_flows(in, nullptr, plan).needs_facts) return std::nullopt;
  return plan;
}

}  // namespace sparks::flows

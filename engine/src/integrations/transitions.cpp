// The lifecycle core. An event is fired on its workspace's strand, the compiled machine moves the
// integration's Instance, and the transition with every effect its actions recorded goes to the
// store writer as one batch; the caller hears back once it is committed, and the follow-ups
// (revoke, sync, recovery, the OAuth session) start only then. A time-out (`after:`) is a deadline
// stored with the transition that entered its state, and fires the machine's time-out event.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "integrations/issue_texts.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using runtime::to_ms;

namespace {

bool has(const std::vector<runtime::FollowUp>& list, runtime::FollowUp what) {
  return std::find(list.begin(), list.end(), what) != list.end();
}

// Everything one transition writes, in one batch.
struct TransitionWrite {
  store::IntegrationRow row;
  store::TransitionRow transition;
  runtime::Effects effects;
  bool entered = false;  // the state was (re-)entered: its pending deadline is replaced
  std::optional<Clock::time_point> deadline;
  std::optional<runtime::Grant> grant;     // credentials and facts, when the transition stores them
  std::vector<std::string> still_down;     // other platforms a resumed flow may still wait for
  std::optional<std::int64_t> from_event;  // the stored event that fired it: now handled
};

void write_transition(store::Transaction& tx, const TransitionWrite& w) {
  const auto& ws = w.row.workspace_id;
  const auto& platform = w.row.platform;
  tx.save_integration(w.row);
  tx.append_transition(w.transition);
  if (w.from_event) tx.mark_event_handled(*w.from_event, w.transition.at_ms);
  if (w.entered) {
    tx.clear_timer(ws, platform);
    if (w.deadline) tx.set_timer({ws, platform, w.row.state, to_ms(*w.deadline)});
  }
  for (const auto& code : w.effects.clear) tx.clear_issue(ws, platform, code);
  for (const auto& issue : w.effects.raise)
    tx.raise_issue(ws, platform,
                   {issue.code, issue.message, issue.troubleshooting, w.transition.at_ms});
  if (w.effects.pause_dependents) tx.pause_dependent_automations(ws, platform);
  if (w.effects.resume_dependents) tx.resume_automations_paused_by(ws, platform, w.still_down);
  if (w.effects.clear_credentials) tx.clear_credentials(ws, platform);
  if (w.grant) runtime::store_grant(tx, *w.grant, w.transition.at_ms);
}

}  // namespace

void Engine::Impl::arm_lifecycle_timer(const WorkspacePtr& ws, runtime::Integration& in,
                                       Clock::time_point deadline) {
  in.lifecycle_timer.arm(
      ws->strand, deadline, [weak = weak_from_this(), ws, platform = in.key.platform] {
        auto self = weak.lock();
        if (!self) return;
        auto& in = self->integration(*ws, platform);
        in.lifecycle_timer.expired();
        self->fire_on_strand(ws, in.key,
                             std::string(self->machine.event_name(self->machine.timeout_event())),
                             Actor::system("timer"), {}, nullptr);
      });
}

void Engine::Impl::save_facts(const WorkspacePtr& ws, const runtime::Integration& in) {
  writer.submit(
      fenced(ws->id, [facts = in.facts](store::Transaction& tx) { tx.save_facts(facts); }),
      ws->strand, [key = in.key](std::exception_ptr error) {
        if (error)
          spdlog::error("{}/{}: could not store the card's facts", key.workspace, key.platform);
      });
}

void Engine::Impl::fire_on_strand(const WorkspacePtr& ws, IntegrationKey key, std::string event,
                                  Actor actor, boost::json::object payload, FireDone done,
                                  std::optional<runtime::Grant> grant,
                                  std::optional<std::int64_t> from_event) {
  auto event_id = machine.event_id(event);
  if (!event_id)
    return complete(std::move(done), FireOutcome{.error = "lifecycle '" + machine.name() +
                                                          "' has no event '" + event + "'"});

  auto& in = integration(*ws, key.platform);
  const lifecycle::Instance before = in.machine;
  const std::string name = platform_name(key.platform);
  runtime::TransitionContext context{key, name, actor, payload, {}};
  const auto result = machine.fire(in.machine, *event_id, &context);
  FireOutcome outcome{.handled = result.handled,
                      .from = std::string(machine.state_name(result.from)),
                      .to = std::string(machine.state_name(result.to)),
                      .refusal = context.effects.refusal};
  if (outcome.refusal) metrics.refusals.add(key.platform);
  if (!result.handled) return complete(std::move(done), std::move(outcome));
  // Its events are no longer planned against what the integration was (and again once the
  // transition, which may pause or resume flows, has committed: on_committed).
  ws->planning.invalidate();

  const auto now = options.now();
  std::optional<Clock::time_point> deadline = in.lifecycle_timer.deadline();
  if (result.entered) {
    deadline.reset();
    if (auto timeout = machine.timeout_of(result.to)) deadline = now + *timeout;
  }
  // The grant is kept only by a transition that stores credentials.
  if (!has(context.effects.follow_ups, runtime::FollowUp::store_credentials)) grant.reset();
  if (grant) grant->facts.connected_at_ms = to_ms(now);

  store::IntegrationRow row{key.workspace,
                            key.platform,
                            outcome.to,
                            std::string(machine.state_name(in.machine.previous)),
                            std::string(machine.state_name(in.machine.before_previous)),
                            std::nullopt,
                            to_ms(now)};
  store::TransitionRow transition{key.workspace, key.platform, outcome.from, outcome.to,
                                  event,         actor.id,     to_ms(now)};
  auto effects = context.effects;
  TransitionWrite write{row, transition, effects, result.entered, deadline, grant, {}, from_event};
  // A flow that also needs another integration that is down stays paused, handed to that one.
  if (effects.resume_dependents)
    for (auto& platform : platforms_down(*ws))
      if (platform != key.platform) write.still_down.push_back(std::move(platform));

  // The completion holds the engine weakly: its copies die on the writer thread, which must
  // never be the one to destroy the engine (and with it the writer).
  writer.submit(
      fenced(ws->id,
             [write = std::move(write)](store::Transaction& tx) { write_transition(tx, write); }),
      ws->strand,
      [weak = weak_from_this(), ws, key, actor, before, deadline, result,
       effects = std::move(effects), grant = std::move(grant), outcome = std::move(outcome), event,
       done = std::move(done)](std::exception_ptr error) mutable {
        if (auto self = weak.lock())
          self->on_committed(ws, key, actor, before, deadline, result, effects, std::move(grant),
                             std::move(outcome), std::move(done), error);
      });
}

// A stored grant: the integration works on its credentials from now on (after a reconnect, they
// replace the ones it worked on meanwhile, and the refresh follows the new token), and it holds
// the account they are for.
void Engine::Impl::settle_grant(runtime::Integration& in, runtime::Grant grant) {
  const auto before = in.facts.account_id;
  in.credentials = std::move(grant.credentials);
  in.facts = std::move(grant.facts);
  in.refresh_timer.cancel();
  if (before && before != in.facts.account_id)
    account_routes.release(in.key.platform, *before, in.key.workspace);
  if (in.facts.account_id)
    account_routes.connect(in.key.platform, *in.facts.account_id, in.key.workspace);
}

void Engine::Impl::on_committed(const WorkspacePtr& ws, const IntegrationKey& key,
                                const Actor& actor, lifecycle::Instance before,
                                std::optional<Clock::time_point> deadline,
                                const lifecycle::FireResult& result,
                                const runtime::Effects& effects,
                                std::optional<runtime::Grant> grant, FireOutcome outcome,
                                FireDone done, std::exception_ptr error) {
  auto& in = integration(*ws, key.platform);
  ws->planning.invalidate();
  if (error) {
    // Nothing was written: put the machine back where the store says it is.
    in.machine = before;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      outcome.error = std::string("could not store the transition: ") + e.what();
    }
    spdlog::error("{}/{}: {}", key.workspace, key.platform, outcome.error);
    return complete(std::move(done), std::move(outcome));
  }
  metrics.transitions.add(key.platform);

  for (const auto& code : effects.clear)
    std::erase_if(in.issues, [&](const IssueView& i) { return i.code == code; });
  for (const auto& issue : effects.raise) {
    std::erase_if(in.issues, [&](const IssueView& i) { return i.code == issue.code; });
    in.issues.push_back({issue.code, issue.message, issue.troubleshooting});
  }
  if (effects.account_holder) in.account_holder = effects.account_holder;
  if (std::find(effects.clear.begin(), effects.clear.end(), runtime::issue_texts::kAccountInUse) !=
      effects.clear.end())
    in.account_holder.reset();
  if (grant) settle_grant(in, std::move(*grant));
  // The account goes free for another workspace once its credentials are gone (Disconnect).
  const bool credentials_gone = effects.clear_credentials || !in.credentials;
  if (!machine.means(result.to, lifecycle::Meaning::keeps_credentials) && credentials_gone &&
      in.facts.account_id)
    account_routes.release(key.platform, *in.facts.account_id, key.workspace);
  // Leaving the state ends a reconnect in progress there: its callback finds nothing to settle.
  if (result.changed_state()) in.reauthorization_until.reset();
  if (result.entered) {
    in.lifecycle_timer.cancel();
    if (deadline) arm_lifecycle_timer(ws, in, *deadline);
  }
  spdlog::info("{}/{}: {} → {}{}", key.workspace, key.platform, outcome.from, outcome.to,
               outcome.refusal ? " (refused: " + *outcome.refusal + ")" : std::string());
  run_follow_ups(ws, in, actor, effects, result, std::move(outcome), std::move(done));
}

}  // namespace sparks

// Connecting and disconnecting, closing a workspace, and the audit log of who did or was refused
// what.
//
// Connect: the lifecycle decides (owner only, → the state awaiting authorization; or, for a
// reconnect, a live state that stays live); its open_oauth_session action (oauth_session.cpp),
// once that transition is durable, opens an OAuth session and asks the connector for the authorize
// URL, which connect answers with. The platform's callback completes it (oauth_callback.cpp). A
// refusal is answered with the reason the lifecycle recorded.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "integrations/card.hpp"
#include "integrations/issue_texts.hpp"
#include "integrations/replies.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "store/workspace_data_store.hpp"
#include "views/page_cursor.hpp"

namespace sparks {

using runtime::enters;
using runtime::from_outcome_error;
using runtime::to_ms;
using runtime::unknown_platform;

namespace {

using ImplPtr = std::shared_ptr<Engine::Impl>;
using WorkspacePtr = Engine::Impl::WorkspacePtr;

std::string role_name(const std::optional<Role>& role) {
  if (!role) return "system";
  switch (*role) {
    case Role::owner:
      return "owner";
    case Role::admin:
      return "admin";
    case Role::member:
      return "member";
  }
  return "member";
}

Reply not_owner(const IntegrationKey& key, std::string_view platform_name, const Actor& actor,
                std::string_view what) {
  return Reply::fail(ErrorKind::forbidden, "not_owner",
                     "Only an owner of workspace '" + key.workspace + "' can " + std::string(what) +
                         " " + std::string(platform_name) + "; " + actor.id + " is " +
                         (actor.role == Role::admin ? "an " : "a ") + role_name(actor.role));
}

// A request the lifecycle refused, with the reason its refuse_* action recorded.
Reply refused(const IntegrationKey& key, std::string_view platform_name, const Actor& actor,
              const std::string& refusal, std::string_view what) {
  if (refusal == runtime::issue_texts::kNotOwner) return not_owner(key, platform_name, actor, what);
  return Reply::fail(ErrorKind::conflict, refusal,
                     runtime::issue_texts::refusal_message(refusal, platform_name));
}

// Connect's answer: the consent page the lifecycle's open_oauth_session prepared.
Reply connect_reply(const lifecycle::Machine& machine, const IntegrationKey& key,
                    std::string_view platform_name, const Actor& actor,
                    const FireOutcome& outcome) {
  if (!outcome.error.empty()) return from_outcome_error(outcome);
  if (outcome.refusal) return refused(key, platform_name, actor, *outcome.refusal, "connect");
  // A reconnect: a live state opened the session and stays live until its callback.
  const bool reconnect =
      outcome.authorization && enters(machine, outcome, lifecycle::Meaning::live);
  if (!reconnect && !enters(machine, outcome, lifecycle::Meaning::awaiting_authorization))
    return Reply::fail(ErrorKind::conflict, "invalid_state",
                       "cannot connect " + key.platform + " from state " + outcome.from);
  if (!outcome.authorization)
    return Reply::fail(ErrorKind::internal, "no_oauth_session",
                       "lifecycle '" + machine.name() + "' entered state '" + outcome.to +
                           "' without opening an OAuth session: that state needs the entry "
                           "action open_oauth_session");
  const AuthorizationStart& start = *outcome.authorization;
  if (start.problem) return {start.problem, nullptr};
  return Reply::ok({{"authorize_url", start.authorize_url},
                    {"platform", key.platform},
                    {"expires_at", runtime::rfc3339(start.expires_at)}});
}

}  // namespace

void Engine::Impl::audit(const std::string& workspace_id, const Actor& actor, std::string action,
                         std::optional<std::string> platform, std::string outcome,
                         std::string detail) {
  store::AuditRow row{
      workspace_id,        actor.id,
      std::move(action),   std::move(platform),
      std::move(outcome),  detail.empty() ? std::nullopt : std::optional(std::move(detail)),
      to_ms(options.now())};
  writer.submit([row](store::Transaction& tx) { tx.append_audit(row); },
                [](std::exception_ptr error) {
                  if (error) spdlog::error("an audit log entry could not be stored");
                });
}

void Engine::Impl::run_follow_ups(const WorkspacePtr& ws, runtime::Integration& in,
                                  const Actor& actor, const runtime::Effects& effects,
                                  const lifecycle::FireResult& result, FireOutcome outcome,
                                  FireDone done) {
  using runtime::FollowUp;
  bool opens_session = false;
  for (FollowUp follow_up : effects.follow_ups) {
    switch (follow_up) {
      case FollowUp::open_oauth_session:  // answered below, once the session is stored
        opens_session = true;
        break;
      case FollowUp::revoke_credentials:
        revoke_at_platform(ws, in);
        break;
      case FollowUp::schedule_sync:
        sync_now(ws, in);
        break;
      case FollowUp::schedule_recovery:
        schedule_retry(ws, in);
        break;
      case FollowUp::cancel_recovery:
        in.failed_attempts = 0;
        break;
      case FollowUp::store_credentials:    // stored with the transition; refresh from now on
      case FollowUp::close_oauth_session:  // sessions are single use and expire on their own
        break;
    }
  }
  const bool live = machine.means(result.to, lifecycle::Meaning::live);
  if (live && in.credentials && !in.refresh_timer.deadline()) schedule_refresh(ws, in);
  // Back from a passing problem: the trigger events held meanwhile run now.
  if (live && machine.means(result.from, lifecycle::Meaning::holds_events))
    replay_held(ws, in.key.platform);

  if (!opens_session) return complete(std::move(done), std::move(outcome));
  boost::asio::co_spawn(
      ws->strand, open_oauth_session(shared_from_this(), ws, in.key, actor),
      [weak = weak_from_this(), outcome = std::move(outcome), done = std::move(done)](
          std::exception_ptr failure, AuthorizationStart start) mutable {
        if (failure)
          start = {{}, {}, Error{ErrorKind::internal, "internal", runtime::describe(failure)}};
        outcome.authorization = std::move(start);
        if (auto self = weak.lock()) self->complete(std::move(done), std::move(outcome));
      });
}

// Entering `disconnected`: the platform is told to forget the token (best effort: it may already
// have, e.g. after authorization.removed), and the engine forgets it too (the store row went with
// the transition).
void Engine::Impl::revoke_at_platform(const WorkspacePtr& ws, runtime::Integration& in) {
  stop_upkeep(in);
  if (!in.credentials) return;
  auto credentials = std::move(*in.credentials);
  in.credentials.reset();
  auto* connector = plugin(in.key.platform);
  if (!connector) return;
  connector->call(
      plugins::Operation::revoke, ws->id,
      boost::json::serialize(boost::json::object{{"credentials", std::move(credentials)}}),
      [key = in.key](sparks_status_t status, std::string result) {
        if (status == SPARKS_OK)
          spdlog::info("{}/{}: token revoked at the platform", key.workspace, key.platform);
        else
          spdlog::info("{}/{}: the platform did not revoke the token ({}); it is forgotten here",
                       key.workspace, key.platform, result);
      });
}

// --- connect ---

namespace {

// Connect: the lifecycle decides, and its open_oauth_session prepared the answer.
runtime::Awaitable<Reply> request_connect(ImplPtr impl, WorkspacePtr ws, IntegrationKey key,
                                          Actor actor) {
  if (!impl->plugin(key.platform)) co_return unknown_platform(key.platform);
  const FireOutcome outcome =
      co_await runtime::fire(*impl, ws, key, "connect_requested", actor, boost::json::object());
  if (outcome.refusal) impl->audit(key.workspace, actor, "connect", key.platform, *outcome.refusal);
  Reply reply =
      connect_reply(impl->machine, key, impl->platform_name(key.platform), actor, outcome);
  if (!reply.error) {
    impl->metrics.connects_started.add(key.platform);
    impl->audit(key.workspace, actor, "connect", key.platform, "started");
  }
  co_return reply;
}

}  // namespace

void Engine::connect(IntegrationKey key, Actor actor, ReplyHandler done) {
  const auto workspace = key.workspace;
  impl_->where_it_runs(workspace, std::move(done),
                       [impl = impl_, key = std::move(key), actor = std::move(actor)](
                           const WorkspacePtr& ws, ReplyHandler done) mutable {
                         runtime::reply_from(
                             impl, ws, request_connect(impl, ws, std::move(key), std::move(actor)),
                             std::move(done));
                       });
}

// --- disconnect and closing ---

void Engine::disconnect(IntegrationKey key, Actor actor, ReplyHandler done) {
  const auto workspace = key.workspace;
  impl_->where_it_runs(
      workspace, std::move(done),
      [impl = impl_, key, actor](const WorkspacePtr& ws, ReplyHandler done) mutable {
        if (!impl->plugin(key.platform))
          return impl->reply(std::move(done), unknown_platform(key.platform));
        impl->fire_on_strand(
            ws, key, "disconnect_requested", actor, {},
            [impl, key, actor, done = std::move(done)](FireOutcome outcome) mutable {
              if (!outcome.error.empty())
                return impl->reply(std::move(done), from_outcome_error(outcome));
              if (outcome.refusal) {
                impl->audit(key.workspace, actor, "disconnect", key.platform, *outcome.refusal);
                return impl->reply(std::move(done), refused(key, impl->platform_name(key.platform),
                                                            actor, *outcome.refusal, "disconnect"));
              }
              if (!outcome.handled)
                return impl->reply(
                    std::move(done),
                    Reply::fail(ErrorKind::conflict, "not_connected",
                                impl->platform_name(key.platform) + " is not connected"));
              impl->audit(key.workspace, actor, "disconnect", key.platform, "ok");
              impl->reply(std::move(done),
                          Reply::ok({{"platform", key.platform}, {"state", outcome.to}}));
            });
      });
}

void Engine::close_workspace(std::string workspace, Actor actor, std::string confirm,
                             ReplyHandler done) {
  if (actor.role != Role::owner)
    return impl_->reply(
        std::move(done),
        Reply::fail(ErrorKind::forbidden, "not_owner",
                    "Only an owner can close workspace '" + workspace + "'; " + actor.id + " is " +
                        (actor.role == Role::admin ? "an " : "a ") + role_name(actor.role)));
  if (confirm != workspace)
    return impl_->reply(
        std::move(done),
        Reply::fail(ErrorKind::invalid, "confirmation_required",
                    "closing deletes every flow, contact, message and order of '" + workspace +
                        "'; send {\"confirm\": \"" + workspace + "\"} to confirm"));
  impl_->where_it_runs(
      workspace, std::move(done),
      [impl = impl_, actor](const WorkspacePtr& ws, ReplyHandler done) mutable {
        for (auto& [platform, in] : ws->integrations) {
          in.lifecycle_timer.cancel();
          impl->revoke_at_platform(ws, in);
        }
        ws->integrations.clear();
        impl->account_routes.forget_workspace(ws->id);
        impl->plugin_bridge.forget_cached_values();
        impl->writer.submit(
            impl->fenced(ws->id,
                         [id = ws->id](store::Transaction& tx) { tx.delete_workspace(id); }),
            ws->strand,
            [impl, ws, actor, done = std::move(done)](std::exception_ptr error) mutable {
              if (error)
                return impl->reply(std::move(done),
                                   Reply::fail(ErrorKind::internal, "store",
                                               "the workspace's data could not be deleted"));
              spdlog::warn("workspace {} closed by {}: its data is deleted", ws->id, actor.id);
              impl->reply(std::move(done), Reply::ok({{"closed", ws->id}}));
            });
      });
}

void Engine::audit_log(std::string workspace, ReplyHandler done) {
  audit_log(std::move(workspace), Page{}, std::move(done));
}

// Read in the writer's order: an action's audit entry is queued, not awaited, before its reply.
void Engine::audit_log(std::string workspace, Page page, ReplyHandler done) {
  auto request = runtime::page_request("audit", page);
  if (auto* error = std::get_if<Error>(&request))
    return impl_->reply(std::move(done), {*error, {}});
  impl_->read(
      [workspace, limit = page.limit,
       request = std::get<store::PageRequest>(std::move(request))](store::Transaction& tx) {
        auto rows = tx.load_audit(workspace, request);
        auto next = runtime::keep_page<store::AuditRow>(rows, limit, "audit",
                                                        [](const store::AuditRow& row) {
                                                          return store::PageKey{row.id, ""};
                                                        });
        boost::json::array entries;
        for (const auto& row : rows)
          entries.push_back(
              {{"at", runtime::rfc3339(runtime::from_ms(row.at_ms))},
               {"actor", row.actor},
               {"action", row.action},
               {"platform", row.platform ? boost::json::value(*row.platform) : nullptr},
               {"outcome", row.outcome},
               {"detail", row.detail ? boost::json::value(*row.detail) : nullptr}});
        return boost::json::value{{"entries", std::move(entries)},
                                  {"next_cursor", std::move(next)}};
      },
      std::move(done));
}

}  // namespace sparks

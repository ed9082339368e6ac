// Connecting (the owner's Connect, the platform's OAuth callback), disconnecting, closing a
// workspace, and the audit log of who did or was refused what.
//
// Connect: the lifecycle decides (owner only, → the state awaiting authorization); its
// open_oauth_session action (oauth_session.cpp), once that transition is durable, opens an OAuth
// session and asks the connector for the authorize URL, which connect answers with. Callback: the
// state is verified and its session taken (a second use finds nothing), the code exchanged, the
// account read, the granted scopes compared with the connector's required ones, and
// authorization_granted fired with all of that: the lifecycle's guards refuse a personal account or
// another business, or pick the live state it goes to. The tokens are sealed and stored in the same
// transaction as that transition. A refusal is answered with the reason the lifecycle recorded.
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>
#include <variant>

#include "crypto/random.hpp"
#include "integrations/card.hpp"
#include "integrations/issue_texts.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "store/oauth_store.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks {

using runtime::to_ms;

namespace {

using ImplPtr = std::shared_ptr<Engine::Impl>;
using WorkspacePtr = Engine::Impl::WorkspacePtr;
using CallbackQuery = std::vector<std::pair<std::string, std::string>>;

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

Reply from_outcome_error(const FireOutcome& outcome) {
  return Reply::fail(ErrorKind::internal, "store", outcome.error);
}

Reply unknown_platform(const std::string& platform) {
  return Reply::fail(ErrorKind::not_found, "unknown_platform",
                     "no connector is installed for '" + platform + "'");
}

// Runs `steps` (a coroutine of one operation) on the workspace's strand and replies with the Reply
// it returns; an exception that escapes it is answered as an internal error.
void reply_from(const ImplPtr& impl, const WorkspacePtr& ws, runtime::Awaitable<Reply> steps,
                ReplyHandler done) {
  boost::asio::co_spawn(
      ws->strand, std::move(steps),
      [impl, ws, done = std::move(done)](std::exception_ptr failure, Reply reply) mutable {
        if (failure) {
          const std::string why = runtime::describe(failure);
          spdlog::error("workspace {}: an operation failed: {}", ws->id, why);
          reply = Reply::fail(ErrorKind::internal, "internal", why);
        }
        impl->reply(std::move(done), std::move(reply));
      });
}

// Whether the event was handled and left the integration in a state that means `meaning`.
bool enters(const lifecycle::Machine& machine, const FireOutcome& outcome,
            lifecycle::Meaning meaning) {
  const auto to = machine.state_id(outcome.to);
  return outcome.handled && to && machine.means(*to, meaning);
}

// Connect's answer: the consent page the lifecycle's open_oauth_session prepared.
Reply connect_reply(const lifecycle::Machine& machine, const IntegrationKey& key,
                    std::string_view platform_name, const Actor& actor,
                    const FireOutcome& outcome) {
  if (!outcome.error.empty()) return from_outcome_error(outcome);
  if (outcome.refusal) return refused(key, platform_name, actor, *outcome.refusal, "connect");
  if (!enters(machine, outcome, lifecycle::Meaning::awaiting_authorization))
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

std::string first(const CallbackQuery& query, std::string_view key) {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return {};
}

// What the card shows of an account: no ciphers or regions, only what a person recognises.
boost::json::object card_account(const boost::json::object& account) {
  boost::json::object out;
  for (const char* field : {"id", "name", "username", "type", "business_id"})
    if (const auto* v = account.if_contains(field)) out[field] = *v;
  return out;
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
    ++impl->metrics.connects_started;
    impl->audit(key.workspace, actor, "connect", key.platform, "started");
  }
  co_return reply;
}

}  // namespace

void Engine::connect(IntegrationKey key, Actor actor, ReplyHandler done) {
  auto ws = impl_->workspace(key.workspace);
  reply_from(impl_, ws, request_connect(impl_, ws, std::move(key), std::move(actor)),
             std::move(done));
}

// --- the OAuth callback ---

namespace {

std::string issue_message(const runtime::Integration& in, std::string_view code) {
  for (const auto& issue : in.issues)
    if (issue.code == code) return issue.message;
  return {};
}

// The callback's answer, for the page the owner lands on and for the API: why it was refused, or
// that it is connected (naming what is missing when some scopes were not granted), or why not.
Reply authorization_reply(const lifecycle::Machine& machine, const IntegrationKey& key,
                          std::string_view platform_name, const FireOutcome& outcome,
                          const runtime::Integration& in) {
  namespace texts = runtime::issue_texts;
  std::string message;
  if (outcome.refusal) {
    message = texts::refusal_message(*outcome.refusal, platform_name);
  } else if (enters(machine, outcome, lifecycle::Meaning::live)) {
    message = issue_message(in, texts::kMissingScopes);
    if (message.empty()) message = std::string(platform_name) + " is connected";
  } else {
    message = issue_message(in, texts::kConsentDenied);
  }
  boost::json::object body{{"workspace", key.workspace},
                           {"platform", key.platform},
                           {"state", outcome.to},
                           {"message", message}};
  body["refusal"] =
      outcome.refusal ? boost::json::value(*outcome.refusal) : boost::json::value(nullptr);
  return Reply::ok(std::move(body));
}

}  // namespace

namespace {

// The callback's state, verified: signed here, unexpired, and issued for `platform`. Its claims,
// or the reply that refuses it.
std::variant<oauth::StateClaims, Reply> verify_state(const Engine::Impl& impl,
                                                     const std::string& platform,
                                                     const std::string& state) {
  if (state.empty())
    return Reply::fail(ErrorKind::invalid, "invalid_state", "the callback carries no OAuth state");
  auto verified = impl.state_signer.verify(state, to_ms(impl.options.now()));
  if (!verified.claims) return Reply::fail(ErrorKind::invalid, "invalid_state", verified.problem);
  if (verified.claims->platform != platform)
    return Reply::fail(
        ErrorKind::invalid, "invalid_state",
        "this state was issued for " + verified.claims->platform + ", not " + platform);
  return *verified.claims;
}

std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(text, ec);
  if (!parsed.is_object()) return std::nullopt;
  return std::move(parsed.get_object());
}

// The code exchange's request: the code, the redirect URI it was issued for and, under PKCE, the
// verifier sealed with the session.
std::string exchange_request(const Engine::Impl& impl, const store::OAuthSessionRow& session,
                             const std::string& code) {
  boost::json::object exchange{{"code", code}, {"redirect_uri", session.redirect_uri}};
  if (session.sealed_verifier) {
    std::string sealed;
    if (crypto::base64url_decode(*session.sealed_verifier, sealed))
      if (auto verifier = impl.secrets.open(sealed, "pkce/" + session.nonce))
        exchange["code_verifier"] = *verifier;
  }
  return boost::json::serialize(exchange);
}

// The scopes the platform granted, and the connector's required ones it did not (with what the
// absence of each disables, in the terms of what flows can use).
struct ScopeCheck {
  std::vector<std::string> granted, missing, missing_effects;
};

ScopeCheck check_scopes(const plugins::LoadedPlugin& connector,
                        const boost::json::object& credentials,
                        const flows::Capabilities& capabilities) {
  ScopeCheck check{json_fields::strings(credentials, "granted_scopes"), {}, {}};
  for (const auto& scope : connector.descriptor().scopes) {
    if (!scope.required ||
        std::find(check.granted.begin(), check.granted.end(), scope.name) != check.granted.end())
      continue;
    check.missing.push_back(scope.name);
    check.missing_effects.push_back(runtime::issue_texts::scope_effect(
        scope.name, scope.enables, scope.description, capabilities));
  }
  return check;
}

// The business of the workspace's other platform, when that one is connected and names one.
std::optional<boost::json::value> other_business(const Engine::Impl& impl,
                                                 const runtime::Workspace& ws,
                                                 const std::string& platform) {
  std::optional<boost::json::value> business;
  for (const auto& [other_platform, other] : ws.integrations) {
    if (other_platform == platform || !impl.has_connection(other) || !other.facts.account_json)
      continue;
    boost::system::error_code ec;
    auto account = boost::json::parse(*other.facts.account_json, ec);
    const auto* id =
        account.is_object() ? account.get_object().if_contains("business_id") : nullptr;
    if (id && id->is_string()) business = *id;
  }
  return business;
}

// The lifecycle decides what a grant becomes; the engine only gathers the facts its guards read:
// the account, the required scopes that were not granted (and what each disables), and the
// business of the workspace's other platform when that one is connected — whichever of TikTok and
// the Shop connects second is checked against the first. The sealed tokens go with the
// transition, which keeps them only if it stores credentials.
runtime::Awaitable<FireOutcome> grant_authorization(ImplPtr impl, WorkspacePtr ws,
                                                    IntegrationKey key, Actor actor,
                                                    plugins::LoadedPlugin* connector,
                                                    boost::json::object credentials,
                                                    boost::json::object account) {
  const ScopeCheck scopes = check_scopes(*connector, credentials, *impl->capabilities);
  boost::json::object payload{
      {"scopes", json_fields::array_of(scopes.granted)},
      {"missing_scopes", json_fields::array_of(scopes.missing)},
      {"missing_scope_effects", json_fields::array_of(scopes.missing_effects)},
      {"account", account}};
  if (auto business = other_business(*impl, *ws, key.platform))
    payload["expected_business_id"] = std::move(*business);

  store::IntegrationFactsRow facts;
  if (const auto* id = credentials.if_contains("account_id"); id && id->is_string())
    facts.account_id = std::string(id->get_string());
  facts.account_json = boost::json::serialize(account);
  facts.granted_scopes = boost::json::serialize(json_fields::array_of(scopes.granted));
  facts.missing_scopes = boost::json::serialize(json_fields::array_of(scopes.missing));
  facts.ever_connected = true;
  // Webhook health counts from this connection, not an earlier one.
  facts.last_sync_ms = impl->integration(*ws, key.platform).facts.last_sync_ms;
  runtime::Grant grant = impl->seal_grant(key, credentials, std::move(facts));

  const FireOutcome outcome = co_await runtime::fire(*impl, ws, key, "authorization_granted", actor,
                                                     std::move(payload), std::move(grant));
  // A refused account's fresh token is handed back to the platform at once.
  if (outcome.refusal) {
    const boost::json::object revoke{{"credentials", std::move(credentials)}};
    connector->call(plugins::Operation::revoke, ws->id, boost::json::serialize(revoke),
                    [](sparks_status_t, std::string) {});
  }
  co_return outcome;
}

// What the platform sent back becomes authorization_denied (the owner said no, or the code or the
// account could not be used) or, with the tokens and the account, authorization_granted.
// `connector` was looked up when the callback arrived; the engine keeps its plugins while `impl`
// lives.
runtime::Awaitable<FireOutcome> settle_authorization(ImplPtr impl, WorkspacePtr ws,
                                                     IntegrationKey key, Actor actor,
                                                     plugins::LoadedPlugin* connector,
                                                     store::OAuthSessionRow session,
                                                     CallbackQuery query) {
  auto deny = [&](std::string error, std::string description) {
    boost::json::object payload{{"error", std::move(error)},
                                {"error_description", std::move(description)}};
    return runtime::fire(*impl, ws, key, "authorization_denied", actor, std::move(payload));
  };
  if (auto error = first(query, "error"); !error.empty())
    co_return co_await deny(error, first(query, "error_description"));
  const std::string code = first(query, "code");
  if (code.empty())
    co_return co_await deny("invalid_request", "the platform sent back no authorization code");

  const auto exchanged =
      co_await runtime::call_connector(*connector, plugins::Operation::exchange_code, ws->id,
                                       exchange_request(*impl, session, code));
  if (!exchanged.ok())
    co_return co_await deny("exchange_failed",
                            "the authorization code was not accepted: " + exchanged.text);
  auto credentials = parse_object(exchanged.text);
  if (!credentials)
    co_return co_await deny("exchange_failed", "the connector returned no credentials");

  const boost::json::object account_request{{"credentials", *credentials}};
  const auto read = co_await runtime::call_connector(
      *connector, plugins::Operation::get_account, ws->id, boost::json::serialize(account_request));
  if (!read.ok())
    co_return co_await deny("account_unreadable", "the account could not be read: " + read.text);
  const auto account = parse_object(read.text);
  if (!account) co_return co_await deny("account_unreadable", "the connector returned no account");

  co_return co_await grant_authorization(impl, ws, key, actor, connector, std::move(*credentials),
                                         card_account(*account));
}

// The callback: its session is taken first, so that whatever happens next this state cannot be
// used again; then the platform's answer is settled with the connector and the lifecycle.
runtime::Awaitable<Reply> take_and_authorize(ImplPtr impl, WorkspacePtr ws,
                                             oauth::StateClaims claims,
                                             plugins::LoadedPlugin* connector,
                                             CallbackQuery query) {
  auto take_session = [nonce = claims.nonce, now_ms = to_ms(impl->options.now())](
                          store::Transaction& tx) { return tx.take_oauth_session(nonce, now_ms); };
  const auto taken = co_await runtime::store_batch(impl->writer, std::move(take_session));
  if (taken.error)
    co_return Reply::fail(ErrorKind::internal, "store", "could not read the OAuth session");
  const std::optional<store::OAuthSessionRow>& session = taken.value;
  if (!session || session->workspace_id != claims.workspace ||
      session->platform != claims.platform || session->member != claims.member)
    co_return Reply::fail(
        ErrorKind::invalid, "invalid_state",
        "this authorization was already completed or has expired; click Connect again");
  const IntegrationKey key{claims.workspace, claims.platform};
  if (!impl->machine.means(impl->integration(*ws, key.platform).machine.state,
                           lifecycle::Meaning::awaiting_authorization))
    co_return Reply::fail(ErrorKind::conflict, "not_authorizing",
                          key.platform + " is no longer waiting for this authorization");

  // The state was issued to an owner (connect is owner only) and names who it was.
  const Actor actor = Actor::member(claims.member, Role::owner);
  const FireOutcome outcome =
      co_await settle_authorization(impl, ws, key, actor, connector, *session, std::move(query));
  if (!outcome.error.empty()) co_return from_outcome_error(outcome);
  ++impl->metrics.authorizations_completed;
  impl->audit(key.workspace, actor, "authorize", key.platform,
              outcome.refusal ? *outcome.refusal : outcome.to);
  co_return authorization_reply(impl->machine, key, impl->platform_name(key.platform), outcome,
                                impl->integration(*ws, key.platform));
}

}  // namespace

void Engine::complete_authorization(std::string platform, CallbackQuery query, ReplyHandler done) {
  auto verified = verify_state(*impl_, platform, first(query, "state"));
  if (auto* refusal = std::get_if<Reply>(&verified))
    return impl_->reply(std::move(done), std::move(*refusal));
  auto claims = std::get<oauth::StateClaims>(std::move(verified));
  auto* connector = impl_->plugin(platform);
  if (!connector) return impl_->reply(std::move(done), unknown_platform(platform));
  auto ws = impl_->workspace(claims.workspace);
  reply_from(impl_, ws,
             take_and_authorize(impl_, ws, std::move(claims), connector, std::move(query)),
             std::move(done));
}

// --- disconnect and closing ---

void Engine::disconnect(IntegrationKey key, Actor actor, ReplyHandler done) {
  auto ws = impl_->workspace(key.workspace);
  boost::asio::post(ws->strand, [impl = impl_, ws, key, actor, done = std::move(done)]() mutable {
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
            return impl->reply(std::move(done), Reply::fail(ErrorKind::conflict, "not_connected",
                                                            impl->platform_name(key.platform) +
                                                                " is not connected"));
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
  auto ws = impl_->workspace(workspace);
  boost::asio::post(ws->strand, [impl = impl_, ws, actor, done = std::move(done)]() mutable {
    for (auto& [platform, in] : ws->integrations) {
      in.lifecycle_timer.cancel();
      impl->revoke_at_platform(ws, in);
    }
    ws->integrations.clear();
    impl->account_routes.forget_workspace(ws->id);
    impl->plugin_bridge.forget_cached_values();
    impl->writer.submit(
        [id = ws->id](store::Transaction& tx) { tx.delete_workspace(id); }, ws->strand,
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
  impl_->read(
      [workspace](store::Transaction& tx) -> boost::json::value {
        boost::json::array entries;
        for (const auto& row : tx.load_audit(workspace))
          entries.push_back(
              {{"at", runtime::rfc3339(runtime::from_ms(row.at_ms))},
               {"actor", row.actor},
               {"action", row.action},
               {"platform", row.platform ? boost::json::value(*row.platform) : nullptr},
               {"outcome", row.outcome},
               {"detail", row.detail ? boost::json::value(*row.detail) : nullptr}});
        return {{"entries", std::move(entries)}};
      },
      std::move(done));
}

}  // namespace sparks

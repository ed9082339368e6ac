// The platform's OAuth callback, the second half of connecting (connect.cpp has the first). The
// state is verified and its session taken (a second use finds nothing), the code exchanged, the
// account read, the granted scopes compared with the connector's required ones, and
// authorization_granted fired with all of that: the lifecycle's guards refuse a personal account,
// another business or an account another workspace holds (account_holder.hpp), or pick the live
// state it goes to. The tokens are sealed and stored in the same transaction as that transition
// (credentials.cpp). The callback lands in the state awaiting authorization, or in a live state
// while a reconnect is in progress. The answer is what the owner lands on.
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>
#include <variant>

#include "crypto/random.hpp"
#include "integrations/account_holder.hpp"
#include "integrations/issue_texts.hpp"
#include "integrations/replies.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "store/oauth_store.hpp"

namespace sparks {

using runtime::enters;
using runtime::from_outcome_error;
using runtime::to_ms;
using runtime::unknown_platform;

namespace {

using ImplPtr = std::shared_ptr<Engine::Impl>;
using WorkspacePtr = Engine::Impl::WorkspacePtr;
using CallbackQuery = std::vector<std::pair<std::string, std::string>>;

std::string first(const CallbackQuery& query, std::string_view key) {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return {};
}

// What the card shows of an account: no ciphers, only what a person recognises — and what its
// platform will not do for it and why (the card's issues, and the flows' skipped steps, read it).
boost::json::object card_account(const boost::json::object& account) {
  boost::json::object out;
  for (const char* field :
       {"id", "name", "username", "type", "business_id", "region", "unavailable"})
    if (const auto* v = account.if_contains(field)) out[field] = *v;
  return out;
}

std::string issue_message(const runtime::Integration& in, std::string_view code) {
  for (const auto& issue : in.issues)
    if (issue.code == code) return issue.message;
  return {};
}

// How the platform's answer was settled: the lifecycle's outcome, and whether it was a denial
// (which a reconnect handles without leaving its live state).
struct Settled {
  FireOutcome outcome;
  bool denied = false;
};

Settled denied(FireOutcome outcome) {
  return {std::move(outcome), true};
}
Settled granted(FireOutcome outcome) {
  return {std::move(outcome), false};
}

// The callback's answer, for the page the owner lands on and for the API: why it was refused (the
// workspace that holds the account named only to an owner of it), or that it is connected (naming
// what is missing when some scopes were not granted), or why not.
Reply authorization_reply(const Engine::Impl& impl, const IntegrationKey& key, const Actor& actor,
                          const Settled& settled, const runtime::Integration& in) {
  namespace texts = runtime::issue_texts;
  const FireOutcome& outcome = settled.outcome;
  const std::string platform_name = impl.platform_name(key.platform);
  std::string message;
  if (outcome.refusal) {
    const std::string holder =
        in.account_holder ? runtime::workspace_named_for(impl.options, *in.account_holder, actor)
                          : std::string();
    message = texts::refusal_message(*outcome.refusal, platform_name, holder);
  } else if (!settled.denied && enters(impl.machine, outcome, lifecycle::Meaning::live)) {
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
  // An account belongs to one workspace: one that another holds is refused (account_in_use).
  if (facts.account_id)
    if (auto holder = co_await runtime::claim_account(impl, key, *facts.account_id))
      payload["account_holder"] = *holder;
  const std::optional<std::string> account_id = facts.account_id;
  facts.account_json = boost::json::serialize(account);
  facts.granted_scopes = boost::json::serialize(json_fields::array_of(scopes.granted));
  facts.missing_scopes = boost::json::serialize(json_fields::array_of(scopes.missing));
  facts.ever_connected = true;
  // Webhook health counts from this connection, not an earlier one.
  facts.last_sync_ms = impl->integration(*ws, key.platform).facts.last_sync_ms;
  runtime::Grant grant = impl->seal_grant(key, credentials, std::move(facts));

  const FireOutcome outcome = co_await runtime::fire(*impl, ws, key, "authorization_granted", actor,
                                                     std::move(payload), std::move(grant));
  // A stored grant took the account over its claim (on_committed); otherwise the claim goes.
  if (account_id) impl->account_routes.drop_claim(key.platform, *account_id, key.workspace);
  // A refused account's fresh token is handed back to the platform at once: only this grant's,
  // whatever grant the integration keeps working on.
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
runtime::Awaitable<Settled> settle_authorization(ImplPtr impl, WorkspacePtr ws, IntegrationKey key,
                                                 Actor actor, plugins::LoadedPlugin* connector,
                                                 store::OAuthSessionRow session,
                                                 CallbackQuery query) {
  auto deny = [&](std::string error, std::string description) {
    boost::json::object payload{{"error", std::move(error)},
                                {"error_description", std::move(description)}};
    return runtime::fire(*impl, ws, key, "authorization_denied", actor, std::move(payload));
  };
  if (auto error = first(query, "error"); !error.empty())
    co_return denied(co_await deny(error, first(query, "error_description")));
  const std::string code = first(query, "code");
  if (code.empty())
    co_return denied(
        co_await deny("invalid_request", "the platform sent back no authorization code"));

  const auto exchanged =
      co_await runtime::call_connector(*connector, plugins::Operation::exchange_code, ws->id,
                                       exchange_request(*impl, session, code));
  if (!exchanged.ok())
    co_return denied(co_await deny("exchange_failed",
                                   "the authorization code was not accepted: " + exchanged.text));
  auto credentials = parse_object(exchanged.text);
  if (!credentials)
    co_return denied(co_await deny("exchange_failed", "the connector returned no credentials"));

  const boost::json::object account_request{{"credentials", *credentials}};
  const auto read = co_await runtime::call_connector(
      *connector, plugins::Operation::get_account, ws->id, boost::json::serialize(account_request));
  if (!read.ok())
    co_return denied(
        co_await deny("account_unreadable", "the account could not be read: " + read.text));
  const auto account = parse_object(read.text);
  if (!account)
    co_return denied(co_await deny("account_unreadable", "the connector returned no account"));

  co_return granted(co_await grant_authorization(impl, ws, key, actor, connector,
                                                 std::move(*credentials), card_account(*account)));
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
  auto& in = impl->integration(*ws, key.platform);
  // Awaited where the state awaits authorization, or by a live one while a reconnect is in
  // progress; either way this callback settles the reconnect.
  const bool reconnecting = impl->reauthorizing(in);
  in.reauthorization_until.reset();
  if (!reconnecting &&
      !impl->machine.means(in.machine.state, lifecycle::Meaning::awaiting_authorization))
    co_return Reply::fail(ErrorKind::conflict, "not_authorizing",
                          key.platform + " is no longer waiting for this authorization");

  // The state was issued to an owner (connect is owner only) and names who it was.
  const Actor actor = Actor::member(claims.member, Role::owner);
  const Settled settled =
      co_await settle_authorization(impl, ws, key, actor, connector, *session, std::move(query));
  const FireOutcome& outcome = settled.outcome;
  if (!outcome.error.empty()) co_return from_outcome_error(outcome);
  impl->metrics.authorizations_completed.add(key.platform);
  impl->audit(key.workspace, actor, "authorize", key.platform,
              outcome.refusal ? *outcome.refusal : outcome.to);
  co_return authorization_reply(*impl, key, actor, settled, impl->integration(*ws, key.platform));
}

}  // namespace

void Engine::complete_authorization(std::string platform, CallbackQuery query, ReplyHandler done) {
  auto verified = verify_state(*impl_, platform, first(query, "state"));
  if (auto* refusal = std::get_if<Reply>(&verified))
    return impl_->reply(std::move(done), std::move(*refusal));
  auto claims = std::get<oauth::StateClaims>(std::move(verified));
  auto* connector = impl_->plugin(platform);
  if (!connector) return impl_->reply(std::move(done), unknown_platform(platform));
  const auto workspace = claims.workspace;
  impl_->where_it_runs(
      workspace, std::move(done),
      [impl = impl_, claims = std::move(claims), connector, query = std::move(query)](
          const WorkspacePtr& ws, ReplyHandler done) mutable {
        runtime::reply_from(
            impl, ws, take_and_authorize(impl, ws, std::move(claims), connector, std::move(query)),
            std::move(done));
      });
}

}  // namespace sparks

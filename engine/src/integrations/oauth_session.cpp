// The lifecycle's open_oauth_session, run once the transition into the state awaiting
// authorization is durable (or, for a reconnect, once Connect's row in the live state is): a
// signed, single-use, 10-minute `state` names the workspace, platform and member; a PKCE verifier
// is sealed at rest; the session is stored; then the connector builds the platform's authorize
// URL. The OAuth callback (oauth_callback.cpp) takes the session back.
#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "store/oauth_store.hpp"

namespace sparks {

using runtime::to_ms;

namespace {

constexpr std::chrono::minutes kStateLifetime{10};

AuthorizationStart failed(ErrorKind kind, std::string code, std::string message) {
  return {{}, {}, Error{kind, std::move(code), std::move(message)}};
}

}  // namespace

bool Engine::Impl::reauthorizing(const runtime::Integration& in) const {
  return in.reauthorization_until && is_live(in) && options.now() < *in.reauthorization_until;
}

boost::asio::awaitable<AuthorizationStart> Engine::Impl::open_oauth_session(
    std::shared_ptr<Impl> self, WorkspacePtr ws, IntegrationKey key, Actor actor) {
  auto* connector = self->plugin(key.platform);
  if (!connector)
    co_return failed(ErrorKind::not_found, "unknown_platform",
                     "no connector is installed for '" + key.platform + "'");
  const auto now = self->options.now();
  const oauth::StateClaims claims{key.workspace, key.platform, actor.id,
                                  crypto::base64url_encode(crypto::random_bytes(16)),
                                  to_ms(now + kStateLifetime)};
  const auto pkce = oauth::make_pkce();
  const std::string redirect_uri =
      self->options.public_url + "/oauth/" + key.platform + "/callback";
  const store::OAuthSessionRow session{
      claims.nonce,
      key.workspace,
      key.platform,
      actor.id,
      redirect_uri,
      crypto::base64url_encode(self->secrets.seal(pkce.verifier, "pkce/" + claims.nonce)),
      claims.expires_at_ms};

  // The session is durable before anyone can be sent to the platform with its state.
  auto store_session = [session, now_ms = to_ms(now)](store::Transaction& tx) {
    tx.delete_expired_oauth_sessions(now_ms);
    tx.save_oauth_session(session);
  };
  const auto stored = co_await runtime::store_batch(self->writer, std::move(store_session));
  if (stored.error)
    co_return failed(ErrorKind::internal, "store", "could not store the OAuth session");

  const boost::json::object request{{"redirect_uri", redirect_uri},
                                    {"state", self->state_signer.sign(claims)},
                                    {"scopes", boost::json::array()},
                                    {"code_challenge", pkce.challenge}};
  const auto answer = co_await runtime::call_connector(
      *connector, plugins::Operation::authorize_url, ws->id, boost::json::serialize(request));
  if (!answer.ok()) co_return failed(ErrorKind::unavailable, "connector", answer.text);
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(answer.text, ec);
  const auto* url = parsed.is_object() ? parsed.get_object().if_contains("url") : nullptr;
  if (!url || !url->is_string())
    co_return failed(ErrorKind::internal, "connector", "the connector returned no authorize URL");
  // Opened in a live state, it is a reconnect: the integration goes on working on its current
  // grant, and its card says a reconnect is in progress, until the callback or the session's
  // expiry (docs/lifecycle.md, "Reconnecting").
  if (auto& in = self->integration(*ws, key.platform); self->is_live(in))
    in.reauthorization_until = runtime::from_ms(claims.expires_at_ms);
  co_return AuthorizationStart{std::string(url->get_string()),
                               runtime::from_ms(claims.expires_at_ms), std::nullopt};
}

}  // namespace sparks

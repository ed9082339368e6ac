// The lifecycle's open_oauth_session, run once the transition into the state awaiting
// authorization is durable: a signed, single-use, 10-minute `state` names the workspace, platform
// and member; a PKCE verifier is sealed at rest; the session is stored; then the connector builds
// the platform's authorize URL. The OAuth callback (connect.cpp) takes the session back.
#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "plugins/loaded_plugin.hpp"
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

void Engine::Impl::open_oauth_session(const WorkspacePtr& ws, const IntegrationKey& key,
                                      const Actor& actor,
                                      std::function<void(AuthorizationStart)> done) {
  auto* connector = plugin(key.platform);
  if (!connector)
    return done(failed(ErrorKind::not_found, "unknown_platform",
                       "no connector is installed for '" + key.platform + "'"));
  const auto now = options.now();
  oauth::StateClaims claims{key.workspace, key.platform, actor.id,
                            crypto::base64url_encode(crypto::random_bytes(16)),
                            to_ms(now + kStateLifetime)};
  const auto pkce = oauth::make_pkce();
  const std::string redirect_uri = options.public_url + "/oauth/" + key.platform + "/callback";
  store::OAuthSessionRow session{
      claims.nonce,
      key.workspace,
      key.platform,
      actor.id,
      redirect_uri,
      crypto::base64url_encode(secrets.seal(pkce.verifier, "pkce/" + claims.nonce)),
      claims.expires_at_ms};
  boost::json::object request{{"redirect_uri", redirect_uri},
                              {"state", state_signer.sign(claims)},
                              {"scopes", boost::json::array()},
                              {"code_challenge", pkce.challenge}};
  // The session is durable before anyone can be sent to the platform with its state.
  writer.submit(
      [session, now_ms = to_ms(now)](store::Transaction& tx) {
        tx.delete_expired_oauth_sessions(now_ms);
        tx.save_oauth_session(session);
      },
      ws->strand,
      [ws, connector, request = boost::json::serialize(request),
       expires = runtime::from_ms(claims.expires_at_ms),
       done = std::move(done)](std::exception_ptr error) mutable {
        if (error)
          return done(failed(ErrorKind::internal, "store", "could not store the OAuth session"));
        connector->call(
            plugins::Operation::authorize_url, ws->id, request,
            [expires, done = std::move(done)](sparks_status_t status, std::string result) mutable {
              if (status != SPARKS_OK)
                return done(failed(ErrorKind::unavailable, "connector", result));
              boost::system::error_code ec;
              auto parsed = boost::json::parse(result, ec);
              const auto* url =
                  parsed.is_object() ? parsed.get_object().if_contains("url") : nullptr;
              if (!url || !url->is_string())
                return done(failed(ErrorKind::internal, "connector",
                                   "the connector returned no authorize URL"));
              done({std::string(url->get_string()), expires, std::nullopt});
            });
      });
}

}  // namespace sparks

#pragma once
// OAuth `state`: what the engine hands the platform on the way out and checks on the way back.
// Signed (HMAC-SHA256 under a key derived from the engine's secret), bound to the workspace,
// platform and member who started it, and expiring. Single use is enforced by the store, which
// keeps the session under the token's nonce and hands it out once (store/oauth_store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sparks::oauth {

struct StateClaims {
  std::string workspace;
  std::string platform;
  std::string member;
  std::string nonce;  // random, names the stored session
  std::int64_t expires_at_ms = 0;
};

struct VerifiedState {
  std::optional<StateClaims> claims;  // set when the token is genuine and still valid
  std::string problem;                // otherwise why not, for the 400 answer
};

class StateSigner {
 public:
  explicit StateSigner(std::string key) : key_(std::move(key)) {}

  // base64url(claims as JSON) "." base64url(HMAC-SHA256(key, that first part))
  std::string sign(const StateClaims& claims) const;
  VerifiedState verify(std::string_view token, std::int64_t now_ms) const;

 private:
  std::string key_;
};

// PKCE (RFC 7636) with the S256 method.
struct Pkce {
  std::string verifier;   // 43 characters of base64url: kept server-side
  std::string challenge;  // base64url(SHA-256(verifier)): sent in the authorize URL
};
Pkce make_pkce();
std::string pkce_s256_challenge(std::string_view verifier);

}  // namespace sparks::oauth

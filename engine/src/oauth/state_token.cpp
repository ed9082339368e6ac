#include "oauth/state_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <boost/json.hpp>

#include "crypto/hmac.hpp"
#include "crypto/random.hpp"

namespace sparks::oauth {

namespace {

std::string mac(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size);
  return crypto::base64url_encode(std::string_view(reinterpret_cast<char*>(out), size));
}

std::optional<std::string> string_field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

}  // namespace

std::string StateSigner::sign(const StateClaims& claims) const {
  const boost::json::object body{{"ws", claims.workspace},
                                 {"p", claims.platform},
                                 {"m", claims.member},
                                 {"n", claims.nonce},
                                 {"exp", claims.expires_at_ms}};
  const std::string payload = crypto::base64url_encode(boost::json::serialize(body));
  return payload + "." + mac(key_, payload);
}

VerifiedState StateSigner::verify(std::string_view token, std::int64_t now_ms) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return {std::nullopt, "the state parameter is malformed"};
  const std::string_view payload = token.substr(0, dot);
  if (!crypto::constant_time_equal(mac(key_, payload), token.substr(dot + 1)))
    return {std::nullopt, "the state parameter was not issued by this server"};

  std::string json;
  boost::system::error_code ec;
  if (!crypto::base64url_decode(payload, json)) return {std::nullopt, "the state parameter is malformed"};
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return {std::nullopt, "the state parameter is malformed"};
  const auto& o = value.get_object();
  StateClaims claims;
  auto ws = string_field(o, "ws"), platform = string_field(o, "p"), member = string_field(o, "m"),
       nonce = string_field(o, "n");
  const auto* exp = o.if_contains("exp");
  if (!ws || !platform || !member || !nonce || !exp || !exp->is_int64())
    return {std::nullopt, "the state parameter is malformed"};
  claims = {*ws, *platform, *member, *nonce, exp->get_int64()};
  if (claims.expires_at_ms <= now_ms)
    return {std::nullopt, "the authorization took too long (over 10 minutes); connect again"};
  return {std::move(claims), {}};
}

Pkce make_pkce() {
  Pkce pkce;
  pkce.verifier = crypto::base64url_encode(crypto::random_bytes(32));
  pkce.challenge = pkce_s256_challenge(pkce.verifier);
  return pkce;
}

std::string pkce_s256_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return crypto::base64url_encode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

}  // namespace sparks::oauth

// Secrets at rest and OAuth state: AES-256-GCM sealing bound to its context, the key file created
// 0600 and refused when others can read it, signed/expiring/single-use state, PKCE S256.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "crypto/random.hpp"
#include "crypto/sealed_box.hpp"
#include "oauth/state_token.hpp"
#include "store/connection.hpp"
#include "store/oauth_store.hpp"

namespace {

namespace fs = std::filesystem;
using sparks::crypto::SealedBox;

fs::path temp_folder(const std::string& name) {
  auto folder = fs::temp_directory_path() / ("sparks-secrets-" + std::to_string(getpid()) + name);
  fs::remove_all(folder);
  return folder;
}

TEST(SealedBox, RoundTripsAndRefusesTamperingOtherKeysAndOtherContexts) {
  SealedBox box(std::string(32, 'k'));
  const auto sealed = box.seal("access-token-123", "demo/tiktok");
  EXPECT_EQ(sealed.find("access-token-123"), std::string::npos);
  EXPECT_EQ(box.open(sealed, "demo/tiktok"), "access-token-123");
  EXPECT_FALSE(box.open(sealed, "demo/tiktok_shop"));
  EXPECT_FALSE(SealedBox(std::string(32, 'x')).open(sealed, "demo/tiktok"));
  auto tampered = sealed;
  tampered[20] ^= 1;
  EXPECT_FALSE(box.open(tampered, "demo/tiktok"));
  EXPECT_FALSE(box.open("short", "demo/tiktok"));
  EXPECT_NE(box.seal("same", "c"), box.seal("same", "c")) << "a fresh nonce every time";
}

TEST(SealedBox, KeyFileIsCreatedPrivateAndReused) {
  const auto folder = temp_folder("key");
  const auto key_file = folder / "nested" / "secret.key";
  const auto sealed = SealedBox::from_key_file(key_file).seal("x", "c");
  struct stat info {};
  ASSERT_EQ(stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
  EXPECT_EQ(SealedBox::from_key_file(key_file).open(sealed, "c"), "x");

  chmod(key_file.c_str(), 0644);
  EXPECT_THROW(SealedBox::from_key_file(key_file), std::runtime_error);
  std::ofstream(folder / "short.key") << "too short";
  chmod((folder / "short.key").c_str(), 0600);
  EXPECT_THROW(SealedBox::from_key_file(folder / "short.key"), std::runtime_error);
  fs::remove_all(folder);
}

TEST(Base64Url, MatchesRfc4648Vectors) {
  // RFC 4648 §10, in the URL alphabet without padding.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(sparks::crypto::base64url_encode(plain), encoded);
    std::string decoded;
    ASSERT_TRUE(sparks::crypto::base64url_decode(encoded, decoded)) << encoded;
    EXPECT_EQ(decoded, plain);
  }
  std::string out;
  EXPECT_FALSE(sparks::crypto::base64url_decode("Zm9v+", out));
  EXPECT_FALSE(sparks::crypto::base64url_decode("Z", out));
}

TEST(OAuthState, SignedBoundAndExpiring) {
  sparks::oauth::StateSigner signer("state-key");
  const sparks::oauth::StateClaims claims{"demo", "tiktok", "ana", "nonce-1", 1'000'000};
  const auto token = signer.sign(claims);

  auto ok = signer.verify(token, 999'999);
  ASSERT_TRUE(ok.claims) << ok.problem;
  EXPECT_EQ(ok.claims->workspace, "demo");
  EXPECT_EQ(ok.claims->member, "ana");
  EXPECT_EQ(ok.claims->nonce, "nonce-1");

  EXPECT_FALSE(signer.verify(token, 1'000'000).claims) << "expired";
  EXPECT_FALSE(sparks::oauth::StateSigner("other-key").verify(token, 0).claims) << "forged";
  auto forged_body = token;
  forged_body[3] = forged_body[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(signer.verify(forged_body, 0).claims);
  EXPECT_FALSE(signer.verify("no-dot-here", 0).claims);
  EXPECT_FALSE(signer.verify("", 0).claims);
}

TEST(OAuthState, PkceS256MatchesRfc7636AppendixB) {
  EXPECT_EQ(sparks::oauth::pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const auto pkce = sparks::oauth::make_pkce();
  EXPECT_EQ(pkce.verifier.size(), 43u);
  EXPECT_EQ(pkce.challenge, sparks::oauth::pkce_s256_challenge(pkce.verifier));
}

TEST(OAuthSessions, TakenOnceAndNotAfterExpiry) {
  const auto folder = temp_folder("sessions");
  auto connection = sparks::store::open((folder / "sparks.db").string());
  auto& db = connection->records();
  db.save_oauth_session(
      {"n1", "demo", "tiktok", "ana", "http://127.0.0.1/cb", std::string("sealed"), 1000});
  db.save_oauth_session({"n2", "demo", "tiktok", "ana", "http://127.0.0.1/cb", std::nullopt, 1000});
  auto taken = db.take_oauth_session("n1", 500);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->sealed_verifier, "sealed");
  EXPECT_FALSE(db.take_oauth_session("n1", 500)) << "single use";
  EXPECT_FALSE(db.take_oauth_session("n2", 1000)) << "expired";
  fs::remove_all(folder);
}

TEST(AuditLog, NewestFirst) {
  const auto folder = temp_folder("audit");
  auto connection = sparks::store::open((folder / "sparks.db").string());
  auto& db = connection->records();
  db.append_audit({"demo", "ben", "connect", "tiktok", "not_owner", std::nullopt, 1});
  db.append_audit({"demo", "ana", "connect", "tiktok", "ok", std::nullopt, 2});
  auto rows = db.load_audit("demo");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actor, "ana");
  EXPECT_EQ(rows[1].outcome, "not_owner");
  fs::remove_all(folder);
}

}  // namespace

// The OAuth state check on what comes back on the callback URL. The first byte picks how the rest
// is used: as the whole token (nearly always refused for its MAC), or as the claims JSON of a token
// signed here with the server's key, so that the decoding and the JSON reading behind the MAC are
// reached too. Either way the answer is claims or a reason, never neither.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "crypto/random.hpp"
#include "fuzz/fuzz_input.hpp"
#include "oauth/state_token.hpp"

namespace {

constexpr std::string_view kKey = "fuzz-state-key";
constexpr std::int64_t kNow = 1'767'225'600'000;

// A token over `claims_json` as StateSigner::sign makes one: base64url(JSON) "." base64url(HMAC).
std::string signed_token(std::string_view claims_json) {
  const std::string payload = sparks::crypto::base64url_encode(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &size);
  return payload + "." +
         sparks::crypto::base64url_encode(std::string_view(reinterpret_cast<char*>(mac), size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const sparks::oauth::StateSigner signer{std::string(kKey)};
  const std::string_view rest = sparks::fuzz::as_text(data + 1, size - 1);
  const std::string token = data[0] % 2 == 0 ? std::string(rest) : signed_token(rest);
  const auto verified = signer.verify(token, kNow);
  if (!verified.claims && verified.problem.empty()) __builtin_trap();
  return 0;
}

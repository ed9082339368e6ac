// The TikTok connector's webhook verification and normalization, through the real PluginHost. A
// body signed as TikTok signs it (`TikTok-Signature: t=<now>,s=<HMAC of "t.body">`) reaches the
// envelope and content parsing; unsigned, wrongly signed and fuzzed signature headers exercise the
// refusals.
#include <chrono>

#include "crypto/hmac.hpp"
#include "fuzz/webhook_driver.hpp"

namespace {

// The golden fixtures' app (tests/data/platforms/tiktok/README.md): the seeds are its webhooks.
constexpr const char* kClientKey = "7312345678901234567";
constexpr const char* kSecret = "sparks-fixture-app-secret";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sparks::fuzz::WebhookDriver driver("libsparks_tiktok.so", "tiktok",
                                            {{"client_key", kClientKey},
                                             {"client_secret", kSecret},
                                             {"auth_base_url", "http://127.0.0.1:9"},
                                             {"api_base_url", "http://127.0.0.1:9"}});
  auto input = sparks::fuzz::split_input(data, size);
  const std::string t = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  sparks::plugins::WebhookRequest request{"POST", "/webhooks/tiktok", "", {}, input.body};
  using sparks::fuzz::Signing;
  if (input.signing == Signing::genuine)
    request.headers.emplace_back(
        "TikTok-Signature",
        "t=" + t + ",s=" + sparks::crypto::hmac_sha256_hex(kSecret, t + "." + input.body));
  else if (input.signing == Signing::wrong)
    request.headers.emplace_back(
        "TikTok-Signature",
        "t=" + t + ",s=" + sparks::crypto::hmac_sha256_hex("another-secret", t + "." + input.body));
  else if (input.signing == Signing::fuzzed)
    request.headers.emplace_back("TikTok-Signature", input.header);
  const sparks_status_t status = driver.verify(request);
  // Only the genuine signature may be accepted.
  if (status == SPARKS_OK && input.signing == Signing::missing) __builtin_trap();
  if (status == SPARKS_OK && input.signing == Signing::wrong) __builtin_trap();
  return 0;
}

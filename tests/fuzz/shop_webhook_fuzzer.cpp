// The TikTok Shop connector's webhook verification and normalization, through the real
// PluginHost. A body signed as the Partner API signs it (`Authorization: HMAC(app_secret,
// app_key + body)` in hex) reaches the notification parsing; unsigned, wrongly signed and fuzzed
// Authorization headers exercise the refusals.
#include "crypto/hmac.hpp"
#include "fuzz/webhook_driver.hpp"

namespace {

// The golden fixtures' app (tests/data/platforms/tiktok_shop): the seeds are its webhooks.
constexpr const char* kAppKey = "sandbox-app-key";
constexpr const char* kAppSecret = "sandbox-app-secret";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sparks::fuzz::WebhookDriver driver("libsparks_tiktok_shop.so", "tiktok_shop",
                                            {{"app_key", kAppKey},
                                             {"app_secret", kAppSecret},
                                             {"auth_base_url", "http://127.0.0.1:9"},
                                             {"api_base_url", "http://127.0.0.1:9"}});
  auto input = sparks::fuzz::split_input(data, size);
  sparks::plugins::WebhookRequest request{"POST", "/webhooks/tiktok_shop", "", {}, input.body};
  request.headers.emplace_back("Content-Type", "application/json");
  using sparks::fuzz::Signing;
  const std::string signed_text = std::string(kAppKey) + input.body;
  if (input.signing == Signing::genuine)
    request.headers.emplace_back("Authorization",
                                 sparks::crypto::hmac_sha256_hex(kAppSecret, signed_text));
  else if (input.signing == Signing::wrong)
    request.headers.emplace_back("Authorization",
                                 sparks::crypto::hmac_sha256_hex("another-secret", signed_text));
  else if (input.signing == Signing::fuzzed)
    request.headers.emplace_back("Authorization", input.header);
  const sparks_status_t status = driver.verify(request);
  if (status == SPARKS_OK && input.signing == Signing::missing) __builtin_trap();
  if (status == SPARKS_OK && input.signing == Signing::wrong) __builtin_trap();
  return 0;
}

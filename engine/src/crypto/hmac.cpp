#include "crypto/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>
#include <string>

namespace sparks::crypto {

namespace {

// OpenSSL 3's one-shot HMAC() looks the algorithm up in its provider tables, builds a context and
// hashes the key into its pads on every call: more than a microsecond, several times the cost of
// the MAC of a webhook body. Here the algorithm is fetched once, and each thread keeps a context
// keyed with the last key it was given: the same key again only resets it (the pads stay
// computed), another key rebuilds it. A service signs and checks with one or two keys, so the
// cache almost always hits.
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return algorithm;
}

class KeyedContext {
 public:
  KeyedContext() = default;
  KeyedContext(const KeyedContext&) = delete;
  KeyedContext& operator=(const KeyedContext&) = delete;
  ~KeyedContext() { forget(); }

  // The context, ready for a new message under `key`; null if OpenSSL failed.
  EVP_MAC_CTX* ready_for(std::string_view key) {
    if (context_ != nullptr && key.size() == key_.size() &&
        CRYPTO_memcmp(key.data(), key_.data(), key.size()) == 0)
      return EVP_MAC_init(context_, nullptr, 0, nullptr) == 1 ? context_ : nullptr;
    forget();
    EVP_MAC* const algorithm = hmac_algorithm();
    if (algorithm == nullptr) return nullptr;
    context_ = EVP_MAC_CTX_new(algorithm);
    if (context_ == nullptr) return nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    // Never a null key: it would mean "keep the previous one". An empty key is a valid one.
    static const unsigned char kEmpty[1] = {0};
    const auto* bytes = key.empty() ? kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(context_, bytes, key.size(), params) != 1) {
      forget();
      return nullptr;
    }
    key_.assign(key);
    return context_;
  }

 private:
  void forget() {
    EVP_MAC_CTX_free(context_);
    context_ = nullptr;
    OPENSSL_cleanse(key_.data(), key_.size());  // a secret: not left behind in freed memory
    key_.clear();
  }

  EVP_MAC_CTX* context_ = nullptr;
  std::string key_;
};

}  // namespace

Sha256Mac hmac_sha256(std::string_view key, std::string_view message) {
  thread_local KeyedContext keyed;
  EVP_MAC_CTX* context = keyed.ready_for(key);
  Sha256Mac mac{};
  std::size_t size = 0;
  if (context == nullptr ||
      EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      EVP_MAC_final(context, mac.data(), &size, mac.size()) != 1 || size != mac.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return mac;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const Sha256Mac mac = hmac_sha256(key, message);
  return to_hex({reinterpret_cast<const char*>(mac.data()), mac.size()});
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sparks::crypto

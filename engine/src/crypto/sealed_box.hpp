#pragma once
// Secrets at rest (access and refresh tokens): AES-256-GCM under the engine's key. A sealed value
// is bound to a context (e.g. "demo/tiktok") as associated data, so a value copied to another
// integration's row does not open there.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sparks::crypto {

class SealedBox {
 public:
  static constexpr std::size_t kKeySize = 32;

  // Reads the 32-byte key from `key_file`, creating it (mode 0600, with its folder) when missing.
  // Refuses a key file of the wrong size or one that other users can read.
  static SealedBox from_key_file(const std::filesystem::path& key_file);
  explicit SealedBox(std::string key);  // exactly kKeySize bytes

  // version (1 byte) | nonce (12) | ciphertext | tag (16)
  std::string seal(std::string_view plaintext, std::string_view context) const;
  // nullopt when the value was tampered with, sealed under another key, or for another context.
  std::optional<std::string> open(std::string_view sealed, std::string_view context) const;

  // A key derived for one purpose (HMAC-SHA256(key, purpose)), e.g. for signing OAuth state, so
  // that no two uses share a key.
  std::string derive(std::string_view purpose) const;

 private:
  std::string key_;
};

}  // namespace sparks::crypto

#include "crypto/sealed_box.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>

#include "crypto/random.hpp"

namespace sparks::crypto {

namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string read_or_create_key(const std::filesystem::path& path) {
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path());
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    const std::string key = random_bytes(SealedBox::kKeySize);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create key file " + path.string());
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write key file " + path.string());
    return key;
  }
  if (fd < 0) throw std::runtime_error("cannot read key file " + path.string());
  struct stat info {};
  ::fstat(fd, &info);
  std::string key(SealedBox::kKeySize + 1, '\0');
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (info.st_mode & (S_IRWXG | S_IRWXO))
    throw std::runtime_error("key file " + path.string() +
                             " can be read by other users; run: chmod 600 " + path.string());
  if (n != static_cast<ssize_t>(SealedBox::kKeySize))
    throw std::runtime_error("key file " + path.string() + " must hold exactly 32 bytes");
  key.resize(SealedBox::kKeySize);
  return key;
}

}  // namespace

SealedBox SealedBox::from_key_file(const std::filesystem::path& key_file) {
  return SealedBox(read_or_create_key(key_file));
}

SealedBox::SealedBox(std::string key) : key_(std::move(key)) {
  if (key_.size() != kKeySize) throw std::invalid_argument("SealedBox needs a 32-byte key");
}

std::string SealedBox::seal(std::string_view plaintext, std::string_view context) const {
  const std::string nonce = random_bytes(kNonceSize);
  std::string out;
  out.reserve(1 + kNonceSize + plaintext.size() + kTagSize);
  out.push_back(static_cast<char>(kVersion));
  out += nonce;
  out.resize(1 + kNonceSize + plaintext.size() + kTagSize);
  auto* cipher_text = reinterpret_cast<unsigned char*>(out.data()) + 1 + kNonceSize;

  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher_text, &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher_text + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          cipher_text + plaintext.size()) != 1)
    throw std::runtime_error("AES-256-GCM encryption failed");
  return out;
}

std::optional<std::string> SealedBox::open(std::string_view sealed, std::string_view context) const {
  if (sealed.size() < 1 + kNonceSize + kTagSize || static_cast<unsigned char>(sealed[0]) != kVersion)
    return std::nullopt;
  const std::string_view nonce = sealed.substr(1, kNonceSize);
  const std::string_view cipher_text =
      sealed.substr(1 + kNonceSize, sealed.size() - 1 - kNonceSize - kTagSize);
  std::string tag(sealed.substr(sealed.size() - kTagSize));
  std::string plaintext(cipher_text.size(), '\0');

  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, bytes(cipher_text), static_cast<int>(cipher_text.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1)
    return std::nullopt;  // the tag did not verify: tampered, wrong key or wrong context
  return plaintext;
}

std::string SealedBox::derive(std::string_view purpose) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes(purpose), purpose.size(), out,
       &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

}  // namespace sparks::crypto

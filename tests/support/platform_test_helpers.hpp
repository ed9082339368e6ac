#pragma once
// Small helpers shared by the tests that talk to the platforms (sandbox, connectors).
// The HMAC here is computed straight with OpenSSL, independently of the code under test, so a
// signature bug in crypto/ or in a connector cannot hide by agreeing with itself.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace sparks::testing {

inline std::string hmac_hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &size);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += digits[digest[i] >> 4];
    hex += digits[digest[i] & 15];
  }
  return hex;
}

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The body as a JSON object; an empty object when it is not one.
inline boost::json::object parse_object(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  return !ec && value.is_object() ? value.as_object() : boost::json::object{};
}

}  // namespace sparks::testing

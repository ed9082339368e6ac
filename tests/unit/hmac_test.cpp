// HMAC-SHA256 against the RFC 4231 test vectors, and the constant-time comparison.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "crypto/hmac.hpp"

namespace {

using sparks::crypto::constant_time_equal;
using sparks::crypto::hmac_sha256_hex;

std::string bytes(std::size_t count, char value) {
  return std::string(count, value);
}

struct Vector {
  std::string key, message, mac;
};

const Vector kCase1{bytes(20, '\x0b'), "Hi There",
                    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"};
const Vector kCase2{"Jefe", "what do ya want for nothing?",
                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"};
const Vector kCase3{bytes(20, '\xaa'), bytes(50, '\xdd'),
                    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"};
const Vector kCase6{bytes(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
                    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"};
const Vector kEmpty{"", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"};
// Not in the RFC: `printf '<message>' | openssl dgst -sha256 -hmac <key>`.
const Vector kJefeOtherMessage{"Jefe", "Hi There",
                               "6bfb115ca30df3be0dfdffe79a51cbee88186db55acc287af148d7ff6220f92e"};
const Vector kShorterKey{"Jef", "what do ya want for nothing?",
                         "89630a7f7bb95aced9efa60255f18a10e7d378665751be11dd40bb9594158c29"};

std::string mac_of(const Vector& v) {
  return hmac_sha256_hex(v.key, v.message);
}

TEST(HmacSha256, Rfc4231Case1) {
  EXPECT_EQ(mac_of(kCase1), kCase1.mac);
}

TEST(HmacSha256, Rfc4231Case2KeyShorterThanOutput) {
  EXPECT_EQ(mac_of(kCase2), kCase2.mac);
}

TEST(HmacSha256, Rfc4231Case3) {
  EXPECT_EQ(mac_of(kCase3), kCase3.mac);
}

TEST(HmacSha256, Rfc4231Case4) {
  std::string key;
  for (char c = 1; c <= 25; ++c) key.push_back(c);
  EXPECT_EQ(hmac_sha256_hex(key, bytes(50, '\xcd')),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256, Rfc4231Case6KeyLargerThanBlock) {
  EXPECT_EQ(mac_of(kCase6), kCase6.mac);
}

TEST(HmacSha256, Rfc4231Case7KeyAndDataLargerThanBlock) {
  EXPECT_EQ(hmac_sha256_hex(bytes(131, '\xaa'),
                            "This is a test using a larger than block-size key and a larger than "
                            "block-size data. The key needs to be hashed before being used by the "
                            "HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, EmptyKeyAndMessage) {
  EXPECT_EQ(mac_of(kEmpty), kEmpty.mac);
}

// Each thread keeps its last key's context (crypto/hmac.cpp): a key used again, another key, a
// key that only differs in length, and another thread must each give the MAC a fresh one would.
TEST(HmacSha256, KeysUsedAgainAndInTurnGiveTheSameMacs) {
  const std::vector<Vector> in_turn{kCase2, kJefeOtherMessage, kShorterKey, kCase1, kCase3, kCase6,
                                    kEmpty};
  for (int turn = 0; turn < 3; ++turn)
    for (const Vector& v : in_turn) EXPECT_EQ(mac_of(v), v.mac) << "key of " << v.key.size();
  std::string other_thread;
  std::thread([&] { other_thread = mac_of(kCase2); }).join();
  EXPECT_EQ(other_thread, kCase2.mac);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("", "a"));
}

}  // namespace

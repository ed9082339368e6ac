#pragma once
// The code a message step offers as {{attribution.code}}: eight characters from an alphabet
// without look-alikes (no 0/O, 1/I/L, U), derived from the workspace and the step's idempotency
// key. The same step always gets the same code — the planner renders it into the text, the outbox
// stores it with the message it sent — so nothing has to remember it in between. An order that
// brings the code back is credited to the message's flow (orders/orders.cpp).
#include <cstdint>
#include <string>
#include <string_view>

namespace sparks::flows {

inline std::string attribution_code(std::string_view workspace_id,
                                    std::string_view idempotency_key) {
  // FNV-1a, 64 bits, over "workspace\0key": not a secret, only a short, well-spread name; 40 of
  // about 39 of its bits make the code (30^8 codes: a collision among one workspace's messages of
  // an attribution window is negligible).
  std::uint64_t hash = 0xcbf29ce484222325ull;
  auto mix = [&](std::string_view text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ull;
  };
  mix(workspace_id);
  mix(std::string_view("\0", 1));
  mix(idempotency_key);
  constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";  // 30 symbols
  std::string code;
  for (int i = 0; i < 8; ++i) {
    code.push_back(kAlphabet[hash % kAlphabet.size()]);
    hash /= kAlphabet.size();
  }
  return code;
}

}  // namespace sparks::flows

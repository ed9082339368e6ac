#pragma once
// Flows the end-to-end tests, the kill loop and the benches publish.
#include <string>

namespace sparks::testing {

// A comment asking for the price gets a DM: one per matching commenter.
inline const std::string kPriceDmFlow = R"(flow:
  id: price-dm
  name: "Price question → DM"
  priority: 10
  trigger:
    on: tiktok.comment
    keywords: [price]
  actions:
    - tiktok.send_dm: { text: "Hi {{contact.username}}! Prices are on the shop: https://shop.example/p/1" }
)";

}  // namespace sparks::testing

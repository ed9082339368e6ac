// The seeded world. Ids are fixed: tests, docs and the demo name them.
#include "sandbox/state.hpp"

namespace sparks::sandbox {

State::State() {
  accounts = {
      // Thailand: one of the countries where Comment-to-Message is offered.
      {"creator", kTikTok, "business", "biz-1", "Creator Studio", "creator.studio", "open-creator",
       "", "", "TH"},
      {"personal", kTikTok, "personal", "", "Pat Personal", "pat.personal", "open-personal", "", "",
       "TH"},
      // Germany: TikTok does not offer Business Messaging in the EEA, Switzerland or the UK.
      {"creator-eu", kTikTok, "business", "biz-3", "Creator Europa", "creator.europa",
       "open-creator-eu", "", "", "DE"},
      {"shop", kTikTokShop, "seller", "biz-1", "Creator Goods", "", "open-shop", "7001",
       "cipher-shop-7001", "US"},
      {"other-shop", kTikTokShop, "seller", "biz-2", "Other Goods", "", "open-other-shop", "7002",
       "cipher-shop-7002", "US"},
  };
  videos = {
      {"video-1", "creator", "Unboxing the spring collection", 1767225600},
      {"video-2", "creator", "How I style the linen shirt", 1767312000},
      {"video-3", "creator", "Live: Q&A and discount codes", 1767398400},
      {"video-4", "personal", "My cat", 1767484800},
      {"video-5", "creator-eu", "Autumn lookbook", 1767571200},
  };
  products = {
      {"prod-1001",
       "shop",
       "Linen Shirt",
       "ACTIVATE",
       {{"sku-1001-s", "LINEN-S", 3999}, {"sku-1001-m", "LINEN-M", 3999}}},
      {"prod-1002", "shop", "Canvas Tote Bag", "ACTIVATE", {{"sku-1002", "TOTE-1", 1999}}},
      {"prod-1003", "shop", "Ceramic Mug", "ACTIVATE", {{"sku-1003", "MUG-1", 1250}}},
      {"prod-1004", "shop", "Sticker Pack", "ACTIVATE", {{"sku-1004", "STICK-1", 499}}},
      {"prod-1005",
       "shop",
       "Phone Case",
       "ACTIVATE",
       {{"sku-1005-a", "CASE-A", 2499}, {"sku-1005-b", "CASE-B", 2499}}},
      {"prod-2001", "other-shop", "Garden Gloves", "ACTIVATE", {{"sku-2001", "GLOVE-1", 1500}}},
  };
}

}  // namespace sparks::sandbox

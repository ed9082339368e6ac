// Attribution codes from what a Shop order really carries. No documented id joins a Shop buyer to
// a TikTok commenter, and the order carries no coupon code, only discount amounts; the one text the
// buyer writes that comes back is the order note, buyer_message. So a code Sparks put in a DM
// comes back only if the buyer copied it there (docs/connectors.md, Attribution).
#include <algorithm>
#include <cctype>

#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

namespace {

constexpr std::size_t kShortestCode = 4;
constexpr std::size_t kLongestCode = 32;

bool code_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool looks_like_a_code(std::string_view word) {
  const auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  const auto is_letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  return word.size() >= kShortestCode && word.size() <= kLongestCode &&
         std::any_of(word.begin(), word.end(), is_digit) &&
         std::any_of(word.begin(), word.end(), is_letter);
}

}  // namespace

std::vector<std::string> attribution_codes(std::string_view text) {
  std::vector<std::string> codes;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!code_character(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && code_character(text[end])) ++end;
    std::string word(text.substr(i, end - i));
    i = end;
    if (!looks_like_a_code(word)) continue;
    std::transform(word.begin(), word.end(), word.begin(), [](char c) {
      return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    if (std::find(codes.begin(), codes.end(), word) == codes.end())
      codes.push_back(std::move(word));
  }
  return codes;
}

}  // namespace sparks::tiktok_shop

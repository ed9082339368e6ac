#include "flows/run_reasons.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace sparks::flows {

namespace {

using Phrase = std::pair<std::string_view, std::string_view>;

// Reasons stored as they are.
constexpr std::array kWhole{
    Phrase{"a comment on a Live", "The comment was made on a Live, and the flow skips Lives."},
    Phrase{"another video", "The comment is on a video the flow does not watch."},
    Phrase{"not a question", "The comment is not a question, and the flow answers only questions."},
    Phrase{"not the user's first comment",
           "The person had commented on this video before; the flow answers first comments only."},
    Phrase{"names no SKU from the catalog",
           "The comment names no product (SKU) from the synced catalog."},
    Phrase{"no keyword", "The text contains none of the flow's keywords."},
};

// Reasons that begin with a fixed part and end with what varies (a scope, a flow, a status…).
constexpr std::array kPrefixed{
    Phrase{"missing scope ", "The integration was not granted the scope this trigger needs: "},
    Phrase{"another flow matched first: ",
           "Another flow with a higher priority matched this event first: "},
    Phrase{"order status ", "The flow does not run for orders with this status: "},
    Phrase{"listens to ", "The flow listens to another trigger: "},
    Phrase{"no live flow listens to ", "No live flow listens to "},
    Phrase{"the contact is not tagged ", "The contact does not have the tag "},
    Phrase{"the contact is tagged ", "The contact has the tag "},
};

std::string as_sentence(std::string_view text) {
  std::string out(text);
  if (out.empty()) return out;
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  if (out.back() != '.') out += '.';
  return out;
}

}  // namespace

std::string reason_in_words(std::string_view stored) {
  for (const auto& [code, words] : kWhole)
    if (stored == code) return std::string(words);
  for (const auto& [start, words] : kPrefixed)
    if (stored.starts_with(start))
      return as_sentence(std::string(words) + std::string(stored.substr(start.size())));
  return as_sentence(stored);
}

}  // namespace sparks::flows

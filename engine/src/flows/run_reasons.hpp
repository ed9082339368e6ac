#pragma once
// Why a flow did not run for an event, in words a person reads. The planner and the matching rules
// store short reasons with each run (flows/planner.cpp, flows/matching.cpp: "no keyword", "missing
// scope comment.list", …); the runs API and the dry run show them as sentences, all made here.
#include <string>
#include <string_view>

namespace sparks::flows {

// The sentence for a stored reason; one this does not know comes back as it is, as a sentence.
std::string reason_in_words(std::string_view stored);

}  // namespace sparks::flows

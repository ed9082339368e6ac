#include "flows/matching.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include <sparks/json_fields.hpp>
#include "flows/flow_loader.hpp"

namespace sparks::runtime {

using json_fields::strings;
using json_fields::text;

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool flag(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// A keyword or phrase, matched as whole words, ignoring case.
bool contains_phrase(const std::string& haystack, const std::string& phrase) {
  if (phrase.empty()) return false;
  for (auto at = haystack.find(phrase); at != std::string::npos;
       at = haystack.find(phrase, at + 1)) {
    const bool starts = at == 0 || !is_word_char(haystack[at - 1]);
    const auto end = at + phrase.size();
    const bool ends = end == haystack.size() || !is_word_char(haystack[end]);
    if (starts && ends) return true;
  }
  return false;
}

bool is_question(const std::string& text) {
  if (text.find('?') != std::string::npos) return true;
  static constexpr std::string_view kOpeners[] = {"how ", "what ", "when ", "where ", "which ",
                                                  "who ", "why ",  "is ",   "are ",   "can ",
                                                  "do ",  "does ", "will "};
  const auto t = lower(text);
  return std::any_of(std::begin(kOpeners), std::end(kOpeners),
                     [&](std::string_view o) { return t.starts_with(o); });
}

std::optional<int> minutes_of_day(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  try {
    return std::stoi(std::string(hhmm.substr(0, 2))) * 60 +
           std::stoi(std::string(hhmm.substr(3, 2)));
  } catch (...) {
    return std::nullopt;
  }
}

// One condition (a single-key object); empty when it holds, else why not.
std::string check_condition(const boost::json::object& condition, const MatchFacts& facts) {
  for (const auto& [key, value] : condition) {
    if (!value.is_object()) continue;
    const auto& spec = value.get_object();
    if (key == "contact.tags") {
      const auto& tags = facts.contact_tags;
      for (const auto& t : strings(spec, "includes"))
        if (std::find(tags.begin(), tags.end(), t) == tags.end())
          return "the contact is not tagged " + t;
      for (const auto& t : strings(spec, "excludes"))
        if (std::find(tags.begin(), tags.end(), t) != tags.end())
          return "the contact is tagged " + t;
    } else if (key == "contact.field") {
      const auto name = text(spec, "name");
      const auto* field = facts.contact_fields.if_contains(name);
      const auto expected = text(spec, "equals");
      if (!field || !field->is_string() || field->get_string() != expected)
        return "the contact's " + name + " is not " + expected;
    } else if (key == "since_last_dm") {
      auto at_least = flows::parse_duration(text(spec, "at_least"));
      if (at_least && facts.last_dm_to_contact && facts.now - *facts.last_dm_to_contact < *at_least)
        return "the contact got a DM less than " + text(spec, "at_least") + " ago";
    } else if (key == "time_of_day") {
      auto between = strings(spec, "between");
      if (between.size() != 2) continue;
      auto from = minutes_of_day(between[0]), to = minutes_of_day(between[1]);
      if (!from || !to) continue;
      const std::time_t t = Clock::to_time_t(facts.now);
      std::tm utc{};
      gmtime_r(&t, &utc);
      const int now = utc.tm_hour * 60 + utc.tm_min;
      const bool inside = *from <= *to ? (now >= *from && now < *to) : (now >= *from || now < *to);
      if (!inside) return "outside " + between[0] + "–" + between[1] + " UTC";
    }
  }
  return {};
}

}  // namespace

std::optional<CatalogItem> mentioned_sku(std::string_view text,
                                         const std::vector<CatalogItem>& catalog) {
  const auto haystack = lower(text);
  for (const auto& item : catalog)
    if (contains_phrase(haystack, lower(item.seller_sku))) return item;
  return std::nullopt;
}

namespace {

// match_flow's rules in order; `facts` null: stop with `needs_facts` at the first rule that reads
// them.
Match match(const flows::FlowDefinition& flow, std::string_view trigger,
            const boost::json::object& payload, const MatchFacts* facts) {
  Match m;
  auto fail = [&](std::string why) {
    m.why_not = std::move(why);
    return m;
  };
  auto needs_facts = [&] {
    m.needs_facts = true;
    return m;
  };
  if (flow.trigger.on != trigger) return fail("listens to " + flow.trigger.on);
  const auto& options = flow.trigger.options;
  const auto kind = flow.trigger.kind;
  using flows::TriggerKind;
  const std::string body = kind == TriggerKind::order ? std::string() : text(payload, "text");

  if (kind == TriggerKind::comment) {
    if (flag(payload, "is_live") && !flag(options, "lives")) return fail("a comment on a Live");
    if (auto videos = strings(options, "videos");
        !videos.empty() &&
        std::find(videos.begin(), videos.end(), text(payload, "video_id")) == videos.end())
      return fail("another video");
    if (flag(options, "question") && !is_question(body)) return fail("not a question");
    if (flag(options, "first_comment")) {
      if (!facts) return needs_facts();
      if (!facts->first_comment_on_video) return fail("not the user's first comment");
    }
    if (facts) m.mentioned = mentioned_sku(body, facts->catalog);
    if (flag(options, "sku_mention")) {
      if (!facts) return needs_facts();
      if (!m.mentioned) return fail("names no SKU from the catalog");
    }
  }
  if (kind == TriggerKind::comment || kind == TriggerKind::message) {
    if (auto keywords = strings(options, "keywords"); !keywords.empty()) {
      const auto haystack = lower(body);
      if (std::none_of(keywords.begin(), keywords.end(),
                       [&](const std::string& k) { return contains_phrase(haystack, lower(k)); }))
        return fail("no keyword");
    }
  }
  if (kind == TriggerKind::order) {
    if (auto statuses = strings(options, "status");
        !statuses.empty() && std::find(statuses.begin(), statuses.end(),
                                       text(payload, "order_status")) == statuses.end())
      return fail("order status " + text(payload, "order_status"));
  }
  // The conditions read the facts, and a flow that matches reads them to plan its steps.
  if (!facts) return needs_facts();
  for (const auto& condition : flow.conditions)
    if (condition.is_object())
      if (auto why = check_condition(condition.get_object(), *facts); !why.empty())
        return fail(why);
  m.matched = true;
  return m;
}

}  // namespace

Match match_flow(const flows::FlowDefinition& flow, std::string_view trigger,
                 const boost::json::object& payload, const MatchFacts& facts) {
  return match(flow, trigger, payload, &facts);
}

Match match_on_payload(const flows::FlowDefinition& flow, std::string_view trigger,
                       const boost::json::object& payload) {
  return match(flow, trigger, payload, nullptr);
}

}  // namespace sparks::runtime

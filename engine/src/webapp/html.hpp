#pragma once
// Writing the web app's HTML (docs/web-app.md): every value that did not come from this folder
// goes through escape(), attributes included; times are shown relative ("3 minutes ago") with
// the exact UTC time beside them for a hover.
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sparks/engine.hpp"

namespace sparks::webapp {

// `text` with & < > " ' replaced by character references: safe in element content and in a
// quoted attribute value.
std::string escape(std::string_view text);

// "just now", "1 minute ago", "3 minutes ago", "2 hours ago", "5 days ago"; "in 4 minutes" for a
// time ahead of `now`.
std::string relative_time(Clock::time_point at, Clock::time_point now);

// "2026-11-24T19:41:38Z" → that time; nullopt when the text is not RFC 3339 UTC of that form.
std::optional<Clock::time_point> parse_rfc3339(std::string_view text);

// "2026-11-24 19:41:38 UTC": the exact time, for a title.
std::string exact_time(Clock::time_point at);

// <time datetime="…" title="exact">relative</time>.
std::string time_element(Clock::time_point at, Clock::time_point now);

// The signed-in member a page is made for.
struct Viewer {
  std::string workspace;
  Actor actor;
  std::string csrf;  // the session's token, in every form
};

// <input type="hidden" name="csrf" value="…">.
std::string csrf_field(const Viewer& viewer);

// <td data-field="…" data-label="…">html</td>: `html` is already escaped; the label heads the cell
// at phone width, where a row is shown as a list.
std::string cell(std::string_view field, std::string_view label, std::string_view html);

// <th scope="col"> for each label, in a <thead>.
std::string table_head(const std::vector<std::string_view>& labels);

// <p class="pager"><a rel="next" href="path?cursor=…">Next page</a></p> when `next_cursor` is a
// string (with `&limit=…` when `limit` is set); empty on the last page.
std::string next_page_link(std::string_view path, const boost::json::value* next_cursor,
                           std::string_view limit = {});

// A time in milliseconds since the epoch, as the kept data stores it.
Clock::time_point from_ms(std::int64_t ms);

// A whole page: the head (the stylesheet, the script), and for a signed-in viewer the <nav> with
// the sections and the sign-out form; `body` goes inside <main>. `current` names the section
// (its link gets aria-current).
std::string page(std::string_view title, const Viewer* viewer, std::string_view current,
                 std::string_view body);

}  // namespace sparks::webapp

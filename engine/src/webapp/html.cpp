#include "webapp/html.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include "http/form.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string count_of(long long n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string relative_time(Clock::time_point at, Clock::time_point now) {
  using namespace std::chrono;
  const bool ahead = at > now;
  const long long seconds =
      duration_cast<std::chrono::seconds>(ahead ? at - now : now - at).count();
  if (seconds < 45) return "just now";
  std::string amount;
  if (seconds < 90)
    amount = "1 minute";
  else if (seconds < 3600)
    amount = count_of((seconds + 30) / 60, "minute");
  else if (seconds < 86400)
    amount = count_of(seconds / 3600, "hour");
  else
    amount = count_of(seconds / 86400, "day");
  return ahead ? "in " + amount : amount + " ago";
}

std::optional<Clock::time_point> parse_rfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ, as the engine writes it (integrations/card.hpp, rfc3339).
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z')
    return std::nullopt;
  const auto number = [&](std::size_t from, std::size_t length, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  return Clock::from_time_t(::timegm(&utc));
}

std::string exact_time(Clock::time_point at) {
  const std::time_t seconds = Clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text.data();
}

std::string time_element(Clock::time_point at, Clock::time_point now) {
  const std::time_t seconds = Clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> machine{};
  std::strftime(machine.data(), machine.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return "<time datetime=\"" + std::string(machine.data()) + "\" title=\"" + exact_time(at) +
         "\">" + relative_time(at, now) + "</time>";
}

std::string cell(std::string_view field, std::string_view label, std::string_view html) {
  return "<td data-field=\"" + std::string(field) + "\" data-label=\"" + escape(label) + "\">" +
         std::string(html) + "</td>";
}

std::string table_head(const std::vector<std::string_view>& labels) {
  std::string out = "<thead><tr>";
  for (const auto label : labels) out += "<th scope=\"col\">" + escape(label) + "</th>";
  return out + "</tr></thead>";
}

std::string next_page_link(std::string_view path, const boost::json::value* next_cursor,
                           std::string_view limit) {
  if (!next_cursor || !next_cursor->is_string() || next_cursor->get_string().empty()) return {};
  http::Fields query{{"cursor", std::string(next_cursor->get_string())}};
  if (!limit.empty()) query.emplace_back("limit", std::string(limit));
  const std::string href = std::string(path) + "?" + http::encode_form(query);
  return "<p class=\"pager\"><a rel=\"next\" href=\"" + escape(href) + "\">Next page</a></p>";
}

Clock::time_point from_ms(std::int64_t ms) {
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

std::string csrf_field(const Viewer& viewer) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(viewer.csrf) + "\">";
}

namespace {

constexpr std::array<std::pair<const char*, const char*>, 6> kSections = {{
    {"integrations", "Integrations"},
    {"automations", "Automations"},
    {"inbox", "Inbox"},
    {"contacts", "Contacts"},
    {"orders", "Orders"},
    {"analytics", "Analytics"},
}};

std::string navigation(const Viewer& viewer, std::string_view current) {
  std::string out = "<header class=\"top\"><nav aria-label=\"Sections\"><ul>";
  for (const auto& [section, label] : kSections) {
    out += "<li><a href=\"" + escape(workspace_path(viewer.workspace, section)) + "\"";
    if (current == section) out += " aria-current=\"page\"";
    out += ">" + std::string(label) + "</a></li>";
  }
  out += "</ul></nav><form method=\"post\" action=\"/app/sign-out\" class=\"sign-out\">" +
         csrf_field(viewer) + "<span class=\"who\">" + escape(viewer.actor.id) + " · " +
         escape(viewer.workspace) + "</span> <button type=\"submit\">Sign out</button></form>" +
         "</header>";
  return out;
}

}  // namespace

std::string page(std::string_view title, const Viewer* viewer, std::string_view current,
                 std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      escape(title) +
      " · Sparks</title>"
      "<link rel=\"stylesheet\" href=\"/app/static/app.css\">"
      "<script src=\"/app/static/app.js\" defer></script></head><body>"
      "<a class=\"skip\" href=\"#main\">Skip to content</a>";
  if (viewer) out += navigation(*viewer, current);
  out += "<main id=\"main\">";
  out += body;
  out += "</main></body></html>\n";
  return out;
}

}  // namespace sparks::webapp

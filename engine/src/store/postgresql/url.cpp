#include "store/postgresql/url.hpp"

namespace sparks::store::postgresql {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

// Removes "password=…" from a query string ("a=1&password=x&b=2" becomes "a=1&b=2").
std::string without_password_parameter(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const std::size_t end = query.find('&');
    const std::string_view parameter = query.substr(0, end);
    if (!parameter.starts_with("password=")) {
      if (!out.empty()) out += '&';
      out += parameter;
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace

bool is_url(std::string_view location) {
  for (std::string_view scheme : kSchemes)
    if (location.starts_with(scheme)) return true;
  return false;
}

std::string without_password(std::string_view url) {
  std::size_t scheme_end = 0;
  for (std::string_view scheme : kSchemes)
    if (url.starts_with(scheme)) scheme_end = scheme.size();
  if (scheme_end == 0) return std::string(url);

  std::string_view rest = url.substr(scheme_end);
  std::string_view query;
  if (const std::size_t mark = rest.find('?'); mark != std::string_view::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
  }
  // The user information ends at the authority's last '@' (a password may hold '@' escaped only,
  // but be generous); a ':' before it starts the password.
  const std::size_t authority_end = rest.find('/');
  const std::string_view authority = rest.substr(0, authority_end);
  std::string out(url.substr(0, scheme_end));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view user_info = authority.substr(0, at);
    out += user_info.substr(0, user_info.find(':'));
    out += rest.substr(at);
  } else {
    out += rest;
  }
  if (!query.empty()) {
    const std::string kept = without_password_parameter(query);
    if (!kept.empty()) out += "?" + kept;
  }
  return out;
}

}  // namespace sparks::store::postgresql

#include "http/message.hpp"

#include <strings.h>
#include <boost/json/serialize.hpp>

#include "http/form.hpp"

namespace sparks::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  const auto common = std::min(a.size(), b.size());
  const int order = ::strncasecmp(a.data(), b.data(), common);
  return order != 0 ? order < 0 : a.size() < b.size();
}

std::optional<std::string> field(const Fields& fields, std::string_view key) {
  for (const auto& [name, value] : fields) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::vector<std::string> fields(const Fields& all, std::string_view key) {
  std::vector<std::string> values;
  for (const auto& [name, value] : all) {
    if (name == key) values.push_back(value);
  }
  return values;
}

std::optional<std::string> Request::header(std::string_view name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

Fields Request::form() const {
  return decode_form(body).value_or(Fields{});
}

Response Response::json(int status, const boost::json::value& body) {
  Response response{status, {{"Content-Type", "application/json"}}, boost::json::serialize(body)};
  return response;
}

Response Response::html(int status, std::string body) {
  return {status, {{"Content-Type", "text/html; charset=utf-8"}}, std::move(body)};
}

Response Response::text(int status, std::string body) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(body)};
}

Response Response::redirect(std::string location) {
  return {302, {{"Location", std::move(location)}}, {}};
}

}  // namespace sparks::http

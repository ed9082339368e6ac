#include "http/form.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

namespace sparks::http {

std::optional<Fields> decode_form(std::string_view encoded) {
  if (!boost::urls::parse_query(encoded)) return std::nullopt;  // validated: the view won't throw
  Fields decoded;
  // (Boost 1.81 declares but does not build params_view(params_encoded_view, opts): use this one.)
  const boost::urls::encoding_opts plus_is_space(true);
  for (const auto& param : boost::urls::params_view(encoded, plus_is_space)) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    decoded.emplace_back(param.key, param.value);
  }
  return decoded;
}

std::string percent_encode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string encode_form(const Fields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(key);
    out.push_back('=');
    out += percent_encode(value);
  }
  return out;
}

std::optional<std::string> append_query(std::string_view url, const Fields& fields) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return std::nullopt;
  boost::urls::url result(*parsed);
  for (const auto& [key, value] : fields) result.params().append({key, value});
  return std::string(result.buffer());
}

}  // namespace sparks::http

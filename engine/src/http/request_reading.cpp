#include "http/request_reading.hpp"

#include <boost/url/parse.hpp>

#include "http/form.hpp"

namespace sparks::http {

void apply_limits(RequestParser& parser, const ServerOptions& options) {
  parser.body_limit(options.body_limit);
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
}

bool to_request(BeastRequest& in, Request& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  auto parsed = boost::urls::parse_origin_form(out.target);
  if (!parsed) return false;
  out.path = std::string(parsed->path());
  out.query_string = std::string(parsed->encoded_query());
  out.query = decode_form(out.query_string).value_or(Fields{});
  for (const auto& header : in) {
    out.headers.emplace(std::string(header.name_string()), std::string(header.value()));
  }
  out.body = std::move(in.body());
  return true;
}

}  // namespace sparks::http

// The HTTP request reader on arbitrary bytes, as the server reads a connection: Beast's parser with
// the server's limits (http/request_reading.hpp), request after request while the bytes last,
// each complete one turned into our Request (target, query, headers, form body).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstring>

#include "fuzz/fuzz_input.hpp"
#include "http/request_reading.hpp"

namespace {

namespace bhttp = boost::beast::http;

// Reads one request from `buffer` the way bhttp::read does once the connection has no more bytes:
// put what there is, and the end of the stream when the parser wants more.
bool read_one(boost::beast::flat_buffer& buffer, sparks::http::RequestParser& parser) {
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == bhttp::error::need_more) {
      if (used > 0 && buffer.size() > 0) continue;
      ec = {};
      parser.put_eof(ec);
      return !ec && parser.is_done();
    }
    if (ec) return false;
    if (used == 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sparks::http::ServerOptions options;
  boost::beast::flat_buffer buffer;
  const std::string_view bytes = sparks::fuzz::as_text(data, size);
  if (bytes.empty()) return 0;
  auto space = buffer.prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  buffer.commit(bytes.size());

  // A pipelined connection: at most a few requests, each as the server would see it.
  for (int requests = 0; requests < 8 && buffer.size() > 0; ++requests) {
    sparks::http::RequestParser parser;
    sparks::http::apply_limits(parser, options);
    if (!read_one(buffer, parser)) return 0;
    sparks::http::BeastRequest beast_request = parser.release();
    if (beast_request.count(bhttp::field::authorization) > 1) return 0;  // refused with 400
    sparks::http::Request request;
    if (!sparks::http::to_request(beast_request, request)) return 0;
    (void)request.header("Content-Type");
    (void)request.form();
    if (!beast_request.keep_alive()) return 0;
  }
  return 0;
}

#pragma once
// How the server reads a request off a connection: Beast's parser with the server's limits, and
// our Request made from what it parsed. The server's sessions and the request parser's fuzz target
// (tests/fuzz/http_request_fuzzer.cpp) both use these, so the bytes are read the same way in both.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.hpp"
#include "http/server.hpp"

namespace sparks::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the body and header limits of `options` on a parser that has read nothing yet.
void apply_limits(RequestParser& parser, const ServerOptions& options);

// Our Request from Beast's, whose body it takes; false when the target is not a valid
// origin-form.
bool to_request(BeastRequest& in, Request& out);

}  // namespace sparks::http

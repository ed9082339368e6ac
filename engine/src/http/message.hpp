#pragma once
// The request and response that HTTP handlers see. Plain structs, no Beast: code that handles a
// route includes this header only, and the wire format stays in server.cpp and client.cpp.
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::http {

// Header names compare without regard to case (RFC 9110 §5.1).
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

// Decoded query or form fields, in order; a key may repeat (`scope=a&scope=b`).
using Fields = std::vector<std::pair<std::string, std::string>>;

// The first value of `key`, if any.
std::optional<std::string> field(const Fields& fields, std::string_view key);
// Every value of `key`, in order.
std::vector<std::string> fields(const Fields& fields, std::string_view key);

struct Request {
  std::string method;        // "GET", "POST", …
  std::string target;        // as sent: path and query, still percent-encoded
  std::string path;          // decoded path without the query
  std::string query_string;  // the raw query after '?', empty when none
  Fields query;              // decoded query parameters
  Headers headers;
  std::string body;
  std::map<std::string, std::string> params;  // `{name}` segments matched by the Router
  // X-Request-Id (http/request_id.hpp): the caller's, or one the server made. Every answer
  // carries it; a log line about the request names it.
  std::string request_id;

  std::optional<std::string> header(std::string_view name) const;
  std::optional<std::string> query_value(std::string_view key) const { return field(query, key); }
  // The body decoded as application/x-www-form-urlencoded (empty when it is not valid).
  Fields form() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(int status, const boost::json::value& body);
  static Response html(int status, std::string body);
  static Response text(int status, std::string body);
  static Response redirect(std::string location);  // 302 Found
};

}  // namespace sparks::http

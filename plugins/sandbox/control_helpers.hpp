#pragma once
// What the sandbox's routes share to read a JSON body and to refuse a request in the engine's
// error shape {"error": {code, message}} (docs/sandbox.md): the control API (control.cpp,
// shop_control.cpp, tiktok_control.cpp) and the TikTok API's readers (tiktok_api.cpp).
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "http/router.hpp"

namespace sparks::sandbox {

inline http::Response bad_request(const std::string& message) {
  return http::error_response(400, "bad_request", message);
}

inline http::Response not_found(const std::string& message) {
  return http::error_response(404, "not_found", message);
}

// The request body as a JSON object (nullopt when it is not one).
inline std::optional<boost::json::object> json_body(const http::Request& request) {
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// A string field of `object`; empty when it is absent or not a string.
inline std::string string_field(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace sparks::sandbox

#pragma once
// The OAuth callback's answer for a browser: the owner who just consented lands on the
// Integrations page of the workspace the callback names, with a flash saying how it went
// (connected, partially connected, refused and why). API clients keep the JSON
// (api/routes.cpp decides which by the request's Accept header).
#include <boost/json/value.hpp>

#include "http/message.hpp"

namespace sparks::webapp {

// True when the request's Accept names text/html (a browser's navigation).
bool wants_html(const http::Request& request);

// 303 to /app/workspaces/{ws}/integrations?flash=… for the callback's `query` and the engine's
// successful answer to it ({"workspace", "platform", "refusal", …}).
http::Response callback_redirect(const http::Fields& query, const boost::json::value& answer);

}  // namespace sparks::webapp

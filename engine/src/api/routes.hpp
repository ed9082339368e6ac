#pragma once
// The HTTP API (docs/http-api.md) on an http::Router: who is asking (api/auth.hpp), which engine
// call answers, and how an engine Error becomes a status code. No Beast here: the routes see
// http::Request / http::Response only, so they can be driven without a socket.
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"

namespace sparks::api {

// Registers every route: /healthz, /metrics, /api/v1/workspaces/{ws}/…, /oauth/{platform}/callback
// and /webhooks/{platform}. Member routes need `Authorization: Bearer <api_key>`; the OAuth
// callback and the webhooks do not (the signed state and the signatures are their proof). Role
// checks (owner only to connect, disconnect, close) are the engine's: the routes pass the actor.
// `more_metrics`, when set, adds its Prometheus text to /metrics (the HTTP server's connections).
// `executor` carries the requests sent on to the instance that runs their workspace.
void mount_api(http::Router& router, boost::asio::any_io_executor executor,
               std::shared_ptr<Engine> engine, std::shared_ptr<const config::Config> config,
               std::function<std::string()> more_metrics = {});

// The status an ErrorKind maps to: invalid 400, unauthorized 401, forbidden 403, not_found 404,
// conflict 409, unavailable 502, retry_later and elsewhere (not forwarded) 503, internal 500.
int status_of(ErrorKind kind);

// {"error": {"code", "message"}} with that status.
http::Response error_response(const Error& error);

// True for the YAML media types a flow is accepted in: application/yaml, text/yaml,
// application/x-yaml (parameters such as `; charset=utf-8` allowed, any case).
bool is_yaml_content_type(std::string_view content_type);

}  // namespace sparks::api

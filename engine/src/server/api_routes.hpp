#pragma once
// The HTTP API of CONTRACT.md on an http::Router: who is asking (a member's API key), which
// engine call answers, and how an engine Error becomes a status code. No Beast here: the routes
// see http::Request / http::Response only.
#include <memory>

#include "config/config.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"

namespace sparks::server {

void mount_api(http::Router& router, std::shared_ptr<Engine> engine,
               std::shared_ptr<const config::Config> config);

// {"error": {...}} with the status ErrorKind maps to.
http::Response error_response(const Error& error);
int status_of(ErrorKind kind);

}  // namespace sparks::server

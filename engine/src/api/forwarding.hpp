#pragma once
// Several instances on one store (docs/scaling.md): a request for a workspace another instance
// runs is sent on to that instance, once, and its answer passed back as it came.
#include <boost/asio/any_io_executor.hpp>
#include <string>

#include "http/message.hpp"
#include "http/router.hpp"

namespace sparks::api {

// Marks a forwarded request, naming the instance that forwarded it: the instance it reaches
// answers it itself, or 503 — never forwards it again.
inline constexpr std::string_view kForwardedHeader = "X-Sparks-Forwarded-By";

// Sends `request` to `base_url` (the instance that runs its workspace) and answers `respond` with
// what comes back; 503 with Retry-After when that instance cannot be reached.
void forward(const boost::asio::any_io_executor& executor, const http::Request& request,
             const std::string& base_url, const std::string& forwarded_by, http::Responder respond);

}  // namespace sparks::api

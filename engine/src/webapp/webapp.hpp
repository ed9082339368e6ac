#pragma once
// The web app under /app/ (docs/web-app.md): sign-in with a member's API key, the Integrations
// page with its live cards, connect and disconnect, Automations, Inbox, Contacts, Orders and
// Analytics — HTML made here from the public sparks::Engine API, one stylesheet and one script
// built in. No Beast here: the pages see http::Request / http::Response only.
#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "config/config.hpp"
#include "http/router.hpp"
#include "sparks/engine.hpp"

namespace sparks::webapp {

// Registers every /app/ route on `router`. The members and their keys are the config's.
void mount_webapp(http::Router& router, boost::asio::any_io_executor executor,
                  std::shared_ptr<Engine> engine, std::shared_ptr<const config::Config> config);

}  // namespace sparks::webapp

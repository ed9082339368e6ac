#pragma once
// The integration cards as HTML (docs/http-api.md "A card" is the JSON they are made from): one
// <article class="card" data-platform="…"> per platform, with the help page's fields and, for an
// owner, the Connect and Disconnect buttons (disabled, with why, for everyone else). The
// Integrations page and the fragment its script polls both use these, so a refresh replaces
// the #cards content with exactly what a reload would show.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "webapp/html.hpp"

namespace sparks::webapp {

// How a platform is named to people ("TikTok", "TikTok Shop"); its id for a platform the app
// does not know.
std::string platform_title(std::string_view platform);

// One card.
std::string card_html(const boost::json::object& card, const Viewer& viewer, Clock::time_point now);

// Every card of {"integrations": [card…]}: the content of <div id="cards">.
std::string cards_html(const boost::json::value& integrations, const Viewer& viewer,
                       Clock::time_point now);

}  // namespace sparks::webapp

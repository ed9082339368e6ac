#pragma once
// The app's one stylesheet and one script, built into the binary (no external assets, no build
// step): served from /app/static/app.css and /app/static/app.js.
#include <string_view>

namespace sparks::webapp {

std::string_view stylesheet();
// Refreshes the Integrations page's cards from their fragment every 2 seconds; everything else
// works without it.
std::string_view script();

}  // namespace sparks::webapp

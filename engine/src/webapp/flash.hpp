#pragma once
// The message the Integrations page shows after an action or the OAuth callback
// (<div class="flash" data-flash="…">). The address carries only short codes —
// ?flash=connected|partial|refused|disconnected&platform=…&reason=… — never a token or a text;
// the words are made here, and the missing scopes and the refusal's explanation come from the
// card as it is now.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sparks::webapp {

// The query of a redirect to the Integrations page that shows `flash` about `platform`
// ("?flash=refused&platform=tiktok&reason=personal_account").
std::string flash_query(std::string_view flash, std::string_view platform,
                        std::string_view reason = {});

// The flash <div> for the page's query, given the cards ({"integrations": […]}); empty when the
// query asks for none (or names a platform without a card).
std::string flash_html(const http::Fields& query, const boost::json::value& integrations);

}  // namespace sparks::webapp

#include "webapp/oauth_redirect.hpp"

#include <sparks/json_fields.hpp>

#include "webapp/app.hpp"
#include "webapp/flash.hpp"
#include "webapp/paths.hpp"

namespace sparks::webapp {

bool wants_html(const http::Request& request) {
  const auto accept = request.header("Accept");
  return accept && accept->find("text/html") != std::string::npos;
}

http::Response callback_redirect(const http::Fields& query, const boost::json::value& answer) {
  const auto* body = answer.if_object();
  if (!body) return see_other(std::string(kRoot));
  const auto workspace = json_fields::text(*body, "workspace");
  const auto platform = json_fields::text(*body, "platform");
  auto reason = json_fields::text(*body, "refusal");
  // The owner declined on the platform's page: it came back with `error` instead of a code.
  if (reason.empty() && http::field(query, "error")) reason = "consent_denied";
  // "connected" turns into "partial" on the page when the card still misses scopes.
  const auto flash = reason.empty() ? flash_query("connected", platform)
                                    : flash_query("refused", platform, reason);
  return see_other(integrations_path(workspace) + flash);
}

}  // namespace sparks::webapp

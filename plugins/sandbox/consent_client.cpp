#include "sandbox/consent_client.hpp"

#include <boost/url/parse.hpp>

#include "http/client.hpp"
#include "http/form.hpp"

namespace sparks::sandbox {

void answer_consent(boost::asio::any_io_executor executor, const std::string& authorize_url,
                    const ConsentAnswer& answer, std::function<void(ConsentResult)> done) {
  auto url = boost::urls::parse_uri(authorize_url);
  auto query = url ? http::decode_form(url->encoded_query()) : std::nullopt;
  if (!url || !query) return done({"not an authorize URL: " + authorize_url, {}});

  // The form carries what the page was opened with (app or client key, redirect_uri, state),
  // minus the scopes asked for: the ticked boxes replace them.
  http::Fields form;
  for (auto& [key, value] : *query)
    if (key != "scope") form.emplace_back(key, value);
  form.emplace_back("account", answer.account);
  for (const auto& scope : answer.scopes) form.emplace_back("scope", scope);
  form.emplace_back("decision", answer.approve ? "approve" : "deny");

  http::ClientRequest request;
  request.method = "POST";
  request.url = std::string(url->scheme()) + "://" + std::string(url->encoded_authority()) +
                std::string(url->encoded_path());
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = http::encode_form(form);
  http::send_request(std::move(executor), std::move(request),
                     [done = std::move(done)](http::ClientResponse response) {
                       if (!response.ok()) return done({response.error, {}});
                       auto location = response.headers.find("Location");
                       if (response.status != 302 || location == response.headers.end())
                         return done({"the consent page answered " +
                                          std::to_string(response.status) + ": " + response.body,
                                      {}});
                       done({{}, location->second});
                     });
}

}  // namespace sparks::sandbox

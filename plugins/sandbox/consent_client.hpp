#pragma once
// The person in front of a sandbox consent page, for the demo, the embedding example and tests:
// given the authorize URL a connector produced, submits the page's form the way a browser would
// (the account chosen, the ticked scopes, approve or deny) and hands back where the sandbox
// redirects — the engine's OAuth callback URL with `code` and `state` (or `error`).
#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <string>
#include <vector>

namespace sparks::sandbox {

struct ConsentAnswer {
  std::string account;              // a seeded account id: "creator", "personal", "shop", …
  std::vector<std::string> scopes;  // the boxes left ticked
  bool approve = true;
};

struct ConsentResult {
  std::string error;         // non-empty: the page refused the form (its message) or no answer
  std::string redirect_url;  // the callback URL the browser would go to next
};

void answer_consent(boost::asio::any_io_executor executor, const std::string& authorize_url,
                    const ConsentAnswer& answer, std::function<void(ConsentResult)> done);

}  // namespace sparks::sandbox

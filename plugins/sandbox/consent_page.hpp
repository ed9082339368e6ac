#pragma once
// The HTML consent pages: a real form a person (or a test) can submit. Account select, one
// checkbox per scope (all ticked), Approve and Deny.
#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace sparks::sandbox {

struct ConsentPage {
  std::string platform_name;  // "TikTok", "TikTok Shop"
  std::string app_name;       // who asks
  std::string action;         // where the form posts
  http::Fields hidden;        // carried through unchanged (client_key, redirect_uri, state, …)
  std::vector<std::pair<std::string, std::string>> accounts;  // value, label
  std::vector<std::pair<std::string, std::string>> scopes;    // scope, what it allows
};

std::string render_consent_page(const ConsentPage& page);
std::string render_error_page(const std::string& title, const std::string& message);

}  // namespace sparks::sandbox

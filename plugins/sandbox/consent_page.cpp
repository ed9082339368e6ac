#include "sandbox/consent_page.hpp"

#include "webapp/html.hpp"

namespace sparks::sandbox {

using webapp::escape;

namespace {

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         escape(title) + "</title></head>\n<body>\n" + body + "</body></html>\n";
}

}  // namespace

std::string render_consent_page(const ConsentPage& consent) {
  std::string body = "<h1>" + escape(consent.platform_name) + " (sandbox)</h1>\n<p>" +
                     escape(consent.app_name) + " would like to access your account.</p>\n";
  body += "<form method=\"post\" action=\"" + escape(consent.action) + "\">\n";
  for (const auto& [name, value] : consent.hidden) {
    body +=
        "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
  }
  body += "<label for=\"account\">Account</label>\n<select id=\"account\" name=\"account\">\n";
  for (const auto& [value, label] : consent.accounts) {
    body += "<option value=\"" + escape(value) + "\">" + escape(label) + "</option>\n";
  }
  body += "</select>\n<fieldset><legend>Permissions</legend>\n";
  for (const auto& [scope, meaning] : consent.scopes) {
    const std::string id = "scope-" + escape(scope);
    body += "<div><input type=\"checkbox\" id=\"" + id + "\" name=\"scope\" value=\"" +
            escape(scope) + "\" checked> <label for=\"" + id + "\">" + escape(scope) + ": " +
            escape(meaning) + "</label></div>\n";
  }
  body +=
      "</fieldset>\n"
      "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n"
      "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
      "</form>\n";
  return page("Authorize " + consent.app_name, body);
}

std::string render_error_page(const std::string& title, const std::string& message) {
  return page(title, "<h1>" + escape(title) + "</h1>\n<p>" + escape(message) + "</p>\n");
}

}  // namespace sparks::sandbox

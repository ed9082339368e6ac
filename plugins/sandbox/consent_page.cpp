#include "sandbox/consent_page.hpp"

namespace sparks::sandbox {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         html_escape(title) + "</title></head>\n<body>\n" + body + "</body></html>\n";
}

}  // namespace

std::string render_consent_page(const ConsentPage& consent) {
  std::string body = "<h1>" + html_escape(consent.platform_name) + " (sandbox)</h1>\n<p>" +
                     html_escape(consent.app_name) + " would like to access your account.</p>\n";
  body += "<form method=\"post\" action=\"" + html_escape(consent.action) + "\">\n";
  for (const auto& [name, value] : consent.hidden) {
    body += "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" +
            html_escape(value) + "\">\n";
  }
  body += "<label for=\"account\">Account</label>\n<select id=\"account\" name=\"account\">\n";
  for (const auto& [value, label] : consent.accounts) {
    body += "<option value=\"" + html_escape(value) + "\">" + html_escape(label) + "</option>\n";
  }
  body += "</select>\n<fieldset><legend>Permissions</legend>\n";
  for (const auto& [scope, meaning] : consent.scopes) {
    const std::string id = "scope-" + html_escape(scope);
    body += "<div><input type=\"checkbox\" id=\"" + id + "\" name=\"scope\" value=\"" +
            html_escape(scope) + "\" checked> <label for=\"" + id + "\">" + html_escape(scope) +
            ": " + html_escape(meaning) + "</label></div>\n";
  }
  body +=
      "</fieldset>\n"
      "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\n"
      "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
      "</form>\n";
  return page("Authorize " + consent.app_name, body);
}

std::string render_error_page(const std::string& title, const std::string& message) {
  return page(title, "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(message) + "</p>\n");
}

}  // namespace sparks::sandbox

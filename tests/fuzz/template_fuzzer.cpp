// The template renderer of flow steps ("Hi {{contact.username}}"). The input is a template, then
// optionally a NUL byte and a webhook payload as JSON: the payload becomes the variables the way a
// run makes them (the trigger's declared fields), then the template is rendered over them.
#include <boost/json.hpp>

#include "flows/flow_loader.hpp"
#include "flows/steps.hpp"
#include "fuzz/fuzz_input.hpp"
#include "support/shipped_capabilities.hpp"

namespace {

boost::json::object payload_of(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  if (!ec && parsed.is_object()) return std::move(parsed.get_object());
  return {{"comment_id", "c1"},
          {"text", "how much? {{comment.text}}"},
          {"user", "u1"},
          {"video_id", 42},
          {"tags", boost::json::array{"a", 1, "b"}}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sparks::flows::Capabilities capabilities =
      sparks::test_support::shipped_capabilities();
  const std::string_view input = sparks::fuzz::as_text(data, size);
  const auto nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  const std::string_view payload = nul == std::string_view::npos ? "" : input.substr(nul + 1);

  boost::json::object contact{{"username", "ana"}, {"name", "{{contact.name}}"}};
  const auto variables = sparks::runtime::event_variables(capabilities.trigger("tiktok.comment"),
                                                          payload_of(payload), std::move(contact));
  const std::string rendered = sparks::flows::render_template(text, variables);
  (void)sparks::flows::template_variables(text);
  // Rendering only replaces placeholders: text without "{{" comes back as it was.
  if (text.find("{{") == std::string_view::npos && rendered != text) __builtin_trap();
  return 0;
}

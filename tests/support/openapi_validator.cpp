#include "support/openapi_validator.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "http/router.hpp"
#include "yaml/to_json.hpp"

namespace sparks::testing {

namespace json = boost::json;

namespace {

// `nullable: true` (OpenAPI 3.0) as JSON Schema: "null, or that schema". (Not a type list with
// "null" in it: valijson would still apply `format` and `enum` to the null.)
void admit_null(json::value& value) {
  if (value.is_array()) {
    for (auto& item : value.get_array()) admit_null(item);
    return;
  }
  if (!value.is_object()) return;
  auto& object = value.get_object();
  for (auto& [key, child] : object) admit_null(child);
  const auto* nullable = object.if_contains("nullable");
  if (!nullable || !nullable->is_bool()) return;
  const bool admits = nullable->get_bool();
  object.erase("nullable");
  if (!admits) return;
  json::object either{{"anyOf", json::array{json::object{{"type", "null"}}, object}}};
  value = std::move(either);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "http://127.0.0.1:8080/a/b?c" → "/a/b".
std::string path_of(const std::string& url) {
  std::string_view rest(url);
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  }
  return std::string(rest.substr(0, rest.find_first_of("?#")));
}

// A reference inside the document ("#/components/responses/X") resolved, once.
const json::value& resolved(const json::value& document, const json::value& node) {
  if (!node.is_object()) return node;
  const auto* ref = node.get_object().if_contains("$ref");
  if (!ref || !ref->is_string()) return node;
  std::string pointer(ref->get_string());
  if (!pointer.starts_with("#"))
    throw std::runtime_error("a $ref outside the document: " + pointer);
  return document.at_pointer(pointer.substr(1));
}

std::string describe(const valijson::ValidationResults& results) {
  std::ostringstream out;
  valijson::ValidationResults::Error error;
  valijson::ValidationResults copy = results;
  while (copy.popError(error)) {
    std::string where;
    for (const auto& step : error.context) where += step;
    out << "\n  " << where << ": " << error.description;
  }
  return out.str();
}

}  // namespace

const OpenApiDocument& OpenApiDocument::shipped() {
  static const OpenApiDocument document([] {
    std::ifstream in(std::string(SPARKS_SOURCE_DIR) + "/docs/openapi.yaml");
    if (!in) throw std::runtime_error("docs/openapi.yaml cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }());
  return document;
}

OpenApiDocument::OpenApiDocument(const std::string& yaml_text)
    : document_(yaml::to_json(YAML::Load(yaml_text))) {
  admit_null(document_);
}

OpenApiDocument::~OpenApiDocument() = default;

std::vector<std::pair<std::string, std::string>> OpenApiDocument::operations() const {
  static const std::vector<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                                    "options", "head", "patch", "trace"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : document_.at("paths").as_object())
    for (const auto& [key, operation] : item.as_object()) {
      std::string method(key);
      if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) continue;
      std::transform(method.begin(), method.end(), method.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      out.emplace_back(std::move(method), std::string(path));
    }
  return out;
}

std::optional<std::string> OpenApiDocument::template_of(std::string_view path) const {
  const auto segments = http::split_path(path);
  std::optional<std::string> best;
  int best_literals = -1;
  for (const auto& [candidate, item] : document_.at("paths").as_object()) {
    const auto wanted = http::split_path(candidate);
    if (wanted.size() != segments.size()) continue;
    int literals = 0;
    bool matches = true;
    for (std::size_t i = 0; i < wanted.size() && matches; ++i) {
      if (is_parameter(wanted[i]))
        matches = !segments[i].empty();
      else if ((matches = wanted[i] == segments[i]))
        ++literals;
    }
    if (matches && literals > best_literals) {
      best = std::string(candidate);
      best_literals = literals;
    }
  }
  return best;
}

const valijson::Schema* OpenApiDocument::schema_for(const std::string& key,
                                                    const json::value& schema) const {
  std::lock_guard lock(mutex_);
  auto& slot = schemas_[key];
  if (!slot) {
    // The response's schema with the document's components beside it, so that its
    // "#/components/schemas/…" references resolve in this root.
    const json::value root{{"allOf", json::array{schema}},
                           {"components", document_.at("components")}};
    slot = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(root), *slot);
  }
  return slot.get();
}

std::optional<std::string> OpenApiDocument::problem(const std::string& method,
                                                    std::string_view path, int status,
                                                    const json::value& body) const {
  const auto pattern = template_of(path);
  if (!pattern) return std::nullopt;
  const auto& item = document_.at("paths").at(*pattern).as_object();
  const auto* operation = item.if_contains(lower(method));
  if (!operation) {
    if (status == 405) return std::nullopt;  // the router refusing a method it has no route for
    return method + " " + *pattern + " is not in docs/openapi.yaml";
  }
  const auto& responses = operation->at("responses").as_object();
  const auto* response = responses.if_contains(std::to_string(status));
  if (!response) response = responses.if_contains("default");
  if (!response)
    return method + " " + *pattern + " answered " + std::to_string(status) +
           ", a status docs/openapi.yaml does not list";
  const auto& described = resolved(document_, *response).as_object();
  const auto* content = described.if_contains("content");
  const json::value* schema = nullptr;
  if (content)
    if (const auto* media = content->as_object().if_contains("application/json"))
      schema = media->as_object().if_contains("schema");
  if (!schema) return std::nullopt;  // not JSON (text, YAML) or no body
  const std::string key = lower(method) + " " + *pattern + " " + std::to_string(status);
  const auto* compiled = schema_for(key, *schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  if (validator.validate(*compiled, valijson::adapters::BoostJsonAdapter(body), &results))
    return std::nullopt;
  return method + " " + std::string(path) + " answered " + std::to_string(status) + " with " +
         json::serialize(body) + ", which does not match docs/openapi.yaml (" + *pattern +
         "):" + describe(results);
}

void expect_documented_answer(const std::string& method, const std::string& url, int status,
                              const json::value& body) {
  if (status == 0 || ::testing::UnitTest::GetInstance()->current_test_info() == nullptr) return;
  if (auto why = OpenApiDocument::shipped().problem(method, path_of(url), status, body))
    ADD_FAILURE() << *why;
}

}  // namespace sparks::testing

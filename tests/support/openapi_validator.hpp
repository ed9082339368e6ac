#pragma once
// The answers of `sparks serve` checked against its OpenAPI document (docs/openapi.yaml): given the
// method, the path, the status and the JSON body of an answer, whether the document describes it.
// OpenAPI 3.0 schemas are JSON Schema (draft 4) plus `nullable`, which is turned into a type that
// also admits null when the document is loaded; valijson validates.
#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace valijson {
class Schema;
}

namespace sparks::testing {

class OpenApiDocument {
 public:
  // docs/openapi.yaml of the source tree.
  static const OpenApiDocument& shipped();

  explicit OpenApiDocument(const std::string& yaml_text);
  ~OpenApiDocument();

  // Every operation the document has: {"GET", "/api/v1/workspaces/{ws}/flows"}, …
  std::vector<std::pair<std::string, std::string>> operations() const;

  // The document's path template that `path` (no query) is an instance of; the one with the most
  // literal segments when several are.
  std::optional<std::string> template_of(std::string_view path) const;

  // Why the answer does not match the document, or nullopt when it does. A path outside the
  // document (the sandbox's, the web app's) is not the document's business: nullopt. `body` is the
  // parsed JSON, or a string holding the raw text when the body was not JSON.
  std::optional<std::string> problem(const std::string& method, std::string_view path, int status,
                                     const boost::json::value& body) const;

 private:
  const valijson::Schema* schema_for(const std::string& key,
                                     const boost::json::value& schema) const;

  boost::json::value document_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<valijson::Schema>> schemas_;
};

// Inside a running GoogleTest test: fails it (with the path, the status and valijson's words) when
// the answer to `method url` does not match docs/openapi.yaml. Outside a test (the soak): nothing.
void expect_documented_answer(const std::string& method, const std::string& url, int status,
                              const boost::json::value& body);

}  // namespace sparks::testing

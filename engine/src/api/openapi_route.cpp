#include "api/openapi_route.hpp"

#include <string>

#include "util/resources.hpp"

namespace sparks::api {

void mount_openapi_document(http::Router& router) {
  router.add_sync("GET", "/api/v1/openapi.yaml", [](const http::Request&) {
    const auto document = resources::find("docs/openapi.yaml");
    if (!document)
      return http::error_response(500, "no_document", "this build carries no OpenAPI document");
    auto response = http::Response::text(200, std::string(*document));
    response.headers["Content-Type"] = "application/yaml";
    return response;
  });
}

}  // namespace sparks::api

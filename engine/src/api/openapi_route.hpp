#pragma once
// GET /api/v1/openapi.yaml: the OpenAPI document of the HTTP API (docs/openapi.yaml), as it was
// built into the binary. No API key: it describes the API, it holds nothing of a workspace.
#include "http/router.hpp"

namespace sparks::api {

void mount_openapi_document(http::Router& router);

}  // namespace sparks::api

// One call to TikTok API for Business through the host's HTTP: the URL below /open_api/v1.3, the
// Access-Token header, a JSON body, and the answer's envelope read into a BusinessAnswer.
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

constexpr std::string_view kApiVersionPath = "/open_api/v1.3";

BusinessAnswer read_answer(const connectors::HttpResponse& response) {
  if (auto failure = connectors::transport_failure(response, "TikTok")) return {failure, {}, {}};
  const std::optional<json::object> body = connectors::try_parse_object(response.body);
  if (!body)
    return {Failure{SPARKS_ERR_PROTOCOL, "TikTok answered HTTP " +
                                             std::to_string(response.http_status) +
                                             " with a body that is not a JSON object"},
            {},
            {}};
  return {business_failure(response, *body), connectors::text(*body, "message"),
          connectors::object_at(*body, "data")};
}

}  // namespace

void BusinessApi::call(const std::string& integration, BusinessCall call,
                       const sparks::plugin::Done& done,
                       std::function<void(const BusinessAnswer&)> then) const {
  std::string url =
      connectors::join_url(config_.api_base_url, std::string(kApiVersionPath) + call.path);
  if (!call.query.empty()) url += "?" + connectors::encode_params(call.query);
  sparks::plugin::HttpRequest request{.method = std::move(call.method), .url = std::move(url)};
  if (!call.access_token.empty()) request.headers.emplace_back("Access-Token", call.access_token);
  if (call.body) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json::serialize(*call.body);
  }
  connectors::call_platform(host_, integration, std::move(request), done,
                            [then = std::move(then)](const connectors::HttpResponse& response) {
                              then(read_answer(response));
                            });
}

void BusinessApi::call_data(const std::string& integration, BusinessCall call,
                            const sparks::plugin::Done& done,
                            std::function<void(const json::object&)> on_data) const {
  this->call(integration, std::move(call), done,
             [done, on_data = std::move(on_data)](const BusinessAnswer& answer) {
               if (answer.failure)
                 return done.fail(answer.failure->status, answer.failure->message);
               on_data(answer.data);
             });
}

}  // namespace sparks::tiktok

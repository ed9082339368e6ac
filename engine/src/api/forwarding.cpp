#include "api/forwarding.hpp"

#include <spdlog/spdlog.h>

#include "http/client.hpp"
#include "http/request_id.hpp"

namespace sparks::api {

void forward(const boost::asio::any_io_executor& executor, const http::Request& request,
             const std::string& base_url, const std::string& forwarded_by,
             http::Responder respond) {
  http::ClientRequest onward;
  onward.method = request.method;
  onward.url = base_url + request.target;
  onward.headers = request.headers;
  for (const char* own : {"Host", "Content-Length", "Connection"})  // the connection's own
    onward.headers.erase(own);
  onward.headers[std::string(kForwardedHeader)] = forwarded_by;
  // The same id on both instances, so that the request is found in the logs of each.
  if (!request.request_id.empty())
    onward.headers[std::string(http::kRequestIdHeader)] = request.request_id;
  onward.body = request.body;
  onward.timeout = std::chrono::seconds(30);  // connecting waits for the platform's token call
  http::send_request(
      executor, std::move(onward),
      [respond = std::move(respond), base_url,
       id = request.request_id](http::ClientResponse answer) {
        if (!answer.ok()) {
          spdlog::warn("request {}: forwarding to {} failed: {}", id, base_url, answer.error);
          auto busy =
              http::error_response(503, "instance_unreachable",
                                   "the instance that runs this workspace cannot be reached; try "
                                   "again in a few seconds");
          busy.headers["Retry-After"] = "2";
          return respond(std::move(busy));
        }
        http::Response response;
        response.status = answer.status;
        response.headers = std::move(answer.headers);
        for (const char* own : {"Content-Length", "Connection", "Transfer-Encoding"})
          response.headers.erase(own);
        response.body = std::move(answer.body);
        respond(std::move(response));
      });
}

}  // namespace sparks::api

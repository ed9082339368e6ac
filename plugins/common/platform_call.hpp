#pragma once
// One call to a platform through the host's HTTP, the way both connectors make it: start the
// request, read the answer in a continuation, turn what every platform shares (no answer, 429, 5xx)
// into a status, and tell the lifecycle when the platform goes down and comes back.
// Header-only, compiled into each connector.
#include <sparks/plugin.hpp>

#include <boost/json.hpp>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace sparks::connectors {

using plugin::Done;
using plugin::Host;
using plugin::HttpRequest;
using plugin::HttpResponse;

// An operation's failure: the status the engine acts on and a one-line message.
struct Failure {
  sparks_status_t status;
  std::string message;
};

// The failures that do not depend on the platform's error format.
inline std::optional<Failure> transport_failure(const HttpResponse& response,
                                                std::string_view platform) {
  if (response.status != SPARKS_OK)
    return Failure{response.status, std::string(platform) + " did not answer: " + response.error};
  if (response.http_status == 429)
    return Failure{SPARKS_ERR_RATE_LIMITED, std::string(platform) + " answered 429: rate limited"};
  if (response.http_status >= 500)
    return Failure{SPARKS_ERR_UNAVAILABLE, std::string(platform) + " answered HTTP " +
                                               std::to_string(response.http_status)};
  return std::nullopt;
}

// How many calls in a row must fail for want of an answer (none, a timeout, a 5xx) before the
// platform counts as unavailable: one failure is noise, a run of them is an outage. Throttling
// (HTTP 429, or a platform's "HTTP 200 + throttled code") is an answer: the platform is up and
// refusing this caller for a while, which RATE_LIMITED already tells the engine. Counting it would
// pause the whole integration for a burst that only needed slowing down.
inline constexpr int kOutageThreshold = 3;

// Emits `platform_unavailable` once when kOutageThreshold calls in a row fail for want of an
// answer, and `platform_recovered` once when an answer (a throttling one included) arrives again.
// The count and whether an outage was announced live in the integration's key-value store, so that
// every call sees the same picture and it survives a restart.
inline void note_platform_health(const Host& host, const std::string& integration,
                                 const HttpResponse& response) {
  static constexpr std::string_view kFailuresKey = "platform_failures";
  static constexpr std::string_view kOutageKey = "platform_outage";
  const bool failed = response.status == SPARKS_ERR_UNAVAILABLE ||
                      response.status == SPARKS_ERR_TIMEOUT ||
                      (response.status == SPARKS_OK && response.http_status >= 500);
  const bool answered = response.status == SPARKS_OK && !failed;
  if (!failed && !answered)
    return;  // cancelled, or refused by the host: says nothing of the platform

  const bool announced = host.kv_get(integration, kOutageKey).has_value();
  if (answered) {
    host.kv_delete(integration, kFailuresKey);
    if (announced) {
      host.kv_delete(integration, kOutageKey);
      host.emit_trigger(integration, "platform_recovered", "{}");
    }
    return;
  }
  const int failures = std::atoi(host.kv_get(integration, kFailuresKey).value_or("0").c_str()) + 1;
  host.kv_put(integration, kFailuresKey, std::to_string(failures));
  if (failures >= kOutageThreshold && !announced) {
    host.kv_put(integration, kOutageKey, "1");
    const std::string reason = response.status == SPARKS_OK
                                   ? "HTTP " + std::to_string(response.http_status)
                                   : response.error;
    host.emit_trigger(integration, "platform_unavailable",
                      boost::json::serialize(boost::json::object{
                          {"reason", reason}, {"consecutive_failures", failures}}));
  }
}

// Starts `request` for `integration`; `then` reads the answer. Failing to start fails `done`. An
// exception from `then` means the platform answered something unreadable: SPARKS_ERR_PROTOCOL.
inline void call_platform(const Host& host, const std::string& integration, HttpRequest request,
                          const Done& done, std::function<void(const HttpResponse&)> then) {
  const std::string url = request.url;
  auto on_answer = [host, integration, done, then = std::move(then)](HttpResponse response) {
    note_platform_health(host, integration, response);
    try {
      then(response);
    } catch (const std::exception& e) {
      done.fail(SPARKS_ERR_PROTOCOL, std::string("unexpected answer: ") + e.what());
    }
  };
  const sparks_status_t started = host.http(integration, request, std::move(on_answer));
  if (started != SPARKS_OK) done.fail(started, "the host refused the request to " + url);
}

}  // namespace sparks::connectors

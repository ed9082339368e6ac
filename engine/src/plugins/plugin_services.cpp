#include "plugins/plugin_services.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>

#include "plugins/abi_text.hpp"
#include "plugins/descriptor.hpp"

namespace sparks::plugins {
namespace {

namespace asio = boost::asio;

constexpr std::chrono::milliseconds kDefaultHttpTimeout{30'000};
constexpr std::chrono::milliseconds kMaxHttpTimeout{120'000};
constexpr std::uint64_t kMaxTimerDelayMs = 7ull * 24 * 3600 * 1000;  // a week
constexpr std::size_t kMaxHeaders = 100;

bool is_token(std::string_view name) {  // RFC 9110 token: what a header name may be
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool is_header_value(std::string_view value) {  // no CR, LF or NUL: no header injection
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

sparks_status_t status_of(HttpResult::Outcome outcome) {
  switch (outcome) {
    case HttpResult::Outcome::response:
      return SPARKS_OK;
    case HttpResult::Outcome::timeout:
      return SPARKS_ERR_TIMEOUT;
    case HttpResult::Outcome::unavailable:
      return SPARKS_ERR_UNAVAILABLE;
    case HttpResult::Outcome::cancelled:
      return SPARKS_ERR_CANCELLED;
    case HttpResult::Outcome::invalid:
      return SPARKS_ERR_INVALID_ARGUMENT;
    case HttpResult::Outcome::too_large:
      return SPARKS_ERR_TOO_LARGE;
  }
  return SPARKS_ERR_INTERNAL;
}

sparks_str_t abi(std::string_view text) {
  return {text.data(), text.size()};
}

// How to stop an HTTP request that may still be waiting for its rate-limit slot (a timer) or
// already be on the wire (an exchange): whichever is current. Set and called from any thread; a
// stop set after cancelling runs at once.
class CancelSlot {
 public:
  void set(HttpClient::Cancel stop) {
    std::unique_lock lock(mutex_);
    if (cancelled_) {
      lock.unlock();
      stop();
      return;
    }
    stop_ = std::move(stop);
  }
  void operator()() {
    HttpClient::Cancel stop;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      stop = stop_;
    }
    if (stop) stop();
  }

 private:
  std::mutex mutex_;
  bool cancelled_ = false;
  HttpClient::Cancel stop_;
};

// Hands `result` to the plugin's callback as a sparks_http_response_t (borrowed for the call).
void deliver_http(sparks_http_response_cb_t on_response, void* user, const HttpResult& result) {
  std::vector<sparks_header_t> headers;
  headers.reserve(result.headers.size());
  for (const auto& [name, value] : result.headers) headers.push_back({abi(name), abi(value)});
  sparks_http_response_t response{sizeof(sparks_http_response_t),
                                  status_of(result.outcome),
                                  result.http_status,
                                  headers.data(),
                                  headers.size(),
                                  abi(result.body),
                                  abi(result.error)};
  on_response(user, &response);
}

spdlog::level::level_enum spdlog_level(sparks_log_level_t level) {
  switch (level) {
    case SPARKS_LOG_DEBUG:
      return spdlog::level::debug;
    case SPARKS_LOG_INFO:
      return spdlog::level::info;
    case SPARKS_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

}  // namespace

PluginServices::PluginServices(std::string name, PluginEnvironment environment)
    : name_(std::move(name)), environment_(std::move(environment)) {}

PluginServices::~PluginServices() {
  cancel_all();
}

void PluginServices::attach(const PluginDescriptor* descriptor) {
  descriptor_ = descriptor;
  name_ = descriptor->platform_id;
  limiter_ = std::make_unique<RateLimiter>(descriptor->rate_limits);
}

sparks_status_t PluginServices::refuse(sparks_status_t status, const std::string& why) {
  spdlog::warn("plugin {}: refused a call: {}", name_, why);
  return status;
}

sparks_status_t PluginServices::check_integration(sparks_str_t integration, std::string_view& out) {
  if (descriptor_ == nullptr)
    return refuse(SPARKS_ERR_UNSUPPORTED, "host services are not available during init");
  CheckedText id = check_text(integration, kMaxNameSize);
  if (!id.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "integration id " + id.error);
  if (id.text.empty()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "integration id is empty");
  out = id.text;
  return SPARKS_OK;
}

void PluginServices::log(sparks_log_level_t level, sparks_str_t message) {
  spdlog::log(spdlog_level(level), "plugin {}: {}", name_, sanitize_message(message));
}

sparks_status_t PluginServices::emit_trigger(sparks_str_t integration, sparks_str_t trigger,
                                             sparks_str_t payload) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  CheckedText name = check_text(trigger, kMaxNameSize);
  if (!name.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "trigger name " + name.error);
  if (!descriptor_->declares_trigger(name.text))
    return refuse(SPARKS_ERR_INVALID_ARGUMENT,
                  "trigger '" + std::string(name.text) + "' is not declared in the descriptor");
  CheckedText body = check_text(payload, kMaxDocumentSize);
  if (!body.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "trigger payload " + body.error);
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body.text, ec);
  if (ec || !parsed.is_object())
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "trigger payload is not a JSON object");
  if (!environment_.bridge->emit_trigger(name_, id, name.text, body.text))
    return SPARKS_ERR_UNAVAILABLE;
  return SPARKS_OK;
}

sparks_status_t PluginServices::kv_get(sparks_str_t integration, sparks_str_t key,
                                       sparks_value_cb_t on_value, void* user) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  CheckedText k = check_text(key, kMaxNameSize);
  if (!k.ok() || k.text.empty() || on_value == nullptr)
    return refuse(SPARKS_ERR_INVALID_ARGUMENT,
                  "kv_get needs a key (" + k.error + ") and a callback");
  std::optional<std::string> value = environment_.bridge->kv_get(name_, id, k.text);
  if (!value) return SPARKS_ERR_NOT_FOUND;
  on_value(user, abi(*value));
  return SPARKS_OK;
}

sparks_status_t PluginServices::kv_put(sparks_str_t integration, sparks_str_t key,
                                       sparks_str_t value) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  CheckedText k = check_text(key, kMaxNameSize);
  CheckedText v = check_text(value, kMaxDocumentSize);
  if (!k.ok() || k.text.empty()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "kv key " + k.error);
  if (!v.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "kv value " + v.error);
  return environment_.bridge->kv_put(name_, id, k.text, v.text) ? SPARKS_OK
                                                                : SPARKS_ERR_UNAVAILABLE;
}

sparks_status_t PluginServices::kv_delete(sparks_str_t integration, sparks_str_t key) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  CheckedText k = check_text(key, kMaxNameSize);
  if (!k.ok() || k.text.empty()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "kv key " + k.error);
  return environment_.bridge->kv_delete(name_, id, k.text) ? SPARKS_OK : SPARKS_ERR_UNAVAILABLE;
}

sparks_status_t PluginServices::http_request(sparks_str_t integration,
                                             const sparks_http_request_t* request,
                                             sparks_http_response_cb_t on_response, void* user) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  if (request == nullptr || on_response == nullptr)
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http_request needs a request and a callback");
  if (request->struct_size < offsetof(sparks_http_request_t, timeout_ms) + sizeof(uint32_t))
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http request struct_size is too small");

  HttpRequestData data;
  CheckedText method = check_text(request->method, 16);
  CheckedText url = check_text(request->url, kMaxTextSize);
  CheckedText body = check_text(request->body, kMaxDocumentSize);
  if (!method.ok() || method.text.empty())
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http method " + method.error);
  if (!url.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http url " + url.error);
  if (!body.ok()) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http body " + body.error);
  if (request->header_count > kMaxHeaders ||
      (request->header_count > 0 && request->headers == nullptr))
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "http headers: bad count or no data");
  for (std::size_t i = 0; i < request->header_count; ++i) {
    CheckedText name = check_text(request->headers[i].name, kMaxNameSize);
    CheckedText value = check_text(request->headers[i].value, kMaxTextSize);
    if (!name.ok() || !is_token(name.text) || !value.ok() || !is_header_value(value.text))
      return refuse(SPARKS_ERR_INVALID_ARGUMENT,
                    "http header " + std::to_string(i) + " is malformed");
    data.headers.emplace_back(name.text, value.text);
  }
  data.method = method.text;
  data.url = url.text;
  data.body = body.text;
  data.timeout = request->timeout_ms == 0
                     ? kDefaultHttpTimeout
                     : std::min(kMaxHttpTimeout, std::chrono::milliseconds(request->timeout_ms));

  // Held back until the platform's rate allows it (the descriptor's rate_limits), so that the
  // engine never trips a limit itself; refused outright when that wait would be unreasonable.
  const auto now = RateLimiter::Clock::now();
  std::optional<RateLimiter::Clock::time_point> send_at = now;
  if (limiter_ && limiter_->limits_anything()) send_at = limiter_->reserve(id, data.url, now);
  if (!send_at)
    return refuse(SPARKS_ERR_RATE_LIMITED,
                  "http request to " + std::string(RateLimiter::path_of(data.url)) +
                      " would wait over 5 minutes for the platform's rate limit");

  // The plugin's callback is owed exactly once: by the response handler, or by abort at unload.
  auto cancel = std::make_shared<CancelSlot>();
  std::uint64_t ticket = pending_->add({[cancel] { (*cancel)(); },
                                        [cancel, on_response, user] {
                                          (*cancel)();
                                          HttpResult cancelled;
                                          cancelled.outcome = HttpResult::Outcome::cancelled;
                                          cancelled.error = "the host is unloading the plugin";
                                          deliver_http(on_response, user, cancelled);
                                        }});
  if (ticket == 0) return SPARKS_ERR_CANCELLED;
  auto executor = environment_.bridge->executor_for(name_, id);
  auto send = [http = environment_.http, executor, cancel, pending = pending_, ticket, on_response,
               user](HttpRequestData data) {
    cancel->set(http->start(executor, std::move(data), kMaxDocumentSize,
                            [pending, ticket, on_response, user](HttpResult result) {
                              if (pending->claim(ticket)) deliver_http(on_response, user, result);
                            }));
  };
  if (*send_at <= now) {
    send(std::move(data));
    return SPARKS_OK;
  }
  auto timer = std::make_shared<asio::steady_timer>(executor, *send_at);
  cancel->set([timer] { timer->cancel(); });
  timer->async_wait([timer, send, data = std::move(data), pending = pending_, ticket, on_response,
                     user](boost::system::error_code error) mutable {
    if (!error) return send(std::move(data));
    if (!pending->claim(ticket)) return;  // aborted at unload: the plugin was answered already
    HttpResult cancelled;
    cancelled.outcome = HttpResult::Outcome::cancelled;
    cancelled.error = "cancelled while waiting for the platform's rate limit";
    deliver_http(on_response, user, cancelled);
  });
  return SPARKS_OK;
}

sparks_status_t PluginServices::set_timer(sparks_str_t integration, uint64_t delay_ms,
                                          sparks_timer_cb_t on_timer, void* user,
                                          uint64_t* timer_id) {
  std::string_view id;
  if (sparks_status_t status = check_integration(integration, id); status != SPARKS_OK)
    return status;
  if (on_timer == nullptr) return refuse(SPARKS_ERR_INVALID_ARGUMENT, "set_timer needs a callback");
  if (delay_ms > kMaxTimerDelayMs)
    return refuse(SPARKS_ERR_INVALID_ARGUMENT, "timer delay is over a week");

  auto timer = std::make_shared<asio::steady_timer>(environment_.bridge->executor_for(name_, id),
                                                    std::chrono::milliseconds(delay_ms));
  std::weak_ptr<asio::steady_timer> weak = timer;
  std::uint64_t ticket =
      pending_->add({[weak] {
                       if (auto alive = weak.lock())
                         asio::post(alive->get_executor(), [alive] { alive->cancel(); });
                     },
                     [weak, on_timer, user] {
                       if (auto alive = weak.lock()) alive->cancel();
                       on_timer(user, SPARKS_ERR_CANCELLED);
                     }});
  if (ticket == 0) return SPARKS_ERR_CANCELLED;
  timer->async_wait(
      [pending = pending_, ticket, timer, on_timer, user](boost::system::error_code ec) {
        if (pending->claim(ticket)) on_timer(user, ec ? SPARKS_ERR_CANCELLED : SPARKS_OK);
      });
  if (timer_id != nullptr) *timer_id = ticket;
  return SPARKS_OK;
}

void PluginServices::cancel_timer(uint64_t timer_id) {
  pending_->cancel(timer_id);
}

void PluginServices::cancel_all() {
  for (PendingCallbacks::Entry& entry : pending_->claim_all()) entry.abort();
}

}  // namespace sparks::plugins

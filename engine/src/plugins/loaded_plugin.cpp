#include "plugins/loaded_plugin.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "plugins/abi_text.hpp"
#include "plugins/operation_completions.hpp"

namespace sparks::plugins {
namespace {

namespace asio = boost::asio;

sparks_str_t abi(std::string_view text) {
  return {text.data(), text.size()};
}

// A plugin's answer, checked while the plugin's bytes are still valid (a completion's lifetime).
struct CheckedAnswer {
  sparks_status_t status;
  std::string message;           // why it failed, when status is not SPARKS_OK
  std::string_view result;       // the result document, when SPARKS_OK: the plugin's bytes
  boost::json::object document;  // `result` parsed, its keys and strings from the given storage
};

CheckedAnswer check_answer(sparks_status_t status, sparks_str_t result,
                           boost::json::storage_ptr storage = {}) {
  if (status != SPARKS_OK) {
    if (status < 0 || status > SPARKS_ERR_INTERNAL) status = SPARKS_ERR_INTERNAL;
    return {status, sanitize_message(result), {}, {}};
  }
  CheckedText text = check_text(result, kMaxDocumentSize);
  if (!text.ok()) return {SPARKS_ERR_INTERNAL, "the plugin's result " + text.error, {}, {}};
  if (text.text.empty()) return {SPARKS_OK, {}, "{}", {}};
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text.text, ec, std::move(storage));
  if (ec || !parsed.is_object())
    return {SPARKS_ERR_INTERNAL, "the plugin's result is not a JSON object", {}, {}};
  return {SPARKS_OK, {}, text.text, std::move(parsed.as_object())};
}

// What a completion hands on: the result document, or why the operation failed.
std::string answer_text(CheckedAnswer& answer) {
  return answer.status == SPARKS_OK ? std::string(answer.result) : std::move(answer.message);
}

// {"events": [{"id", "account", "trigger", "payload"}]} with declared triggers only.
// The payloads are moved out of `document`.
std::string read_events(boost::json::object& document, const PluginDescriptor& descriptor,
                        std::vector<WebhookEvent>& events) {
  boost::json::value* list = document.if_contains("events");
  if (list == nullptr || !list->is_array()) return "the result has no \"events\" list";
  for (boost::json::value& item : list->as_array()) {
    boost::json::object* event = item.if_object();
    if (event == nullptr) return "an event is not an object";
    const boost::json::value* id = event->if_contains("id");
    const boost::json::value* account = event->if_contains("account");
    const boost::json::value* trigger = event->if_contains("trigger");
    boost::json::value* payload = event->if_contains("payload");
    if (id == nullptr || !id->is_string() || id->as_string().empty())
      return "an event has no \"id\" string";
    if (account == nullptr || !account->is_string()) return "an event has no \"account\" string";
    if (trigger == nullptr || !trigger->is_string()) return "an event has no \"trigger\" string";
    if (!descriptor.declares_trigger(trigger->as_string()))
      return "an event's trigger '" + std::string(trigger->as_string()) + "' is not declared";
    if (payload == nullptr || !payload->is_object()) return "an event has no \"payload\" object";
    events.push_back({std::string(id->as_string()), std::string(account->as_string()),
                      std::string(trigger->as_string()), boost::json::serialize(*payload),
                      std::move(payload->as_object())});
  }
  return {};
}

}  // namespace

std::string_view name_of(Operation operation) {
  switch (operation) {
    case Operation::authorize_url:
      return "authorize_url";
    case Operation::exchange_code:
      return "exchange_code";
    case Operation::refresh_token:
      return "refresh_token";
    case Operation::revoke:
      return "revoke";
    case Operation::get_account:
      return "get_account";
    case Operation::sync:
      return "sync";
    case Operation::execute_action:
      return "execute_action";
    case Operation::find_action:
      return "find_action";
  }
  return "unknown";
}

std::string_view call_name(std::string_view action) {
  const auto dot = action.rfind('.');
  return dot == std::string_view::npos ? action : action.substr(dot + 1);
}

LoadedPlugin::LoadedPlugin(std::filesystem::path path, std::unique_ptr<SharedLibrary> library,
                           std::unique_ptr<PluginServices> services, sparks_plugin_t plugin,
                           sparks_plugin_ops_t ops)
    : path_(std::move(path)),
      library_(std::move(library)),
      services_(std::move(services)),
      plugin_(plugin),
      ops_(ops) {}

LoadedPlugin::~LoadedPlugin() {
  unload();
}

bool LoadedPlugin::configure(std::string_view config_json, std::string& error) {
  if (unloaded_) {
    error = "the plugin is unloaded";
    return false;
  }
  if (ops_.configure == nullptr) return true;
  sparks_str_t why{};
  sparks_status_t status = ops_.configure(plugin_.ctx, abi(config_json), &why);
  if (status == SPARKS_OK) return true;
  error = "configure returned " + std::to_string(status) + ": " + sanitize_message(why);
  return false;
}

void* LoadedPlugin::expect(asio::any_io_executor executor, Completion done) {
  return operation_completions::add(this, [executor, done = std::move(done)](
                                              sparks_status_t status, sparks_str_t result) mutable {
    CheckedAnswer answer = check_answer(status, result);
    asio::post(executor, [done = std::move(done), status = answer.status,
                          text = answer_text(answer)]() mutable { done(status, std::move(text)); });
  });
}

void LoadedPlugin::call(Operation operation, std::string_view integration,
                        std::string_view request_json, Completion done) {
  call(operation, integration, request_json, name_of(operation), std::move(done));
}

void LoadedPlugin::call(Operation operation, std::string_view integration,
                        std::string_view request_json, std::string_view timed_as, Completion done) {
  asio::any_io_executor executor =
      services_->environment().bridge->executor_for(platform(), integration);
  sparks_operation_fn_t entry = nullptr;
  switch (operation) {
    case Operation::authorize_url:
      entry = ops_.authorize_url;
      break;
    case Operation::exchange_code:
      entry = ops_.exchange_code;
      break;
    case Operation::refresh_token:
      entry = ops_.refresh_token;
      break;
    case Operation::revoke:
      entry = ops_.revoke;
      break;
    case Operation::get_account:
      entry = ops_.get_account;
      break;
    case Operation::sync:
      entry = ops_.sync;
      break;
    case Operation::execute_action:
      entry = ops_.execute_action;
      break;
    case Operation::find_action:
      // NULL too when the plugin's table predates ABI 1.3 (the loader copied only what it had).
      entry = ops_.find_action;
      break;
  }
  if (unloaded_ || entry == nullptr) {
    std::string why = unloaded_
                          ? "the plugin is unloaded"
                          : std::string(name_of(operation)) + " is not provided by " + platform();
    sparks_status_t status = unloaded_ ? SPARKS_ERR_CANCELLED : SPARKS_ERR_UNSUPPORTED;
    asio::post(executor, [done = std::move(done), status, why = std::move(why)]() mutable {
      done(status, std::move(why));
    });
    return;
  }
  if (const auto& time_call = services_->environment().time_call) {
    done = [time_call, platform = platform(), call = std::string(timed_as),
            started = std::chrono::steady_clock::now(),
            done = std::move(done)](sparks_status_t status, std::string result) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      if (status != SPARKS_ERR_CANCELLED) time_call(platform, call, took.count());
      done(status, std::move(result));
    };
  }
  void* ticket = expect(executor, std::move(done));
  entry(plugin_.ctx, abi(integration), abi(request_json), &operation_completions::on_done, ticket);
}

void LoadedPlugin::verify_webhook(const WebhookRequest& webhook, WebhookCompletion done) {
  asio::any_io_executor executor = services_->environment().executor;
  if (unloaded_ || ops_.verify_webhook == nullptr) {
    sparks_status_t status = unloaded_ ? SPARKS_ERR_CANCELLED : SPARKS_ERR_UNSUPPORTED;
    asio::post(executor, [done = std::move(done), status]() mutable {
      done(status, "webhooks are not accepted by this plugin", {});
    });
    return;
  }
  // The events are read while the plugin is loaded (its completion can only run until unload).
  void* ticket =
      operation_completions::add(this, [this, executor, done = std::move(done)](
                                           sparks_status_t status, sparks_str_t result) mutable {
        // The events' payloads live on past this answer (into the store, and the flows), each
        // keeping the storage it was parsed into: one block for the document's keys and strings
        // instead of an allocation for each, freed with the last payload.
        CheckedAnswer answer =
            check_answer(status, result,
                         boost::json::make_shared_resource<boost::json::monotonic_resource>(
                             std::min(result.size, kMaxDocumentSize) * 3));
        std::vector<WebhookEvent> events;
        if (answer.status == SPARKS_OK) {
          std::string problem = read_events(answer.document, descriptor_, events);
          if (!problem.empty()) {
            answer.status = SPARKS_ERR_INTERNAL;
            answer.message = "the plugin's webhook result is malformed: " + problem;
            events.clear();
          }
        }
        // Dispatched: a plugin that verifies at once (they all can: it is a signature check)
        // answers on the I/O thread that asked, which goes on with the events there instead of
        // queueing them for another turn. `done` never calls back into the plugin.
        asio::dispatch(executor,
                       [done = std::move(done), status = answer.status,
                        text = std::move(answer.message), events = std::move(events)]() mutable {
                         done(status, std::move(text), std::move(events));
                       });
      });

  std::vector<sparks_header_t> headers;
  for (const auto& [name, value] : webhook.headers) headers.push_back({abi(name), abi(value)});
  sparks_webhook_t request{sizeof(sparks_webhook_t), abi(webhook.method), abi(webhook.path),
                           abi(webhook.query),       headers.data(),      headers.size(),
                           abi(webhook.body)};
  ops_.verify_webhook(plugin_.ctx, &request, &operation_completions::on_done, ticket);
}

void LoadedPlugin::unload() {
  if (unloaded_) return;
  unloaded_ = true;
  // The plugin's own callbacks first: answering them may let it complete operations normally.
  services_->cancel_all();
  for (RawCompletion& completion : operation_completions::take_all(this))
    completion(SPARKS_ERR_CANCELLED, abi("the plugin was unloaded"));
  if (ops_.shutdown != nullptr) ops_.shutdown(plugin_.ctx);
  spdlog::debug("plugin {}: unloaded", path_.filename().string());
}

}  // namespace sparks::plugins

// sparks/plugin.hpp — a thin, header-only C++ layer over sparks/plugin.h.
//
// With it a connector is one class:
//
//   class MyConnector final : public sparks::plugin::Connector {
//    public:
//     explicit MyConnector(sparks::plugin::Host host);     // may throw: init fails
//     static sparks::plugin::Manifest manifest();           // the descriptor
//     void configure(std::string_view config_json) override;  // keys, base URLs; may throw
//     void authorize_url(sparks::plugin::Request request, sparks::plugin::Done done) override;
//     …  // override the operations you provide; the others answer SPARKS_ERR_UNSUPPORTED
//   };
//   SPARKS_PLUGIN_CONNECTOR(MyConnector)
//
// The macro defines the version block and the entry point; the function tables, the descriptor's C
// arrays and the callback plumbing are built here. Exceptions never cross into the host: an
// exception from the constructor (or configure) fails init (or configure) with its message, one
// from an operation fails that operation. Nothing here does I/O: HTTP, timers, logging and storage
// go through Host.
#ifndef SPARKS_PLUGIN_HPP
#define SPARKS_PLUGIN_HPP

#include <sparks/plugin.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sparks::plugin {

// ---- strings across the ABI
// ----------------------------------------------------------------------

// A borrowed view of `text` for the ABI; `text` must outlive every use of the result.
inline sparks_str_t to_abi(std::string_view text) {
  return {text.data(), text.size()};
}
inline std::string_view from_abi(sparks_str_t text) {
  return text.size == 0 ? std::string_view{} : std::string_view(text.data, text.size);
}

// ---- the descriptor, written as plain C++ data
// -----------------------------------------------------

struct Param {
  std::string name;
  sparks_param_type_t type = SPARKS_PARAM_STRING;
  bool required = false;
  std::string description;
  // Actions only: a template the engine renders for this parameter when a flow does not give it,
  // e.g. "{{comment.id}}". Empty: none.
  std::string default_value;
};

// A template variable a trigger offers: `{{name}}` is the payload's `field`.
struct Variable {
  std::string name;   // "comment.text"
  std::string field;  // "text"
  std::string description;
};

// A flow trigger: "<platform>.<name>". `params` are the fields of its payload.
struct Trigger {
  std::string name;
  std::string description;
  std::vector<Param> params;
  sparks_trigger_kind_t kind = SPARKS_TRIGGER_OTHER;
  std::vector<Variable> variables;
  // Non-empty: an event of this trigger may be answered by one message although the person never
  // wrote; the payload field naming what is answered (see reply_field in sparks/plugin.h).
  std::string reply_field;
};

// A platform's messaging window, for actions of kind MESSAGE (see sparks/plugin.h).
struct MessagingWindow {
  std::uint32_t hours = 0;         // 0: no window rule
  std::uint32_t messages = 0;      // at most this many per window; 0: no limit
  std::string conversation_param;  // filled with the person's conversation id
  std::string reply_param;         // filled when answering an event whose trigger grants a reply
};

// An action: "<platform>.<name>".
struct Action {
  std::string name;
  std::string description;
  std::vector<Param> params;
  sparks_action_kind_t kind = SPARKS_ACTION_OTHER;
  sparks_trigger_kind_t answers = SPARKS_TRIGGER_OTHER;  // OTHER: works after any trigger
  MessagingWindow window;
};

// A request rate the platform allows; the host keeps the plugin's requests under it.
struct RateLimit {
  sparks_rate_scope_t scope = SPARKS_RATE_PER_APP;
  bool per_endpoint = false;
  std::uint32_t requests = 0;
  std::uint32_t window_seconds = 60;
  std::string path_prefix;  // empty: every URL
};

struct Scope {
  std::string name;
  std::string description;
  bool required = false;
  std::vector<std::string> enables;  // names of triggers and actions
};

// Something `sync` can read: the request's `what`, the kind of its items, the scope it needs.
struct Sync {
  std::string what;
  sparks_sync_kind_t kind = SPARKS_SYNC_PRODUCTS;
  std::string scope;
};

struct Manifest {
  std::string platform_id;
  std::string display_name;
  std::string version;
  std::vector<Scope> scopes;
  std::vector<std::string> lifecycle_triggers;
  std::vector<Trigger> triggers;
  std::vector<Action> actions;
  std::vector<Sync> syncs;
  std::vector<RateLimit> rate_limits;
};

// Owns a Manifest and the C arrays of sparks_plugin_descriptor_t that point into it. Not movable:
// the C structs hold pointers into its members.
class DescriptorStorage {
 public:
  explicit DescriptorStorage(Manifest manifest) : manifest_(std::move(manifest)) {
    for (const Trigger& trigger : manifest_.triggers) add_trigger(trigger);
    for (const Action& action : manifest_.actions) add_action(action);
    for (const Sync& sync : manifest_.syncs)
      syncs_.push_back({sizeof(sparks_sync_t), to_abi(sync.what), sync.kind, to_abi(sync.scope)});
    for (const RateLimit& limit : manifest_.rate_limits)
      rate_limits_.push_back({sizeof(sparks_rate_limit_t), limit.scope,
                              limit.per_endpoint ? 1u : 0u, limit.requests, limit.window_seconds,
                              to_abi(limit.path_prefix)});
    for (const std::string& name : manifest_.lifecycle_triggers) lifecycle_.push_back(to_abi(name));
    for (const Scope& scope : manifest_.scopes) {
      std::vector<sparks_str_t>& enables = enables_.emplace_back();
      for (const std::string& name : scope.enables) enables.push_back(to_abi(name));
      scopes_.push_back({to_abi(scope.name), to_abi(scope.description), scope.required ? 1 : 0,
                         enables.data(), enables.size()});
    }
    // Taken once every vector above has its final size: the pointers stay valid from here on.
    for (const sparks_flow_trigger_t& t : flow_triggers_) flow_trigger_pointers_.push_back(&t);
    for (const sparks_flow_action_t& a : flow_actions_) flow_action_pointers_.push_back(&a);
    for (const sparks_sync_t& s : syncs_) sync_pointers_.push_back(&s);
    for (const sparks_rate_limit_t& r : rate_limits_) rate_limit_pointers_.push_back(&r);
    descriptor_.struct_size = sizeof(sparks_plugin_descriptor_t);
    descriptor_.platform_id = to_abi(manifest_.platform_id);
    descriptor_.display_name = to_abi(manifest_.display_name);
    descriptor_.version = to_abi(manifest_.version);
    descriptor_.scopes = scopes_.data();
    descriptor_.scope_count = scopes_.size();
    descriptor_.lifecycle_triggers = lifecycle_.data();
    descriptor_.lifecycle_trigger_count = lifecycle_.size();
    descriptor_.triggers = triggers_.data();
    descriptor_.trigger_count = triggers_.size();
    descriptor_.actions = actions_.data();
    descriptor_.action_count = actions_.size();
    descriptor_.flow_triggers = flow_trigger_pointers_.data();
    descriptor_.flow_trigger_count = flow_trigger_pointers_.size();
    descriptor_.flow_actions = flow_action_pointers_.data();
    descriptor_.flow_action_count = flow_action_pointers_.size();
    descriptor_.syncs = sync_pointers_.data();
    descriptor_.sync_count = sync_pointers_.size();
    descriptor_.rate_limits = rate_limit_pointers_.data();
    descriptor_.rate_limit_count = rate_limit_pointers_.size();
  }
  DescriptorStorage(const DescriptorStorage&) = delete;
  DescriptorStorage& operator=(const DescriptorStorage&) = delete;

  const sparks_plugin_descriptor_t* get() const { return &descriptor_; }
  const Manifest& manifest() const { return manifest_; }

 private:
  sparks_operation_t operation(const std::string& name, const std::string& description,
                               const std::vector<Param>& params) {
    std::vector<sparks_param_t>& out = params_.emplace_back();
    for (const Param& p : params)
      out.push_back({to_abi(p.name), p.type, p.required ? 1 : 0, to_abi(p.description)});
    return {to_abi(name), to_abi(description), out.data(), out.size()};
  }

  void add_trigger(const Trigger& trigger) {
    triggers_.push_back(operation(trigger.name, trigger.description, trigger.params));
    std::vector<sparks_variable_t>& variables = variables_.emplace_back();
    for (const Variable& v : trigger.variables)
      variables.push_back({to_abi(v.name), to_abi(v.field), to_abi(v.description)});
    flow_triggers_.push_back({sizeof(sparks_flow_trigger_t), to_abi(trigger.name), trigger.kind,
                              variables.data(), variables.size(), to_abi(trigger.reply_field)});
  }

  void add_action(const Action& action) {
    actions_.push_back(operation(action.name, action.description, action.params));
    std::vector<sparks_param_default_t>& defaults = defaults_.emplace_back();
    for (const Param& p : action.params)
      if (!p.default_value.empty()) defaults.push_back({to_abi(p.name), to_abi(p.default_value)});
    flow_actions_.push_back({sizeof(sparks_flow_action_t), to_abi(action.name), action.kind,
                             action.answers, defaults.data(), defaults.size(), action.window.hours,
                             action.window.messages, to_abi(action.window.conversation_param),
                             to_abi(action.window.reply_param)});
  }

  Manifest manifest_;
  // std::vector<std::vector<…>>: reserve is not needed, inner buffers do not move when the outer
  // vector grows (only the inner vector objects do, keeping their heap storage).
  std::vector<std::vector<sparks_param_t>> params_;
  std::vector<std::vector<sparks_str_t>> enables_;
  std::vector<std::vector<sparks_variable_t>> variables_;
  std::vector<std::vector<sparks_param_default_t>> defaults_;
  std::vector<sparks_operation_t> triggers_;
  std::vector<sparks_operation_t> actions_;
  std::vector<sparks_str_t> lifecycle_;
  std::vector<sparks_scope_t> scopes_;
  std::vector<sparks_flow_trigger_t> flow_triggers_;
  std::vector<sparks_flow_action_t> flow_actions_;
  std::vector<sparks_sync_t> syncs_;
  std::vector<const sparks_flow_trigger_t*> flow_trigger_pointers_;
  std::vector<const sparks_flow_action_t*> flow_action_pointers_;
  std::vector<const sparks_sync_t*> sync_pointers_;
  std::vector<sparks_rate_limit_t> rate_limits_;
  std::vector<const sparks_rate_limit_t*> rate_limit_pointers_;
  sparks_plugin_descriptor_t descriptor_{};
};

// ---- the host's services -----------------------------------------------------------------------

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: the host's default
};

struct HttpResponse {
  sparks_status_t status = SPARKS_ERR_INTERNAL;  // SPARKS_OK when a response arrived
  int http_status = 0;
  Headers headers;
  std::string body;
  std::string error;  // why, when status is not SPARKS_OK
};

// Copyable handle on the host's function table; valid from init until shutdown.
class Host {
 public:
  Host(const sparks_host_api_t* api, sparks_host_t* host) : api_(api), host_(host) {}

  void log(sparks_log_level_t level, std::string_view message) const {
    if (SPARKS_HOST_HAS(api_, log)) api_->log(host_, level, to_abi(message));
  }
  void info(std::string_view message) const { log(SPARKS_LOG_INFO, message); }
  void warn(std::string_view message) const { log(SPARKS_LOG_WARN, message); }
  void error(std::string_view message) const { log(SPARKS_LOG_ERROR, message); }

  sparks_status_t emit_trigger(std::string_view integration, std::string_view trigger,
                               std::string_view payload_json) const {
    if (!SPARKS_HOST_HAS(api_, emit_trigger)) return SPARKS_ERR_UNSUPPORTED;
    return api_->emit_trigger(host_, to_abi(integration), to_abi(trigger), to_abi(payload_json));
  }

  std::optional<std::string> kv_get(std::string_view integration, std::string_view key) const {
    if (!SPARKS_HOST_HAS(api_, kv_get)) return std::nullopt;
    std::optional<std::string> value;
    auto copy = [](void* user, sparks_str_t found) {
      static_cast<std::optional<std::string>*>(user)->emplace(from_abi(found));
    };
    if (api_->kv_get(host_, to_abi(integration), to_abi(key), copy, &value) != SPARKS_OK)
      return std::nullopt;
    return value;
  }
  sparks_status_t kv_put(std::string_view integration, std::string_view key,
                         std::string_view value) const {
    if (!SPARKS_HOST_HAS(api_, kv_put)) return SPARKS_ERR_UNSUPPORTED;
    return api_->kv_put(host_, to_abi(integration), to_abi(key), to_abi(value));
  }
  sparks_status_t kv_delete(std::string_view integration, std::string_view key) const {
    if (!SPARKS_HOST_HAS(api_, kv_delete)) return SPARKS_ERR_UNSUPPORTED;
    return api_->kv_delete(host_, to_abi(integration), to_abi(key));
  }

  // `on_response` runs exactly once, later, when this returns SPARKS_OK; never otherwise.
  sparks_status_t http(std::string_view integration, const HttpRequest& request,
                       std::function<void(HttpResponse)> on_response) const {
    if (!SPARKS_HOST_HAS(api_, http_request)) return SPARKS_ERR_UNSUPPORTED;
    std::vector<sparks_header_t> headers;
    for (const auto& [name, value] : request.headers)
      headers.push_back({to_abi(name), to_abi(value)});
    sparks_http_request_t abi_request{sizeof(sparks_http_request_t),
                                      to_abi(request.method),
                                      to_abi(request.url),
                                      headers.data(),
                                      headers.size(),
                                      to_abi(request.body),
                                      static_cast<uint32_t>(request.timeout.count())};
    auto callback = std::make_unique<std::function<void(HttpResponse)>>(std::move(on_response));
    sparks_status_t status = api_->http_request(host_, to_abi(integration), &abi_request,
                                                &Host::deliver_response, callback.get());
    if (status == SPARKS_OK) callback.release();  // the host now owes exactly one call
    return status;
  }

  // `on_timer` runs exactly once, later (SPARKS_OK: fired, SPARKS_ERR_CANCELLED: cancelled),
  // when this returns SPARKS_OK.
  sparks_status_t set_timer(std::string_view integration, std::chrono::milliseconds delay,
                            std::function<void(sparks_status_t)> on_timer,
                            uint64_t* timer_id = nullptr) const {
    if (!SPARKS_HOST_HAS(api_, set_timer)) return SPARKS_ERR_UNSUPPORTED;
    auto callback = std::make_unique<std::function<void(sparks_status_t)>>(std::move(on_timer));
    uint64_t id = 0;
    sparks_status_t status =
        api_->set_timer(host_, to_abi(integration), static_cast<uint64_t>(delay.count()),
                        &Host::deliver_timer, callback.get(), &id);
    if (status == SPARKS_OK) callback.release();
    if (timer_id != nullptr) *timer_id = id;
    return status;
  }
  void cancel_timer(uint64_t timer_id) const {
    if (SPARKS_HOST_HAS(api_, cancel_timer)) api_->cancel_timer(host_, timer_id);
  }

  std::optional<std::array<uint8_t, 32>> hmac_sha256(std::string_view key,
                                                     std::string_view message) const {
    std::array<uint8_t, 32> mac{};
    if (!SPARKS_HOST_HAS(api_, hmac_sha256) ||
        api_->hmac_sha256(host_, to_abi(key), to_abi(message), mac.data()) != SPARKS_OK)
      return std::nullopt;
    return mac;
  }

 private:
  static void deliver_response(void* user, const sparks_http_response_t* response) {
    std::unique_ptr<std::function<void(HttpResponse)>> callback(
        static_cast<std::function<void(HttpResponse)>*>(user));
    HttpResponse copy;
    copy.status = response->status;
    copy.http_status = response->http_status;
    for (size_t i = 0; i < response->header_count; ++i)
      copy.headers.emplace_back(from_abi(response->headers[i].name),
                                from_abi(response->headers[i].value));
    copy.body = from_abi(response->body);
    copy.error = from_abi(response->error);
    try {
      (*callback)(std::move(copy));
    } catch (...) {
      // Nowhere to report it: the host's callback must not unwind. The operation's Done, if the
      // callback held it, fails when it is released.
    }
  }
  static void deliver_timer(void* user, sparks_status_t status) {
    std::unique_ptr<std::function<void(sparks_status_t)>> callback(
        static_cast<std::function<void(sparks_status_t)>*>(user));
    try {
      (*callback)(status);
    } catch (...) {
    }
  }

  const sparks_host_api_t* api_;
  sparks_host_t* host_;
};

// ---- operations
// ------------------------------------------------------------------------------------

struct Request {
  std::string integration;  // pass back to Host calls unchanged
  std::string json;         // the request document (see sparks_plugin_ops_t)
};

struct Webhook {
  std::string method, path, query, body;
  Headers headers;
  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < key.size() && same; ++i)
        same = ascii_lower(key[i]) == ascii_lower(name[i]);
      if (same) return value;
    }
    return std::nullopt;
  }

 private:
  static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
};

// The completion of one operation. Copies share it; the first ok()/fail() answers the host and
// later ones are ignored. If every copy is dropped unanswered, the host is told
// SPARKS_ERR_INTERNAL, so an operation can never hang because a lambda was lost.
class Done {
 public:
  Done(sparks_done_cb_t done, void* done_user) : state_(std::make_shared<State>(done, done_user)) {}

  void ok(std::string_view result_json = "{}") const { state_->answer(SPARKS_OK, result_json); }
  void fail(sparks_status_t status, std::string_view message) const {
    state_->answer(status == SPARKS_OK ? SPARKS_ERR_INTERNAL : status, message);
  }
  bool answered() const { return state_->answered; }

 private:
  struct State {
    State(sparks_done_cb_t done_cb, void* user) : done(done_cb), done_user(user) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
      if (!answered) answer(SPARKS_ERR_INTERNAL, "the plugin dropped the operation unanswered");
    }
    void answer(sparks_status_t status, std::string_view text) {
      if (answered) return;
      answered = true;
      done(done_user, status, to_abi(text));
    }
    sparks_done_cb_t done;
    void* done_user;
    bool answered = false;
  };
  std::shared_ptr<State> state_;
};

// The base class of a connector. Every operation may answer now or later (after host HTTP calls).
class Connector {
 public:
  virtual ~Connector() = default;

  // The platform's configuration, a JSON object; called once before any operation. Throw to refuse.
  virtual void configure(std::string_view config_json) { (void)config_json; }

  virtual void authorize_url(Request, Done done) { unsupported(done, "authorize_url"); }
  virtual void exchange_code(Request, Done done) { unsupported(done, "exchange_code"); }
  virtual void refresh_token(Request, Done done) { unsupported(done, "refresh_token"); }
  virtual void revoke(Request, Done done) { unsupported(done, "revoke"); }
  virtual void get_account(Request, Done done) { unsupported(done, "get_account"); }
  virtual void verify_webhook(Webhook, Done done) { unsupported(done, "verify_webhook"); }
  virtual void sync(Request, Done done) { unsupported(done, "sync"); }
  virtual void execute_action(Request, Done done) { unsupported(done, "execute_action"); }
  // ABI 1.3: whether an action the host started but never heard back from took effect (see
  // find_action in sparks/plugin.h). Unsupported unless the platform offers a way to tell.
  virtual void find_action(Request, Done done) { unsupported(done, "find_action"); }

 protected:
  static void unsupported(const Done& done, std::string_view operation) {
    done.fail(SPARKS_ERR_UNSUPPORTED, std::string(operation) + " is not provided by this plugin");
  }
};

// ---- the plumbing behind SPARKS_PLUGIN_CONNECTOR
// ---------------------------------------------------

namespace detail {

// What sparks_plugin_ctx_t points to.
struct Instance {
  std::unique_ptr<Connector> connector;
  std::unique_ptr<DescriptorStorage> descriptor;
};

inline Connector& connector_of(sparks_plugin_ctx_t* ctx) {
  return *reinterpret_cast<Instance*>(ctx)->connector;
}

template <void (Connector::*Method)(Request, Done)>
void call(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request_json,
          sparks_done_cb_t done, void* done_user) {
  Done completion(done, done_user);
  try {
    (connector_of(ctx).*Method)(
        Request{std::string(from_abi(integration)), std::string(from_abi(request_json))},
        completion);
  } catch (const std::exception& e) {
    completion.fail(SPARKS_ERR_INTERNAL, e.what());
  } catch (...) {
    completion.fail(SPARKS_ERR_INTERNAL, "unknown exception");
  }
}

inline void call_verify_webhook(sparks_plugin_ctx_t* ctx, const sparks_webhook_t* webhook,
                                sparks_done_cb_t done, void* done_user) {
  Done completion(done, done_user);
  try {
    Webhook copy{std::string(from_abi(webhook->method)),
                 std::string(from_abi(webhook->path)),
                 std::string(from_abi(webhook->query)),
                 std::string(from_abi(webhook->body)),
                 {}};
    for (size_t i = 0; i < webhook->header_count; ++i)
      copy.headers.emplace_back(from_abi(webhook->headers[i].name),
                                from_abi(webhook->headers[i].value));
    connector_of(ctx).verify_webhook(std::move(copy), completion);
  } catch (const std::exception& e) {
    completion.fail(SPARKS_ERR_INTERNAL, e.what());
  } catch (...) {
    completion.fail(SPARKS_ERR_INTERNAL, "unknown exception");
  }
}

inline sparks_status_t configure(sparks_plugin_ctx_t* ctx, sparks_str_t config_json,
                                 sparks_str_t* error) {
  static thread_local std::string failure;  // must outlive the call (the host copies it after)
  try {
    connector_of(ctx).configure(from_abi(config_json));
    return SPARKS_OK;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  *error = to_abi(failure);
  return SPARKS_ERR_INVALID_ARGUMENT;
}

inline void shutdown(sparks_plugin_ctx_t* ctx) {
  delete reinterpret_cast<Instance*>(ctx);
}

inline const sparks_plugin_ops_t kOperations = {
    sizeof(sparks_plugin_ops_t),
    &configure,
    &call<&Connector::authorize_url>,
    &call<&Connector::exchange_code>,
    &call<&Connector::refresh_token>,
    &call<&Connector::revoke>,
    &call<&Connector::get_account>,
    &call_verify_webhook,
    &call<&Connector::sync>,
    &call<&Connector::execute_action>,
    &shutdown,
    &call<&Connector::find_action>,
};

template <typename ConnectorClass>
sparks_status_t init(const sparks_host_api_t* host_api, sparks_host_t* host,
                     sparks_plugin_t* plugin, sparks_str_t* error) {
  // The message must outlive init's return (the host copies it right after).
  static thread_local std::string failure;
  try {
    auto instance = std::make_unique<Instance>();
    instance->descriptor = std::make_unique<DescriptorStorage>(ConnectorClass::manifest());
    instance->connector = std::make_unique<ConnectorClass>(Host(host_api, host));
    plugin->descriptor = instance->descriptor->get();
    plugin->ops = &kOperations;
    plugin->ctx = reinterpret_cast<sparks_plugin_ctx_t*>(instance.release());
    return SPARKS_OK;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  *error = to_abi(failure);
  return SPARKS_ERR_INVALID_ARGUMENT;
}

}  // namespace detail
}  // namespace sparks::plugin

// Defines the version block and the entry point for ConnectorClass. Use once, at file scope.
#define SPARKS_PLUGIN_CONNECTOR(ConnectorClass)                                           \
  SPARKS_PLUGIN_DEFINE_ABI();                                                             \
  SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {                            \
    return ::sparks::plugin::detail::init<ConnectorClass>(host_api, host, plugin, error); \
  }

#endif  // SPARKS_PLUGIN_HPP

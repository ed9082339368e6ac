/*
 * sparks/plugin.h — the Sparks connector plugin ABI.
 *
 * A connector plugin is a shared library that the Sparks engine loads with dlopen. This one C
 * header is the whole contract between the two; it compiles as C11 and as C++.
 *
 * Naming rule: every exported symbol and function-pointer member is `sparks_…` / a verb, every type
 * is `sparks_…_t`, every constant is `SPARKS_…`.
 *
 * How a plugin is loaded, in order:
 *   1. the host reads the data symbol `sparks_plugin_abi` (a sparks_plugin_abi_t) and checks its
 *      magic and ABI major version — before any plugin code is called;
 *   2. the host calls `sparks_plugin_init` once, passing its function table (sparks_host_api_t);
 *      the plugin fills in a sparks_plugin_t: its context, its descriptor and its operations;
 *   3. the host copies and validates the descriptor, and refuses the plugin if it is wrong;
 *   4. the host calls `configure` with the platform's configuration (client keys, base URLs), then
 *      operations as integrations need them (`sparks plugin inspect` stops after step 3);
 *   5. on shutdown the host cancels what the plugin still has in flight, calls `shutdown`, and
 *      unloads the library.
 * Declare both symbols with SPARKS_PLUGIN_DEFINE_ABI() and SPARKS_PLUGIN_INIT_FUNCTION (below).
 *
 * Plugins do no I/O of their own. HTTP, timers, logging, a per-integration key-value store and
 * "emit trigger" are lent by the host through sparks_host_api_t, so a plugin never blocks the
 * engine.
 *
 * Threads: every call into the plugin, and every callback the host makes, runs on the engine's
 * executor. Calls concerning one integration never run concurrently; calls for different
 * integrations may. Keep plugin-wide state read-only after init, and per-integration state in the
 * host's key-value store (or guard it yourself).
 *
 * Ownership, written on every pointer below:
 *   borrowed  — valid only for the duration of the call that hands it over; copy what you keep.
 *   plugin-owned / host-owned — the named side allocates it and frees it, at the time stated.
 *
 * Callbacks: when a host function that takes a callback returns SPARKS_OK, the host calls that
 * callback exactly once, later (never before the function returns). When it returns an error, it
 * never calls it. In the other direction a plugin must call each `done` it is given exactly once,
 * either before the operation returns or later; the host ignores (and logs) a second call.
 *
 * Compatibility: SPARKS_PLUGIN_ABI_MAJOR changes only when an existing layout or meaning changes;
 * the host refuses a plugin built for a newer major. Growth is backwards compatible: the structs
 * that start with `struct_size` only ever gain members at their end; each side reads the members
 * that fit in the other side's `struct_size` and treats the rest as absent (NULL / zero).
 */
#ifndef SPARKS_PLUGIN_H
#define SPARKS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define SPARKS_EXTERN_C extern "C"
#else
#define SPARKS_EXTERN_C
#endif

/* Exported from the plugin even when it builds with -fvisibility=hidden. */
#if defined(_WIN32)
#define SPARKS_PLUGIN_VISIBLE __declspec(dllexport)
#else
#define SPARKS_PLUGIN_VISIBLE __attribute__((visibility("default")))
#endif
#define SPARKS_PLUGIN_EXPORT SPARKS_EXTERN_C SPARKS_PLUGIN_VISIBLE

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------- */
/* Version block                                                                                  */
/* ---------------------------------------------------------------------------------------------- */

#define SPARKS_PLUGIN_ABI_MAGIC 0x53504B31u /* "SPK1" */
#define SPARKS_PLUGIN_ABI_MAJOR 1u
#define SPARKS_PLUGIN_ABI_MINOR 3u

/* Checked by the host before anything else in the plugin is touched. */
typedef struct sparks_plugin_abi_t {
  uint32_t magic; /* SPARKS_PLUGIN_ABI_MAGIC */
  uint32_t major; /* SPARKS_PLUGIN_ABI_MAJOR the plugin was built with */
  uint32_t minor; /* SPARKS_PLUGIN_ABI_MINOR the plugin was built with */
} sparks_plugin_abi_t;

/* Names of the two exported symbols the host looks up. */
#define SPARKS_PLUGIN_ABI_SYMBOL "sparks_plugin_abi"
#define SPARKS_PLUGIN_INIT_SYMBOL "sparks_plugin_init"

/* Defines the version block; put it in exactly one source file of the plugin. */
#define SPARKS_PLUGIN_DEFINE_ABI()                                     \
  SPARKS_PLUGIN_EXPORT const sparks_plugin_abi_t sparks_plugin_abi = { \
      SPARKS_PLUGIN_ABI_MAGIC, SPARKS_PLUGIN_ABI_MAJOR, SPARKS_PLUGIN_ABI_MINOR}

/* ---------------------------------------------------------------------------------------------- */
/* Basic types                                                                                    */
/* ---------------------------------------------------------------------------------------------- */

/* A UTF-8 string view: `size` bytes at `data`, not necessarily NUL-terminated. `data` may be NULL
 * only when `size` is 0. The host checks every string it receives (size limits, UTF-8, NULL). */
typedef struct sparks_str_t {
  const char* data; /* ownership: stated where the string is handed over */
  size_t size;
} sparks_str_t;

/* Integer status codes. A failing call also carries a one-line message. */
typedef int32_t sparks_status_t;
enum {
  SPARKS_OK = 0,
  SPARKS_ERR_INVALID_ARGUMENT = 1, /* the request or a value in it is malformed */
  SPARKS_ERR_UNSUPPORTED = 2,      /* this plugin (or host) does not provide the operation */
  SPARKS_ERR_NOT_FOUND = 3,        /* no such key, action or account */
  SPARKS_ERR_UNAUTHORIZED = 4,     /* the platform rejected the credentials: reconnect needed */
  SPARKS_ERR_FORBIDDEN = 5,        /* the platform refused: a scope is missing */
  SPARKS_ERR_RATE_LIMITED = 6,     /* the platform answered 429 */
  SPARKS_ERR_UNAVAILABLE = 7,      /* network failure or platform 5xx: worth retrying later */
  SPARKS_ERR_TIMEOUT = 8,          /* the host's deadline passed */
  SPARKS_ERR_CANCELLED = 9,        /* cancelled, or the host is shutting down */
  SPARKS_ERR_BAD_SIGNATURE = 10,   /* a webhook's signature does not verify */
  SPARKS_ERR_PROTOCOL = 11,        /* the platform answered something unexpected */
  SPARKS_ERR_TOO_LARGE = 12,       /* a string or body is over the host's limit */
  SPARKS_ERR_INTERNAL = 13         /* a bug */
};

typedef int32_t sparks_log_level_t;
enum { SPARKS_LOG_DEBUG = 0, SPARKS_LOG_INFO = 1, SPARKS_LOG_WARN = 2, SPARKS_LOG_ERROR = 3 };

/* An HTTP header. Both strings follow the ownership of the struct that holds the header. */
typedef struct sparks_header_t {
  sparks_str_t name;
  sparks_str_t value;
} sparks_header_t;

/* Opaque handles. */
typedef struct sparks_host_t sparks_host_t; /* host-owned; valid until shutdown returns */
typedef struct sparks_plugin_ctx_t sparks_plugin_ctx_t; /* plugin-owned; freed by `shutdown` */

/* ---------------------------------------------------------------------------------------------- */
/* The descriptor: what the plugin is and what it offers                                          */
/* ---------------------------------------------------------------------------------------------- */
/* Every pointer in the descriptor is plugin-owned and must stay valid and unchanged from init until
 * shutdown returns (static data is the usual choice). The host copies it once, after init, and
 * validates the copy against schemas/plugin-manifest.schema.json. */

typedef int32_t sparks_param_type_t;
enum {
  SPARKS_PARAM_STRING = 1,
  SPARKS_PARAM_INTEGER = 2,
  SPARKS_PARAM_NUMBER = 3,
  SPARKS_PARAM_BOOLEAN = 4,
  SPARKS_PARAM_OBJECT = 5,
  SPARKS_PARAM_ARRAY = 6
};

/* A parameter of an action, or a field of a flow trigger's payload. */
typedef struct sparks_param_t {
  sparks_str_t name;        /* "text": lower_snake_case */
  sparks_param_type_t type; /* SPARKS_PARAM_… */
  int32_t required;         /* 1: must be present; 0: optional */
  sparks_str_t description; /* one line for flow authors; may be empty */
} sparks_param_t;

/* A flow trigger ("tiktok.comment") or an action ("tiktok.send_dm"). The name is the platform id,
 * a dot, and lower_snake_case. */
typedef struct sparks_operation_t {
  sparks_str_t name;
  sparks_str_t description;
  const sparks_param_t* params; /* plugin-owned array of `param_count` */
  size_t param_count;
} sparks_operation_t;

/* An OAuth scope the plugin may request, and the triggers and actions it enables: a trigger or
 * action whose enabling scope was not granted is not available for that integration. */
typedef struct sparks_scope_t {
  sparks_str_t name;           /* as the platform spells it: "comment.list" */
  sparks_str_t description;    /* what the owner grants, in a few words */
  int32_t required;            /* 1: without it the integration is only partially connected */
  const sparks_str_t* enables; /* plugin-owned array of `enables_count` trigger/action names */
  size_t enables_count;
} sparks_scope_t;

/* ---- Added in ABI 1.1: what flows can use, and what the engine reads ------------------------ */
/* A trigger or action the descriptor declares is usable by flows as it stands; the structs below
 * give it meaning. Each names one of the descriptor's triggers or actions; one that is not
 * described is of kind OTHER and offers no variables. The JSON a trigger carries, and what syncs
 * answer, are the normalized shapes described under "Normalized shapes" below. */

/* What a flow trigger is, which tells the engine what to do with it besides running flows. */
typedef int32_t sparks_trigger_kind_t;
enum {
  SPARKS_TRIGGER_OTHER = 0,   /* nothing more: its author becomes a contact */
  SPARKS_TRIGGER_COMMENT = 1, /* a public comment on a post: the commenter is noted per post */
  SPARKS_TRIGGER_MESSAGE = 2, /* a private message to the account: it goes in the inbox */
  SPARKS_TRIGGER_ORDER = 3    /* an order placed or changed: looked up, stored, attributed */
};

/* What an action does, as far as the engine is concerned. */
typedef int32_t sparks_action_kind_t;
enum {
  SPARKS_ACTION_OTHER = 0,
  SPARKS_ACTION_MESSAGE = 1 /* sends the contact a private message: an inbox line, counted as a
                               DM sent, and what an order is attributed to */
};

/* What a sync's items are (see "Normalized shapes"). */
typedef int32_t sparks_sync_kind_t;
enum {
  SPARKS_SYNC_PRODUCTS = 1, /* the catalog, one item per SKU: flows name products by seller_sku */
  SPARKS_SYNC_POSTS = 2,    /* the account's posts */
  SPARKS_SYNC_COMMENTS = 3, /* recent comments: activity no webhook reported */
  SPARKS_SYNC_ORDERS = 4    /* orders by id: never synced whole, looked up for an order trigger */
};

/* A template variable a flow trigger offers: `{{comment.text}}` is the payload's field "text".
 * Like sparks_param_t, this struct never changes. Its strings follow the descriptor's ownership. */
typedef struct sparks_variable_t {
  sparks_str_t name;        /* "comment.text": a lower_snake_case group, a dot, a lower_snake_case
                               name; the groups "contact" and "product" are the engine's */
  sparks_str_t field;       /* the payload field it is read from: "text" */
  sparks_str_t description; /* one line for flow authors; may be empty */
} sparks_variable_t;

/* A parameter the engine fills from the event when a flow does not give it, by rendering a
 * template: "comment_id" from "{{comment.id}}". Like sparks_param_t, this struct never changes. */
typedef struct sparks_param_default_t {
  sparks_str_t param; /* one of the action's params */
  sparks_str_t value; /* a template over the trigger's variables and contact.* */
} sparks_param_default_t;

/* The meaning of one flow trigger. Grows only at its end (see struct_size). */
typedef struct sparks_flow_trigger_t {
  size_t struct_size;                 /* sizeof(sparks_flow_trigger_t) as the plugin compiled it */
  sparks_str_t name;                  /* one of the descriptor's `triggers` */
  sparks_trigger_kind_t kind;         /* SPARKS_TRIGGER_… */
  const sparks_variable_t* variables; /* plugin-owned array of `variable_count` */
  size_t variable_count;
  /* Added in ABI 1.2. Non-empty: the platform lets the account answer an event of this trigger
   * with ONE private message even though the person never wrote to it (TikTok's
   * Comment-to-Message); the payload field that names what is answered ("comment_id"). The engine
   * hands its value to the MESSAGE action's `reply_param`. */
  sparks_str_t reply_field;
} sparks_flow_trigger_t;

/* The meaning of one action. Grows only at its end (see struct_size). */
typedef struct sparks_flow_action_t {
  size_t struct_size;            /* sizeof(sparks_flow_action_t) as the plugin compiled it */
  sparks_str_t name;             /* one of the descriptor's `actions` */
  sparks_action_kind_t kind;     /* SPARKS_ACTION_… */
  sparks_trigger_kind_t answers; /* the kind of trigger it answers (a reply to a comment:
                                    SPARKS_TRIGGER_COMMENT); SPARKS_TRIGGER_OTHER: any trigger */
  const sparks_param_default_t* defaults; /* plugin-owned array of `default_count` */
  size_t default_count;
  /* Added in ABI 1.2: the platform's messaging window, for actions of kind MESSAGE. A message
   * reaches a person only within `window_hours` after that person last wrote to the account, and
   * at most `window_messages` messages per window (0: no such rule). The engine runs the step only
   * when a window is open (or the trigger grants a reply, see reply_field); otherwise the step is
   * skipped with the reason and the flow's fallback step runs. */
  uint32_t window_hours;
  uint32_t window_messages;
  sparks_str_t conversation_param; /* the param the engine fills with the person's conversation
                                      id (from their last MESSAGE trigger); empty: none */
  sparks_str_t reply_param; /* the param the engine fills when answering an event whose trigger
                               grants a reply; empty: the action cannot answer that way */
} sparks_flow_action_t;

/* Added in ABI 1.2: a request rate the platform allows. The host holds back the plugin's HTTP
 * requests (http_request) so that none goes over: a request that would waits, in order, on the
 * plugin's executor, and counts from when it is sent. */
typedef int32_t sparks_rate_scope_t;
enum {
  SPARKS_RATE_PER_APP = 1,    /* all requests of the plugin, whatever integration they are for */
  SPARKS_RATE_PER_ACCOUNT = 2 /* the requests for one integration (one authorized account) */
};
typedef struct sparks_rate_limit_t {
  size_t struct_size;        /* sizeof(sparks_rate_limit_t) as the plugin compiled it */
  sparks_rate_scope_t scope; /* SPARKS_RATE_… */
  uint32_t per_endpoint;     /* nonzero: counted separately for each URL path */
  uint32_t requests;         /* at most this many requests … */
  uint32_t window_seconds;   /* … in any `window_seconds` */
  sparks_str_t path_prefix;  /* it applies to URLs whose path starts with this; empty: every URL */
} sparks_rate_limit_t;

/* Something `sync` can read, and the scope it needs. Grows only at its end (see struct_size). */
typedef struct sparks_sync_t {
  size_t struct_size;      /* sizeof(sparks_sync_t) as the plugin compiled it */
  sparks_str_t what;       /* the request's "what": "products", lower_snake_case */
  sparks_sync_kind_t kind; /* SPARKS_SYNC_… */
  sparks_str_t scope;      /* one of the descriptor's scopes; empty: it needs none */
} sparks_sync_t;

typedef struct sparks_plugin_descriptor_t {
  size_t struct_size;           /* sizeof(sparks_plugin_descriptor_t) as the plugin compiled it */
  sparks_str_t platform_id;     /* "tiktok": [a-z][a-z0-9_]*, unique among loaded plugins */
  sparks_str_t display_name;    /* "TikTok" */
  sparks_str_t version;         /* the plugin's own version, semantic: "1.4.0" */
  const sparks_scope_t* scopes; /* plugin-owned array of `scope_count` */
  size_t scope_count;
  /* Lifecycle events the plugin may emit: "authorization_removed", "token_refresh_failed",
   * "refresh_token_rejected", "token_refreshed", "platform_unavailable", "platform_recovered". */
  const sparks_str_t* lifecycle_triggers; /* plugin-owned array of `lifecycle_trigger_count` */
  size_t lifecycle_trigger_count;
  const sparks_operation_t* triggers; /* flow triggers; plugin-owned array of `trigger_count` */
  size_t trigger_count;
  const sparks_operation_t* actions; /* plugin-owned array of `action_count` */
  size_t action_count;
  /* Added in ABI 1.1. Arrays of pointers, so that each struct can grow at its end. */
  const sparks_flow_trigger_t* const* flow_triggers; /* plugin-owned array of `flow_trigger_count`
                                                        pointers, each plugin-owned */
  size_t flow_trigger_count;
  const sparks_flow_action_t* const* flow_actions; /* plugin-owned array of `flow_action_count`
                                                      pointers, each plugin-owned */
  size_t flow_action_count;
  const sparks_sync_t* const* syncs; /* plugin-owned array of `sync_count` pointers, each
                                        plugin-owned */
  size_t sync_count;
  /* Added in ABI 1.2. */
  const sparks_rate_limit_t* const* rate_limits; /* plugin-owned array of `rate_limit_count`
                                                    pointers, each plugin-owned */
  size_t rate_limit_count;
  /* New members are added here, at the end, in later minor versions. */
} sparks_plugin_descriptor_t;

/* ---------------------------------------------------------------------------------------------- */
/* Normalized shapes: the JSON the engine reads                                                   */
/* ---------------------------------------------------------------------------------------------- */
/* The engine knows no platform's own shapes: each plugin translates into these. Field names are
 * fixed; text is a JSON string (prices and totals too: decimal text such as "39.99"); a field
 * marked ? may be absent. A plugin may add fields of its own, which the engine ignores.
 *
 * Flow trigger payloads (webhook events and emit_trigger), by the trigger's kind:
 *   every kind  "user"?: the person's id on the platform (they become a contact),
 *               "username"?: their handle
 *   COMMENT     "comment_id", "video_id" (the post commented on), "text", "user",
 *               "is_live"? (true: a comment during a live stream)
 *   MESSAGE     "text", "user", "conversation_id"?, "message_id"?
 *   ORDER       "order_id", "order_status"?; the engine looks the order up (the descriptor's
 *               SPARKS_SYNC_ORDERS sync) and adds "user" (the buyer), "total" and "currency" to the
 *               payload before flows run, so variables may read them.
 *
 * Sync answers are {"items": [..], "next_cursor"?}; the request is
 * {"credentials", "what", "cursor"?}, and {"credentials", "what", "ids": [..]} for orders. Items:
 *   PRODUCTS    {"sku_id", "product_id", "seller_sku", "title", "price", "currency", "url"}
 *               (one per SKU; "url": the product's page, which flows send as {{product.link}})
 *   POSTS       {"id", "title"}
 *   COMMENTS    {"id", "create_time"} (unix seconds)
 *   ORDERS      {"id", "buyer", "status", "total", "currency",
 *                "items": [{"sku_id", "seller_sku", "quantity" (integer), "price"}],
 *                "attribution_codes"?: [..] (1.2: what the order brought back that may be a code
 *                a message offered as {{attribution.code}}, e.g. words of the buyer's note)}
 *
 * Actions of kind MESSAGE: the engine's "params" also carry "skus", the seller_skus of the
 * products the message presents (possibly none), and the message is the "text" param; with a
 * messaging window (1.2), the conversation or reply param the window names. The result is
 * {"message_id"?, "conversation_id"?}.
 *
 * Accounts (get_account): {"id", "name", "type": "business"|"personal", "business_id"?,
 *   "region"?, "unavailable"?: [{"action", "reason"}] (actions the platform will not perform for
 *   this account, and why in words a person understands: the card shows them, flows skip them)} */

/* ---------------------------------------------------------------------------------------------- */
/* The host's function table (host → plugin services)                                             */
/* ---------------------------------------------------------------------------------------------- */
/* `integration` names the integration a call concerns: an opaque string the host hands to every
 * operation; pass it back unchanged. Strings the plugin passes in are borrowed: the host copies
 * what it keeps before returning. */

/* An outgoing HTTP request. The struct and everything it points to are borrowed: the host copies
 * them before http_request returns. */
typedef struct sparks_http_request_t {
  size_t struct_size;             /* sizeof(sparks_http_request_t) as the plugin compiled it */
  sparks_str_t method;            /* "GET", "POST", … */
  sparks_str_t url;               /* absolute http:// or https:// URL */
  const sparks_header_t* headers; /* array of `header_count` (Host and Content-Length are set) */
  size_t header_count;
  sparks_str_t body;   /* may be empty */
  uint32_t timeout_ms; /* whole exchange; 0: the host's default (30 s); capped by the host */
} sparks_http_request_t;

/* The outcome of an HTTP request. The struct and everything it points to are host-owned and
 * borrowed for the duration of the callback. */
typedef struct sparks_http_response_t {
  size_t struct_size;     /* sizeof(sparks_http_response_t) as the host compiled it */
  sparks_status_t status; /* SPARKS_OK when a response arrived, whatever its HTTP status; else
                             SPARKS_ERR_TIMEOUT, _UNAVAILABLE (DNS, connect, TLS), _CANCELLED, … */
  int32_t http_status;    /* 200, 404, …; 0 when no response arrived */
  const sparks_header_t* headers; /* array of `header_count` */
  size_t header_count;
  sparks_str_t body;
  sparks_str_t error; /* when status is not SPARKS_OK: one line saying why */
} sparks_http_response_t;

/* `user` is whatever the plugin passed along with the callback; the host never touches it. */
typedef void (*sparks_http_response_cb_t)(void* user, const sparks_http_response_t* response);
/* status: SPARKS_OK when the timer fired, SPARKS_ERR_CANCELLED when it was cancelled. */
typedef void (*sparks_timer_cb_t)(void* user, sparks_status_t status);
/* `value` is host-owned, borrowed for the duration of the callback. */
typedef void (*sparks_value_cb_t)(void* user, sparks_str_t value);

typedef struct sparks_host_api_t {
  size_t struct_size; /* sizeof(sparks_host_api_t) as the host compiled it; see SPARKS_HOST_HAS */
  uint32_t abi_major; /* the host's SPARKS_PLUGIN_ABI_MAJOR */
  uint32_t abi_minor; /* the host's SPARKS_PLUGIN_ABI_MINOR */

  /* Writes one line to the engine's log, tagged with the plugin's platform id. */
  void (*log)(sparks_host_t* host, sparks_log_level_t level, sparks_str_t message);

  /* Emits a trigger for an integration: a lifecycle trigger or a flow trigger the descriptor
   * declares, with a JSON object as payload. It enters the engine's durable event path, like a
   * webhook's events. Fails with SPARKS_ERR_INVALID_ARGUMENT for an undeclared trigger or a payload
   * that is not a JSON object. */
  sparks_status_t (*emit_trigger)(sparks_host_t* host, sparks_str_t integration,
                                  sparks_str_t trigger, sparks_str_t payload_json);

  /* The integration's key-value store (durable; keys and values are UTF-8). kv_get calls
   * `on_value` once, before returning, and returns SPARKS_OK; or returns SPARKS_ERR_NOT_FOUND and
   * does not call it. */
  sparks_status_t (*kv_get)(sparks_host_t* host, sparks_str_t integration, sparks_str_t key,
                            sparks_value_cb_t on_value, void* user);
  sparks_status_t (*kv_put)(sparks_host_t* host, sparks_str_t integration, sparks_str_t key,
                            sparks_str_t value);
  sparks_status_t (*kv_delete)(sparks_host_t* host, sparks_str_t integration, sparks_str_t key);

  /* Starts an HTTP(S) request on the integration's executor (TLS certificates are verified).
   * On SPARKS_OK, `on_response` is called exactly once, later — with SPARKS_ERR_CANCELLED if the
   * host shuts down first. */
  sparks_status_t (*http_request)(sparks_host_t* host, sparks_str_t integration,
                                  const sparks_http_request_t* request,
                                  sparks_http_response_cb_t on_response, void* user);

  /* Calls `on_timer` once after `delay_ms` on the integration's executor, or with
   * SPARKS_ERR_CANCELLED after cancel_timer or at shutdown. `*timer_id` (plugin-owned out
   * parameter) receives an id for cancel_timer. Cancelling a timer that already fired does
   * nothing. */
  sparks_status_t (*set_timer)(sparks_host_t* host, sparks_str_t integration, uint64_t delay_ms,
                               sparks_timer_cb_t on_timer, void* user, uint64_t* timer_id);
  void (*cancel_timer)(sparks_host_t* host, uint64_t timer_id);

  /* HMAC-SHA256 of `message` under `key`, into `out` (plugin-owned, 32 bytes), for webhook
   * signatures and request signing without linking a crypto library. */
  sparks_status_t (*hmac_sha256)(sparks_host_t* host, sparks_str_t key, sparks_str_t message,
                                 uint8_t out[32]);

  /* New members are added here, at the end, in later minor versions. */
} sparks_host_api_t;

/* True when the host's table is long enough to hold `member` (and it is set). */
#define SPARKS_HOST_HAS(api, member)                                                    \
  ((api)->struct_size >= offsetof(sparks_host_api_t, member) + sizeof((api)->member) && \
   (api)->member != NULL)

/* ---------------------------------------------------------------------------------------------- */
/* The plugin's operations (host → plugin)                                                        */
/* ---------------------------------------------------------------------------------------------- */

/* The completion of an operation. On SPARKS_OK `result` is the operation's JSON document (see each
 * operation); otherwise it is a one-line message. `result` is plugin-owned and borrowed by the host
 * for the duration of the call; `done_user` is host-owned: pass it back unchanged. */
typedef void (*sparks_done_cb_t)(void* done_user, sparks_status_t status, sparks_str_t result);

/* One asynchronous operation for one integration. `integration` and `request_json` are host-owned
 * and borrowed until the operation returns: copy what the completion needs. */
typedef void (*sparks_operation_fn_t)(sparks_plugin_ctx_t* ctx, sparks_str_t integration,
                                      sparks_str_t request_json, sparks_done_cb_t done,
                                      void* done_user);

/* An inbound webhook. The struct and everything it points to are host-owned and borrowed until
 * verify_webhook returns. `body` holds the exact bytes received, for signature checks. */
typedef struct sparks_webhook_t {
  size_t struct_size; /* sizeof(sparks_webhook_t) as the host compiled it */
  sparks_str_t method;
  sparks_str_t path;
  sparks_str_t query;
  const sparks_header_t* headers; /* array of `header_count` */
  size_t header_count;
  sparks_str_t body;
} sparks_webhook_t;

typedef void (*sparks_webhook_fn_t)(sparks_plugin_ctx_t* ctx, const sparks_webhook_t* webhook,
                                    sparks_done_cb_t done, void* done_user);

/* Requests and results are JSON objects. `credentials` is the object that exchange_code or
 * refresh_token returned; the host stores it encrypted and passes it back. Operations a plugin does
 * not provide are NULL, and those added after the minor it was built for lie past its struct_size:
 * the host answers SPARKS_ERR_UNSUPPORTED for both. */
typedef struct sparks_plugin_ops_t {
  size_t struct_size; /* sizeof(sparks_plugin_ops_t) as the plugin compiled it */

  /* Called once, before any operation, with the platform's configuration: a JSON object such as
   * {"client_key", "client_secret", "auth_base_url", "api_base_url"} (borrowed). On failure, sets
   * `*error` (host-owned out parameter) to a one-line reason whose bytes stay valid after the call
   * returns, and the host does not use the plugin. NULL: the plugin takes no configuration. */
  sparks_status_t (*configure)(sparks_plugin_ctx_t* ctx, sparks_str_t config_json,
                               sparks_str_t* error);

  /* {"redirect_uri", "state", "scopes": [..], "code_challenge"?} → {"url"} */
  sparks_operation_fn_t authorize_url;
  /* {"code", "redirect_uri", "code_verifier"?} → credentials:
   * {"access_token", "refresh_token", "expires_in", "granted_scopes": [..], "account_id", …} */
  sparks_operation_fn_t exchange_code;
  /* {"credentials"} → credentials. SPARKS_ERR_UNAUTHORIZED: the refresh token was rejected. */
  sparks_operation_fn_t refresh_token;
  /* {"credentials"} → {} */
  sparks_operation_fn_t revoke;
  /* {"credentials"} → {"id", "name", "type": "business"|"creator"|"personal", "business_id"} */
  sparks_operation_fn_t get_account;
  /* webhook → {"events": [{"id", "account", "trigger", "payload": {..}}]}; each trigger is one
   * the descriptor declares. SPARKS_ERR_BAD_SIGNATURE when it does not verify. */
  sparks_webhook_fn_t verify_webhook;
  /* {"credentials", "what", "cursor"?, "ids"?} → {"items": [..], "next_cursor"?}; `what` is one
   * of the descriptor's syncs (a plugin may answer others of its own) */
  sparks_operation_fn_t sync;
  /* {"credentials", "action", "params": {..}} → the action's result object */
  sparks_operation_fn_t execute_action;

  /* Called once, last, after every callback the host owed the plugin has been made. Frees `ctx`.
   * No other call follows. */
  void (*shutdown)(sparks_plugin_ctx_t* ctx);

  /* Added in 1.3. Whether an action the host started, but whose outcome it never heard (the
   * process stopped during the call), took effect at the platform:
   * {"credentials", "action", "params": {..}, "since": unix seconds when the call started}
   *   → {"found": true, "result": {..the action's result object, as execute_action answers..}}
   *   | {"found": false}
   * SPARKS_ERR_UNSUPPORTED when the platform offers no way to tell for this action; the host then
   * records the outcome as unknown and does not send it again. NULL: unsupported for every action.
   * Ownership as for every sparks_operation_fn_t (above). */
  sparks_operation_fn_t find_action;

  /* New operations are added here, at the end, in later minor versions. */
} sparks_plugin_ops_t;

/* What init fills in. This struct never changes; `ops` and `descriptor` carry their own sizes. */
typedef struct sparks_plugin_t {
  sparks_plugin_ctx_t* ctx;                     /* plugin-owned; passed back to every operation */
  const sparks_plugin_descriptor_t* descriptor; /* plugin-owned; valid until shutdown returns */
  const sparks_plugin_ops_t* ops;               /* plugin-owned; valid until shutdown returns */
} sparks_plugin_t;

/* ---------------------------------------------------------------------------------------------- */
/* The entry point                                                                                */
/* ---------------------------------------------------------------------------------------------- */

/* Called once after the version block was accepted. Init only describes the plugin: it gets no
 * configuration (see `configure`) and must not need any.
 *   host_api     host-owned; valid until shutdown returns (keep the pointer).
 *   host         host-owned; valid until shutdown returns; pass it to every host_api function.
 *   plugin       host-owned out parameter, zeroed by the host; fill in all three members.
 *   error        host-owned out parameter: on failure, a one-line reason whose bytes stay valid
 *                after init returns (a string literal, or a static buffer).
 * Returns SPARKS_OK, or an error code after releasing anything allocated (shutdown is then not
 * called). */
typedef sparks_status_t (*sparks_plugin_init_fn_t)(const sparks_host_api_t* host_api,
                                                   sparks_host_t* host, sparks_plugin_t* plugin,
                                                   sparks_str_t* error);

/* The two symbols a plugin exports (declared here so that the compiler checks their types). */
extern SPARKS_PLUGIN_VISIBLE const sparks_plugin_abi_t sparks_plugin_abi;
SPARKS_PLUGIN_VISIBLE sparks_status_t sparks_plugin_init(const sparks_host_api_t* host_api,
                                                         sparks_host_t* host,
                                                         sparks_plugin_t* plugin,
                                                         sparks_str_t* error);

/* Begins the definition of the entry point:
 *   SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) { … } */
#define SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error)                        \
  SPARKS_PLUGIN_EXPORT sparks_status_t sparks_plugin_init(                                \
      const sparks_host_api_t*(host_api), sparks_host_t*(host), sparks_plugin_t*(plugin), \
      sparks_str_t*(error))

/* Makes a sparks_str_t from a string literal. */
#define SPARKS_STR(literal) \
  { (literal), sizeof(literal) - 1 }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SPARKS_PLUGIN_H */

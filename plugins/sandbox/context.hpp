#pragma once
// What every sandbox route works with: the options, the state, the faults and the webhook queue,
// all on one strand. Route files register their handlers through add_route(), which moves each
// request onto that strand, applies the armed faults, and answers.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/state.hpp"

namespace sparks::sandbox {

// A webhook on its way to a target, and what happened to it (GET /sandbox/v1/webhooks).
struct WebhookDelivery {
  std::string id, platform, event, url, body;
  int attempts = 0;
  int last_status = 0;
  std::string last_error;
  bool delivered = false;
  bool gave_up = false;
};

struct Context : std::enable_shared_from_this<Context> {
  Context(boost::asio::any_io_executor executor, SandboxOptions options);

  boost::asio::any_io_executor executor;
  boost::asio::strand<boost::asio::any_io_executor> strand;  // everything below lives on it
  SandboxOptions options;
  State state;
  Faults faults;
  std::vector<std::shared_ptr<WebhookDelivery>> webhook_log;    // newest last, bounded
  std::vector<std::shared_ptr<WebhookDelivery>> held_webhooks;  // reorder fault
  int held_batch = 0;  // which reorder batch is held: a late timer must not free a newer one
  // Rate limits: calls per key in the current minute of the sandbox clock.
  std::map<std::string, std::pair<std::int64_t, int>> calls_this_minute;

  // An unguessable token: prefix + 32 hex digits.
  static std::string random_token(const std::string& prefix);
  // Ids the platforms put in answers to help support find a call ("log_id", "request_id").
  std::string request_id();
  // True when `key` has used up this minute's `limit` calls (the call is counted either way).
  bool over_minute_limit(const std::string& key, int limit);
};

using RouteHandler = std::function<http::Response(Context& context, const http::Request& request)>;

// Registers `handler` for `method` + `pattern`; it runs on the sandbox strand, after the faults.
void add_route(http::Router& router, const std::shared_ptr<Context>& context, std::string method,
               std::string pattern, RouteHandler handler);

// The route tables, one file each.
void add_tiktok_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_token_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_video_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_business_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_comment_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_message_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_message_content_routes(http::Router& router,
                                       const std::shared_ptr<Context>& context);
void add_tiktok_webhook_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_tiktok_control_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_shop_oauth_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_shop_api_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_shop_control_routes(http::Router& router, const std::shared_ptr<Context>& context);
void add_control_routes(http::Router& router, const std::shared_ptr<Context>& context);

// Splits "a,b , c" into {"a","b","c"}, dropping empty parts and repeats.
std::vector<std::string> split_list(const std::string& text);
std::string join_list(const std::vector<std::string>& items);

}  // namespace sparks::sandbox

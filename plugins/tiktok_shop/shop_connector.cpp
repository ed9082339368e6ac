// The TikTok Shop connector: seller authorization (authorize URL, token get and refresh), the shop
// as the account, webhooks (verified, and subscribed at connect), product and order sync, and the
// order lookup action. Every Partner API call is signed (signing.hpp) and goes through the host's
// HTTP.
#include "common/signatures.hpp"
#include "common/url_encoding.hpp"
#include "tiktok_shop/signing.hpp"
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

namespace {

using connectors::call_platform;
using connectors::Params;
using sparks::plugin::Done;
using sparks::plugin::HttpRequest;
using sparks::plugin::HttpResponse;
using sparks::plugin::Request;

constexpr std::string_view kShopsPath = "/authorization/202309/shops";
constexpr std::string_view kProductSearchPath = "/product/202309/products/search";
constexpr std::string_view kOrdersPath = "/order/202309/orders";
constexpr std::string_view kWebhooksPath = "/event/202309/webhooks";
constexpr int kDefaultPageSize = 50;  // the Partner API allows 1 to 100

void fail(const Done& done, const Failure& failure) {
  done.fail(failure.status, failure.message);
}

// A token answer's `data` → the credentials the engine stores. The Partner API gives expiry as
// absolute unix times already; `expires_in` is added for the engine's convenience.
json::object credentials_from(const json::object& data) {
  const std::int64_t expires_at = connectors::integer(data, "access_token_expire_in").value_or(0);
  return {{"access_token", connectors::text(data, "access_token")},
          {"refresh_token", connectors::text(data, "refresh_token")},
          {"expires_at", expires_at},
          {"expires_in", std::max<std::int64_t>(0, expires_at - connectors::unix_now())},
          {"refresh_expires_at", connectors::integer(data, "refresh_token_expire_in").value_or(0)},
          {"granted_scopes", connectors::array_at(data, "granted_scopes")},
          {"open_id", connectors::text(data, "open_id")},
          {"seller_name", connectors::text(data, "seller_name")}};
}

json::object credentials_of(const json::object& request) {
  json::object credentials = connectors::object_at(request, "credentials");
  if (connectors::text(credentials, "access_token").empty())
    throw std::invalid_argument("the request carries no credentials.access_token");
  return credentials;
}

// The order ids of a sync request: ["a", "b"] or "a,b".
std::vector<std::string> order_ids(const json::object& request) {
  std::vector<std::string> ids = connectors::strings(request, "ids");
  if (ids.empty()) ids = connectors::split_list(connectors::text(request, "ids"));
  return ids;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

class ShopConnector final : public sparks::plugin::Connector {
 public:
  explicit ShopConnector(sparks::plugin::Host host) : host_(host) {}

  static sparks::plugin::Manifest manifest() { return tiktok_shop::manifest(); }

  // Read whole before anything is kept: a refused configuration leaves the previous one in place.
  void configure(std::string_view config_json) override {
    config_ = read_config(connectors::parse_object(config_json, "the tiktok_shop configuration"));
  }

  // ---- seller authorization ---------------------------------------------------------------------

  void authorize_url(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const std::string url = authorize_page_url(config_, connectors::text(in, "state"),
                                               connectors::text(in, "redirect_uri"));
    done.ok(json::serialize(json::object{{"url", url}}));
  }

  // token/get, then the shop it authorized: the shop id is the account webhooks name, and its
  // cipher addresses every later call. With a webhook_url configured, the shop's webhooks are
  // subscribed to it before the connection counts as made.
  void exchange_code(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const std::string integration = request.integration;
    token_call(integration, "/api/v2/token/get",
               {{"auth_code", connectors::text(in, "code")}, {"grant_type", "authorized_code"}},
               done, [this, integration, done](const json::object& data) {
                 json::object credentials = credentials_from(data);
                 fetch_shop(
                     integration, connectors::text(credentials, "access_token"), done,
                     [this, integration, done, credentials](const json::object& shop) mutable {
                       credentials["account_id"] = connectors::text(shop, "id");
                       credentials["shop_id"] = connectors::text(shop, "id");
                       credentials["shop_cipher"] = connectors::text(shop, "cipher");
                       subscribe_webhooks(integration, credentials, 0, done, [done, credentials] {
                         done.ok(json::serialize(credentials));
                       });
                     });
               });
  }

  // Both tokens rotate. The shop does not change, so its id and cipher are carried over.
  void refresh_token(Request request, Done done) override {
    const json::object old =
        connectors::object_at(connectors::parse_object(request.json, "the request"), "credentials");
    const std::string integration = request.integration;
    auto host = host_;
    auto report = [host, integration, done](const Failure& failure) {
      const bool reconnect = failure.status == SPARKS_ERR_UNAUTHORIZED;
      host.emit_trigger(integration, reconnect ? "refresh_token_rejected" : "token_refresh_failed",
                        json::serialize(json::object{{"message", failure.message}}));
      fail(done, failure);
    };
    const std::string refresh = connectors::text(old, "refresh_token");
    if (refresh.empty())
      return report({SPARKS_ERR_UNAUTHORIZED, "the credentials hold no refresh token"});
    token_call(integration, "/api/v2/token/refresh",
               {{"refresh_token", refresh}, {"grant_type", "refresh_token"}}, report, done,
               [host, integration, done, old](const json::object& data) {
                 json::object credentials = credentials_from(data);
                 for (const char* key : {"account_id", "shop_id", "shop_cipher"})
                   if (const json::value* kept = old.if_contains(key)) credentials[key] = *kept;
                 host.emit_trigger(
                     integration, "token_refreshed",
                     json::serialize(json::object{{"expires_at", credentials["expires_at"]}}));
                 done.ok(json::serialize(credentials));
               });
  }

  // The Partner API has no revoke call: a seller removes the app in Seller Center (which sends
  // SELLER_DEAUTHORIZATION). Forgetting the tokens is all there is to do, and the engine does it.
  void revoke(Request, Done done) override { done.ok("{}"); }

  void get_account(Request request, Done done) override {
    const json::object credentials =
        credentials_of(connectors::parse_object(request.json, "the request"));
    fetch_shop(request.integration, connectors::text(credentials, "access_token"), done,
               [done](const json::object& shop) {
                 // The business a shop belongs to, when the platform says (the card compares it
                 // with the creator account's); null otherwise.
                 const std::string business_id = connectors::text(shop, "business_id");
                 json::object account{{"id", connectors::text(shop, "id")},
                                      {"name", connectors::text(shop, "name")},
                                      {"type", "seller"},
                                      {"shop_cipher", connectors::text(shop, "cipher")},
                                      {"region", connectors::text(shop, "region")}};
                 account["business_id"] =
                     business_id.empty() ? json::value(nullptr) : json::value(business_id);
                 done.ok(json::serialize(account));
               });
  }

  // ---- webhooks ---------------------------------------------------------------------------------

  void verify_webhook(sparks::plugin::Webhook webhook, Done done) override {
    WebhookOutcome outcome = tiktok_shop::verify_webhook(host_, config_, webhook);
    if (outcome.failure) return fail(done, *outcome.failure);
    done.ok(outcome.result_json);
  }

  // ---- sync -------------------------------------------------------------------------------------

  // what=products: one page of the catalog per call, one item per SKU in the engine's shape;
  // what=catalog: the same pages as the Partner API gives them. `cursor` is the page token.
  // what=orders: the orders named by `ids`, in the engine's shape.
  void sync(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const std::string what = connectors::text(in, "what");
    if (what == "products" || what == "catalog") {
      const bool normalized = what == "products";
      return search_products(
          request.integration, credentials, in, done,
          [done, normalized, link = config_.product_link_base_url](json::array products,
                                                                   std::string next) {
            json::object page{
                {"items", normalized ? normalized_products(products, link) : std::move(products)}};
            if (!next.empty()) page["next_cursor"] = next;
            done.ok(json::serialize(page));
          });
    }
    if (what == "orders") {
      const std::vector<std::string> ids = order_ids(in);
      if (ids.empty())
        return done.fail(SPARKS_ERR_INVALID_ARGUMENT, "syncing orders needs their \"ids\"");
      return signed_call(request.integration, credentials, "GET", kOrdersPath, {{"ids", join(ids)}},
                         "", done, [done](const json::object& data) {
                           json::array orders;
                           for (const json::value& order : connectors::array_at(data, "orders"))
                             if (order.is_object())
                               orders.push_back(normalized_order(order.as_object()));
                           done.ok(json::serialize(json::object{{"items", std::move(orders)}}));
                         });
    }
    done.fail(SPARKS_ERR_INVALID_ARGUMENT,
              "tiktok_shop syncs \"products\", \"catalog\" or "
              "\"orders\", not \"" +
                  what + "\"");
  }

  // ---- actions ----------------------------------------------------------------------------------
  // find_action stays the SDK's default, SPARKS_ERR_UNSUPPORTED: the only action, get_order, reads
  // and changes nothing at the platform, so there is no effect to look for.

  void execute_action(Request request, Done done) override {
    const json::object in = connectors::parse_object(request.json, "the request");
    const json::object credentials = credentials_of(in);
    const std::string action = connectors::text(in, "action");
    if (action != "tiktok_shop.get_order")
      return done.fail(SPARKS_ERR_NOT_FOUND, "tiktok_shop has no action \"" + action + "\"");
    const std::string order_id = connectors::text(connectors::object_at(in, "params"), "order_id");
    if (order_id.empty())
      return done.fail(SPARKS_ERR_INVALID_ARGUMENT, "tiktok_shop.get_order needs an order_id");
    signed_call(request.integration, credentials, "GET", kOrdersPath, {{"ids", order_id}}, "", done,
                [done, order_id](const json::object& data) {
                  for (const json::value& order : connectors::array_at(data, "orders"))
                    if (order.is_object() && connectors::text(order.as_object(), "id") == order_id)
                      return done.ok(json::serialize(order));
                  done.fail(SPARKS_ERR_NOT_FOUND, "the shop has no order " + order_id);
                });
  }

 private:
  // Update Shop Webhook, one call per event type (kWebhookEventTypes, from `next` on), then
  // `then`. Nothing to do without a webhook_url: the webhook URL is then set in Partner Center.
  void subscribe_webhooks(const std::string& integration, const json::object& credentials,
                          std::size_t next, const Done& done, std::function<void()> then) {
    if (config_.webhook_url.empty() || next == std::size(kWebhookEventTypes)) return then();
    const std::string body = json::serialize(
        json::object{{"address", config_.webhook_url}, {"event_type", kWebhookEventTypes[next]}});
    signed_call(integration, credentials, "PUT", kWebhooksPath, {}, body, done,
                [this, integration, credentials, next, done,
                 then = std::move(then)](const json::object&) mutable {
                  subscribe_webhooks(integration, credentials, next + 1, done, std::move(then));
                });
  }

  // One page of the product search; `on_page` gets its products and the next page token.
  void search_products(const std::string& integration, const json::object& credentials,
                       const json::object& request, const Done& done,
                       std::function<void(json::array, std::string)> on_page) {
    Params query{
        {"page_size",
         std::to_string(std::clamp<std::int64_t>(
             connectors::integer(request, "page_size").value_or(kDefaultPageSize), 1, 100))}};
    if (const std::string cursor = connectors::text(request, "cursor"); !cursor.empty())
      query.emplace_back("page_token", cursor);
    signed_call(integration, credentials, "POST", kProductSearchPath, std::move(query), "{}", done,
                [on_page = std::move(on_page)](const json::object& data) {
                  on_page(connectors::array_at(data, "products"),
                          connectors::text(data, "next_page_token"));
                });
  }

  // A token call: GET with the app's key and secret in the query. `on_failure` reads every
  // failure, so that refresh can report each one to the lifecycle.
  void token_call(const std::string& integration, std::string_view path, Params params,
                  std::function<void(const Failure&)> on_failure, const Done& done,
                  std::function<void(const json::object&)> on_data) {
    params.insert(params.begin(),
                  {{"app_key", config_.app_key}, {"app_secret", config_.app_secret}});
    HttpRequest get{.method = "GET",
                    .url = connectors::join_url(config_.token_base_url, path) + "?" +
                           connectors::encode_params(params)};
    call_platform(host_, integration, std::move(get), done,
                  [on_failure = std::move(on_failure),
                   on_data = std::move(on_data)](const HttpResponse& response) {
                    const json::object answer =
                        connectors::try_parse_object(response.body).value_or(json::object{});
                    if (auto failure = shop_failure(response, answer)) return on_failure(*failure);
                    on_data(connectors::object_at(answer, "data"));
                  });
  }
  void token_call(const std::string& integration, std::string_view path, Params params,
                  const Done& done, std::function<void(const json::object&)> on_data) {
    token_call(
        integration, path, std::move(params),
        [done](const Failure& failure) { fail(done, failure); }, done, std::move(on_data));
  }

  // A signed Partner API call; `on_data` gets `data` when the answer's code is 0. `shop_cipher`
  // is added to the query (every call but the shop list needs it): from the credentials, or, for
  // credentials that lack it, from the shop list first.
  void signed_call(const std::string& integration, const json::object& credentials,
                   std::string method, std::string_view path, Params query, std::string body,
                   const Done& done, std::function<void(const json::object&)> on_data) {
    const std::string token = connectors::text(credentials, "access_token");
    const std::string cipher = connectors::text(credentials, "shop_cipher");
    if (cipher.empty()) {
      return fetch_shop(integration, token, done,
                        [=, this, path = std::string(path)](const json::object& shop) mutable {
                          json::object with_cipher = credentials;
                          with_cipher["shop_cipher"] = connectors::text(shop, "cipher");
                          if (connectors::text(with_cipher, "shop_cipher").empty())
                            return done.fail(SPARKS_ERR_PROTOCOL, "the shop list gives no cipher");
                          signed_call(integration, with_cipher, method, path, query, body, done,
                                      on_data);
                        });
    }
    query.emplace_back("shop_cipher", cipher);
    send_signed(integration, token, std::move(method), path, std::move(query), std::move(body),
                done, std::move(on_data));
  }

  // The shop the token authorizes (the first one listed): {id, name, region, cipher, …}.
  void fetch_shop(const std::string& integration, const std::string& token, const Done& done,
                  std::function<void(const json::object&)> on_shop) {
    send_signed(integration, token, "GET", kShopsPath, {}, "", done,
                [done, on_shop = std::move(on_shop)](const json::object& data) {
                  const json::array shops = connectors::array_at(data, "shops");
                  if (shops.empty() || !shops.front().is_object())
                    return done.fail(SPARKS_ERR_NOT_FOUND, "the token authorizes no shop");
                  on_shop(shops.front().as_object());
                });
  }

  void send_signed(const std::string& integration, const std::string& token, std::string method,
                   std::string_view path, Params query, std::string body, const Done& done,
                   std::function<void(const json::object&)> on_data) {
    query.emplace_back("app_key", config_.app_key);
    query.emplace_back("timestamp", std::to_string(connectors::unix_now()));
    const auto mac = host_.hmac_sha256(
        config_.app_secret, string_to_sign(config_.app_secret, method, path, query, body));
    if (!mac) return done.fail(SPARKS_ERR_INTERNAL, "the host computed no HMAC");
    query.emplace_back("sign", connectors::to_hex(*mac));
    HttpRequest call{
        .method = std::move(method),
        .url = connectors::join_url(config_.api_base_url, path) + "?" +
               connectors::encode_params(query),
        .headers = {{"x-tts-access-token", token}, {"Content-Type", "application/json"}},
        .body = std::move(body)};
    call_platform(host_, integration, std::move(call), done,
                  [done, on_data = std::move(on_data)](const HttpResponse& response) {
                    const json::object answer =
                        connectors::try_parse_object(response.body).value_or(json::object{});
                    if (auto failure = shop_failure(response, answer)) return fail(done, *failure);
                    on_data(connectors::object_at(answer, "data"));
                  });
  }

  sparks::plugin::Host host_;
  Config config_;
};

}  // namespace

}  // namespace sparks::tiktok_shop

SPARKS_PLUGIN_CONNECTOR(sparks::tiktok_shop::ShopConnector)

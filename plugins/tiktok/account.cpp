// get_account: the profile (GET /business/get/), what TikTok will not do for this account —
// Business Messaging at all (probed with the conversation list), Comment-to-Message (its setting,
// GET /business/message/direct_reply/get/) — and, when the configuration names a webhook_url, the
// connect-time setup: the app's webhook subscription for comments and direct messages, once per
// URL, and Comment-to-Message switched on where TikTok offers it. The setup never fails the
// connect.
//
// Why not /business/message/capabilities/get/: its capability types describe one conversation
// (IMAGE_SEND needs a conversation_id), not whether the account may message at all.
#include <memory>

#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using sparks::plugin::Done;

// The webhook URL the app's subscription was last made for, per integration.
constexpr std::string_view kSubscribedUrlKey = "webhook_subscribed_url";

// What get_account learns along the way; shared by the continuations.
struct AccountLookup {
  std::string integration;
  std::string business_id;
  std::string access_token;
  json::object account;
  json::array unavailable;
  bool comment_to_message_disabled = false;  // offered, but switched off
};
using Lookup = std::shared_ptr<AccountLookup>;

json::object profile_of(const std::string& business_id, const json::object& data) {
  json::object account{{"id", business_id},
                       {"name", connectors::text(data, "display_name")},
                       {"username", connectors::text(data, "username")},
                       // The Accounts API serves TikTok business accounts; a profile that says
                       // otherwise is believed.
                       {"type", data.contains("is_business_account") &&
                                        !connectors::boolean(data, "is_business_account")
                                    ? "personal"
                                    : "business"},
                       // The business the account belongs to, where the platform says: TikTok's
                       // Accounts API documents none (docs/connectors.md), so against it the
                       // engine's same-business check does not apply.
                       {"business_id", data.contains("business_id")
                                           ? json::value(connectors::text(data, "business_id"))
                                           : json::value(nullptr)}};
  if (const std::string region = connectors::text(data, "region"); !region.empty())
    account["region"] = region;
  return account;
}

void finish(const Lookup& lookup, const Done& done) {
  lookup->account["unavailable"] = std::move(lookup->unavailable);
  done.ok(json::serialize(lookup->account));
}

void enable_comment_to_message(const BusinessApi& api, const Lookup& lookup, const Done& done) {
  if (!lookup->comment_to_message_disabled) return finish(lookup, done);
  auto host = api.host();
  api.call(lookup->integration,
           {.method = "POST",
            .path = "/business/message/direct_reply/update/",
            .body = json::object{{"business_id", lookup->business_id},
                                 {"direct_reply_type", "COMMENT_TO_MESSAGE"},
                                 {"operation_status", "ENABLE"}},
            .access_token = lookup->access_token},
           done, [host, lookup, done](const BusinessAnswer& answer) {
             if (answer.failure)
               host.warn("tiktok: Comment-to-Message could not be switched on: " +
                         answer.failure->message);
             finish(lookup, done);
           });
}

// Subscribes the app to one event type after another; a refusal is logged, and the rest goes on.
void subscribe(const BusinessApi& api, const Lookup& lookup, const Done& done,
               std::vector<std::string> event_types, bool all_ok) {
  const std::string url = api.config().webhook_url;
  if (event_types.empty()) {
    if (all_ok) api.host().kv_put(lookup->integration, kSubscribedUrlKey, url);
    return enable_comment_to_message(api, lookup, done);
  }
  const std::string event_type = event_types.front();
  event_types.erase(event_types.begin());
  // App-level, with the app id and secret: no access token.
  api.call(
      lookup->integration,
      {.method = "POST",
       .path = "/business/webhook/update/",
       .body = json::object{{"app_id", api.config().client_key},
                            {"secret", api.config().client_secret},
                            {"event_type", event_type},
                            {"callback_url", url}}},
      done, [api, lookup, done, event_types, all_ok, event_type](const BusinessAnswer& answer) {
        if (answer.failure)
          api.host().warn(
              "tiktok: the " + event_type +
              " webhook subscription failed; webhooks stay waiting: " + answer.failure->message);
        subscribe(api, lookup, done, event_types, all_ok && !answer.failure);
      });
}

void set_up_webhooks(const BusinessApi& api, const Lookup& lookup, const Done& done) {
  const std::string& url = api.config().webhook_url;
  if (url.empty() || api.host().kv_get(lookup->integration, kSubscribedUrlKey) == url)
    return enable_comment_to_message(api, lookup, done);
  // COMMENT carries comment.update; DIRECT_MESSAGE every im_* event, high-intent comments included.
  subscribe(api, lookup, done, {"COMMENT", "DIRECT_MESSAGE"}, true);
}

void read_comment_to_message(const BusinessApi& api, const Lookup& lookup, const Done& done) {
  api.call(
      lookup->integration,
      {.method = "GET",
       .path = "/business/message/direct_reply/get/",
       .query = {{"business_id", lookup->business_id}, {"direct_reply_type", "COMMENT_TO_MESSAGE"}},
       .access_token = lookup->access_token},
      done, [api, lookup, done](const BusinessAnswer& answer) {
        if (answer.failure && answer.failure->status == SPARKS_ERR_FORBIDDEN)
          lookup->unavailable.push_back(json::object{
              {"action", "tiktok.send_dm"},
              {"mode", "reply_to_comment_id"},
              {"reason",
               "TikTok does not offer Comment-to-Message (one DM answering a comment) to this "
               "account; it is offered only to Business Accounts registered in a few "
               "countries. TikTok says: " +
                   answer.platform_message}});
        else if (!answer.failure)
          lookup->comment_to_message_disabled =
              connectors::text(answer.data, "operation_status") != "ENABLE";
        set_up_webhooks(api, lookup, done);
      });
}

void probe_messaging(const BusinessApi& api, const Lookup& lookup, const Done& done) {
  api.call(lookup->integration,
           {.method = "GET",
            .path = "/business/message/conversation/list/",
            .query = {{"business_id", lookup->business_id},
                      {"conversation_type", "SINGLE"},
                      {"limit", "1"}},
            .access_token = lookup->access_token},
           done, [api, lookup, done](const BusinessAnswer& answer) {
             if (!answer.failure || answer.failure->status != SPARKS_ERR_FORBIDDEN)
               return read_comment_to_message(api, lookup, done);
             lookup->unavailable.push_back(json::object{
                 {"action", "tiktok.send_dm"},
                 {"reason",
                  "TikTok does not offer Business Messaging to this account (it is not offered to "
                  "accounts registered in the EEA, Switzerland or the UK). TikTok says: " +
                      answer.platform_message}});
             set_up_webhooks(api, lookup, done);
           });
}

}  // namespace

void get_account(const BusinessApi& api, const std::string& integration,
                 const json::object& credentials, const Done& done) {
  auto lookup = std::make_shared<AccountLookup>();
  lookup->integration = integration;
  lookup->business_id = connectors::text(credentials, "account_id");
  lookup->access_token = connectors::text(credentials, "access_token");
  api.call_data(
      integration,
      {.method = "GET",
       .path = "/business/get/",
       .query = {{"business_id", lookup->business_id}, {"fields", std::string(kAccountFields)}},
       .access_token = lookup->access_token},
      done, [api, lookup, done](const json::object& data) {
        lookup->account = profile_of(lookup->business_id, data);
        probe_messaging(api, lookup, done);
      });
}

}  // namespace sparks::tiktok

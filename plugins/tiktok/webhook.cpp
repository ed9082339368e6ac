// TikTok webhooks: checking `TikTok-Signature`, then turning the envelope
// {client_key, event, create_time, user_openid, content} — where `content` is itself a JSON
// string — into the engine's normalized events.
#include <charconv>
#include <cstdlib>

#include "common/signatures.hpp"
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

Failure bad_signature(std::string message) {
  return {SPARKS_ERR_BAD_SIGNATURE, std::move(message)};
}

// "t=1633174587,s=18494715…" → {t, s}; the parts may come in either order.
struct SignatureHeader {
  std::string t, s;
};
std::optional<SignatureHeader> parse_signature_header(std::string_view header) {
  SignatureHeader parsed;
  for (const std::string& part : connectors::split_list(header)) {
    if (part.starts_with("t=")) parsed.t = part.substr(2);
    if (part.starts_with("s=")) parsed.s = part.substr(2);
  }
  if (parsed.t.empty() || parsed.s.empty()) return std::nullopt;
  return parsed;
}

// An id as text: TikTok sends comment and video ids as JSON numbers in comment.update; 0 means
// none.
std::string id_text(const json::object& object, std::string_view key) {
  std::string id = connectors::text(object, key);
  return id == "0" ? std::string() : id;
}

// The person behind an event: unique_identifier is the same person across comment and messaging
// events; from_user.id is the fallback when an event lacks it.
std::string person_of(const json::object& content) {
  const std::string unique = connectors::text(content, "unique_identifier");
  return !unique.empty() ? unique
                         : connectors::text(connectors::object_at(content, "from_user"), "id");
}

// comment.update with comment_action "insert". It carries no handle: username stays empty.
json::object comment_event(const json::object& content, const json::storage_ptr& storage) {
  const std::string comment_id = id_text(content, "comment_id");
  return json::object(
      {{"id", "comment:" + comment_id},
       {"trigger", "tiktok.comment"},
       {"payload",
        {{"comment_id", comment_id},
         {"video_id", id_text(content, "video_id")},
         {"parent_comment_id", id_text(content, "parent_comment_id")},
         {"text", connectors::text(content, "text")},
         {"user", person_of(content)},
         {"username", ""},
         {"is_live", false},
         {"created_at", unix_seconds(connectors::integer(content, "timestamp").value_or(0))}}}},
      storage);
}

// im_receive_high_intent_comment: TikTok judged the comment high-intent (Comment-to-Message); it
// may be answered by one DM through direct_reply. The text is comment_text; the event names no
// video.
json::object high_intent_comment_event(const json::object& content,
                                       const json::storage_ptr& storage) {
  const std::string comment_id = id_text(content, "comment_id");
  std::string text = connectors::text(content, "comment_text");
  if (text.empty()) text = connectors::text(content, "text");
  return json::object(
      {{"id", "high_intent_comment:" + comment_id},
       {"trigger", "tiktok.high_intent_comment"},
       {"payload",
        {{"comment_id", comment_id},
         {"video_id", id_text(content, "video_id")},
         {"parent_comment_id", ""},
         {"text", text},
         {"user", person_of(content)},
         {"username", ""},
         {"is_live", false},
         {"created_at", unix_seconds(connectors::integer(content, "timestamp").value_or(0))}}}},
      storage);
}

// im_receive_msg is delivered both ways; a message is inbound when it is addressed to the business
// (to_user.id), or, lacking to_user, when it is not from a business account.
bool is_inbound(const json::object& content, const std::string& business) {
  const std::string to = connectors::text(connectors::object_at(content, "to_user"), "id");
  if (!to.empty()) return to == business;
  return connectors::text(connectors::object_at(content, "from_user"), "role") !=
         "business_account";
}

json::object message_event(const json::object& content, const json::storage_ptr& storage) {
  const std::string message_id = id_text(content, "message_id");
  return json::object(
      {{"id", "message:" + message_id},
       {"trigger", "tiktok.dm"},
       {"payload",
        {{"conversation_id", connectors::text(content, "conversation_id")},
         {"message_id", message_id},
         {"user", person_of(content)},
         {"text", connectors::text(connectors::object_at(content, "text"), "body")},
         {"sent_at", unix_seconds(connectors::integer(content, "timestamp").value_or(0))}}}},
      storage);
}

}  // namespace

WebhookOutcome verify_webhook(const sparks::plugin::Host& host, const Config& config,
                              const sparks::plugin::Webhook& webhook, std::int64_t now) {
  const std::optional<std::string_view> header = webhook.header("TikTok-Signature");
  if (!header) return {bad_signature("the TikTok-Signature header is missing"), {}};
  const std::optional<SignatureHeader> signature = parse_signature_header(*header);
  if (!signature) return {bad_signature("TikTok-Signature is not \"t=<unix>,s=<hex>\""), {}};

  const auto mac = host.hmac_sha256(config.client_secret, signature->t + "." + webhook.body);
  if (!mac) return {Failure{SPARKS_ERR_INTERNAL, "the host computed no HMAC"}, {}};
  if (!connectors::hex_signature_equal(connectors::to_hex(*mac), signature->s))
    return {bad_signature("TikTok-Signature does not match the body"), {}};
  // Checked after the signature, so that only a genuine but old delivery (a replay) is called
  // stale. `t` is the time of sending, signed: a captured webhook cannot be replayed later.
  std::int64_t sent_at = 0;
  const char* t_end = signature->t.data() + signature->t.size();
  const auto [parsed_end, ec] = std::from_chars(signature->t.data(), t_end, sent_at);
  if (ec != std::errc{} || parsed_end != t_end || std::llabs(sent_at - now) > kWebhookTolerance)
    return {bad_signature("TikTok-Signature timestamp is more than 5 minutes from now"), {}};

  // The envelope, its content and the events made of them are scratch, freed on return: one buffer
  // on the stack holds them all (a webhook is a few hundred bytes of JSON) instead of an allocation
  // for every key and string.
  unsigned char scratch_buffer[8192];
  json::monotonic_resource scratch(scratch_buffer, sizeof scratch_buffer);
  const json::storage_ptr storage(&scratch);
  const std::optional<json::object> parsed = connectors::try_parse_object(webhook.body, storage);
  if (!parsed) return {Failure{SPARKS_ERR_PROTOCOL, "the webhook body is not a JSON object"}, {}};
  const json::object& envelope = *parsed;
  const std::string client_key = connectors::text(envelope, "client_key");
  if (!client_key.empty() && client_key != config.client_key)
    return {bad_signature("the webhook is for another app (client_key " + client_key + ")"), {}};
  const std::string event = connectors::text(envelope, "event");
  const std::string account = connectors::text(envelope, "user_openid");
  const json::object content =
      connectors::try_parse_object(connectors::text(envelope, "content"), storage)
          .value_or(json::object(storage));

  // An event is known by its id (redeliveries are dropped by it): one that names none is refused,
  // rather than stored under an id every other such event would share.
  auto without = [&](const char* field) -> WebhookOutcome {
    return {Failure{SPARKS_ERR_INVALID_ARGUMENT, event + " carries no " + field}, {}};
  };
  json::array events(storage);
  if (event == "comment.update") {
    if (id_text(content, "comment_id").empty()) return without("comment_id");
    // Only new comments start flows; deletions and visibility changes are acknowledged.
    if (connectors::text(content, "comment_action") == "insert")
      events.push_back(comment_event(content, storage));
  } else if (event == "im_receive_high_intent_comment") {
    if (id_text(content, "comment_id").empty()) return without("comment_id");
    events.push_back(high_intent_comment_event(content, storage));
  } else if (event == "im_receive_msg") {
    if (id_text(content, "message_id").empty()) return without("message_id");
    if (is_inbound(content, account)) events.push_back(message_event(content, storage));
  } else if (event == "authorization.removed") {
    // No id in the event itself: the body's digest identifies it, so a redelivery (same body,
    // newly signed) has the same id and is dropped as a duplicate.
    const auto digest = host.hmac_sha256(config.client_secret, webhook.body);
    const std::string id = digest ? connectors::to_hex(*digest).substr(0, 32) : std::string();
    events.push_back(json::object{
        {"id", "authorization_removed:" + id},
        {"trigger", "authorization_removed"},
        {"payload", {{"reason", connectors::integer(content, "reason").value_or(0)}}}});
  }
  // Other events (im_mark_read_msg, video.publish.completed, …) are acknowledged and produce
  // nothing.
  for (json::value& e : events) e.as_object()["account"] = account;
  return {std::nullopt, json::serialize(json::object({{"events", std::move(events)}}, storage))};
}

}  // namespace sparks::tiktok

// The TikTok connector's descriptor: the scopes it requests and what each one enables, the
// lifecycle events it emits, its flow triggers (webhook events) and actions with what each means
// to the engine, and the post and comment syncs.
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

namespace {

using sparks::plugin::Trigger;

// A comment's payload and variables: tiktok.comment and tiktok.high_intent_comment carry the same
// comment (the high-intent event may not name its video).
Trigger comment_trigger(std::string name, std::string description, bool names_its_video) {
  return {.name = std::move(name),
          .description = std::move(description),
          .params = {{.name = "comment_id", .required = true, .description = "The comment's id"},
                     {.name = "video_id",
                      .required = names_its_video,
                      .description = "The video or Live commented on"},
                     {.name = "parent_comment_id",
                      .description = "The comment this one replies to, if any"},
                     {.name = "text", .required = true, .description = "What the comment says"},
                     {.name = "user", .required = true, .description = "Commenter id"},
                     {.name = "username", .description = "Commenter handle"},
                     {.name = "is_live",
                      .type = SPARKS_PARAM_BOOLEAN,
                      .required = true,
                      .description = "True for a comment made during a Live"}},
          .kind = SPARKS_TRIGGER_COMMENT,
          .variables = {{.name = "comment.id", .field = "comment_id", .description = "Its id"},
                        {.name = "comment.text", .field = "text", .description = "What it says"},
                        {.name = "comment.video_id",
                         .field = "video_id",
                         .description = "The video commented on"}}};
}

// Comment-to-Message: TikTok judged the comment high-intent, and lets the account answer it by one
// DM although the person never wrote.
Trigger high_intent_comment_trigger() {
  Trigger trigger = comment_trigger("tiktok.high_intent_comment",
                                    "TikTok judged a comment high-intent (Comment-to-Message): it "
                                    "may be answered by one direct message",
                                    false);
  trigger.reply_field = "comment_id";
  return trigger;
}

}  // namespace

sparks::plugin::Manifest manifest() {
  return {
      .platform_id = std::string(kPlatform),
      .display_name = "TikTok",
      .version = "1.0.0",
      // TikTok API for Business scopes (docs/connectors.md). Every scope is required: the help
      // page's partial connection is "reconnect with every scope". `enables` may only name triggers
      // and actions; user.info.basic guards reading the account, and video.list the post sync and
      // the comment sync's walk over the videos (below), as their descriptions say.
      .scopes = {{.name = "user.account.type",
                  .description = "Tell a business account from a personal one (personal accounts "
                                 "are refused)",
                  .required = true,
                  .enables = {}},
                 {.name = "user.info.basic",
                  .description = "Read the account's profile: name and handle",
                  .required = true,
                  .enables = {}},
                 {.name = "video.list",
                  .description = "Read the account's posts (post sync, attribution, video filters)",
                  .required = true,
                  .enables = {}},
                 {.name = "comment.list",
                  .description = "Read comments on the account's videos, and hear of new ones",
                  .required = true,
                  .enables = {"tiktok.comment"}},
                 {.name = "comment.list.manage",
                  .description = "Reply publicly to comments on the account's videos",
                  .required = true,
                  .enables = {"tiktok.reply_comment"}},
                 {.name = "message.list.read",
                  .description = "Read the direct messages people send the account, and comments "
                                 "TikTok judges ready for a DM (Comment-to-Message)",
                  .required = true,
                  .enables = {"tiktok.dm", "tiktok.high_intent_comment"}},
                 {.name = "message.list.send",
                  .description = "Send direct messages as the account, to people who wrote first",
                  .required = true,
                  .enables = {"tiktok.send_dm"}}},
      .lifecycle_triggers = {"authorization_removed", "token_refresh_failed",
                             "refresh_token_rejected", "token_refreshed", "platform_unavailable",
                             "platform_recovered"},
      .triggers =
          {comment_trigger("tiktok.comment",
                           "Someone commented on one of the account's videos or Lives", true),
           high_intent_comment_trigger(),
           {.name = "tiktok.dm",
            .description = "Someone sent the account a direct message",
            .params =
                {{.name = "conversation_id", .required = true, .description = "Where to answer"},
                 {.name = "message_id", .required = true, .description = "The message's id"},
                 {.name = "user", .required = true, .description = "Sender id"},
                 {.name = "text", .required = true, .description = "What the message says"}},
            .kind = SPARKS_TRIGGER_MESSAGE,
            .variables = {{.name = "message.text",
                           .field = "text",
                           .description = "What the message says"}}}},
      .actions = {{.name = "tiktok.send_dm",
                   .description = "Send a direct message in a conversation the user opened",
                   .params = {{.name = "conversation_id",
                               .description =
                                   "The conversation to answer in (one the person opened); "
                                   "the engine fills it"},
                              {.name = "reply_to_comment_id",
                               .description = "A high-intent comment to answer by one DM "
                                              "(Comment-to-Message); the engine fills it"},
                              {.name = "text",
                               .required = true,
                               .description = "The message, 1 to 6000 characters"}},
                   .kind = SPARKS_ACTION_MESSAGE,
                   // A business may message a person only after they wrote: up to 10 messages in
                   // the 48 h after their message (docs/connectors.md).
                   .window = {.hours = 48,
                              .messages = 10,
                              .conversation_param = "conversation_id",
                              .reply_param = "reply_to_comment_id"}},
                  {.name = "tiktok.reply_comment",
                   .description = "Reply publicly to a comment",
                   .params = {{.name = "comment_id",
                               .required = true,
                               .description = "The comment to answer",
                               .default_value = "{{comment.id}}"},
                              {.name = "video_id",
                               .required = true,
                               .description = "Its video",
                               .default_value = "{{comment.video_id}}"},
                              {.name = "text",
                               .required = true,
                               .description = "The reply, 1 to 1200 characters"}},
                   .answers = SPARKS_TRIGGER_COMMENT}},
      .syncs = {{.what = "posts", .kind = SPARKS_SYNC_POSTS, .scope = "video.list"},
                {.what = "comments", .kind = SPARKS_SYNC_COMMENTS, .scope = "comment.list"}},
      // The basic tier's limits (docs/connectors.md): about 40 requests a minute per authorized
      // account and endpoint, 600 a minute for the app. Throttling answers code 40100.
      .rate_limits = {{.scope = SPARKS_RATE_PER_ACCOUNT,
                       .per_endpoint = true,
                       .requests = 40,
                       .window_seconds = 60,
                       .path_prefix = "/open_api/v1.3/business/"},
                      {.scope = SPARKS_RATE_PER_APP,
                       .requests = 600,
                       .window_seconds = 60,
                       .path_prefix = "/open_api/v1.3/business/"}},
  };
}

}  // namespace sparks::tiktok

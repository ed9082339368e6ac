// The TikTok connector's descriptor: the scopes it requests and what each one enables, the
// lifecycle events it emits, its flow triggers (webhook events) and its actions.
#include "tiktok/tiktok.hpp"

namespace sparks::tiktok {

sparks::plugin::Manifest manifest() {
  using sparks::plugin::Param;
  return {
      .platform_id = std::string(kPlatform),
      .display_name = "TikTok",
      .version = "1.0.0",
      // Every scope is required: the help page's partial connection is "reconnect with every
      // scope". `enables` may only name triggers and actions; user.info.basic and video.list guard
      // operations rather than flow steps (reading the account; syncing the post list, which
      // attribution and video filters use), as their descriptions say.
      .scopes = {{.name = "user.info.basic",
                  .description = "Read the account's profile and type (business or personal)",
                  .required = true,
                  .enables = {}},
                 {.name = "comment.list",
                  .description = "Read comments on the account's videos and Lives; reply to them",
                  .required = true,
                  .enables = {"tiktok.comment", "tiktok.reply_comment"}},
                 {.name = "message.list.send",
                  .description = "Read and send direct messages as the account",
                  .required = true,
                  .enables = {"tiktok.dm", "tiktok.send_dm"}},
                 {.name = "video.list",
                  .description = "Read the account's posts (post sync, attribution, video filters)",
                  .required = true,
                  .enables = {}}},
      .lifecycle_triggers = {"authorization_removed", "token_refresh_failed",
                             "refresh_token_rejected", "token_refreshed", "platform_unavailable",
                             "platform_recovered"},
      .triggers =
          {{.name = "tiktok.comment",
            .description = "Someone commented on one of the account's videos or Lives",
            .params = {{.name = "comment_id", .required = true, .description = "The comment's id"},
                       {.name = "video_id",
                        .required = true,
                        .description = "The video or Live commented on"},
                       {.name = "parent_comment_id",
                        .description = "The comment this one replies to, if any"},
                       {.name = "text", .required = true, .description = "What the comment says"},
                       {.name = "user", .required = true, .description = "Commenter id"},
                       {.name = "username", .description = "Commenter handle"},
                       {.name = "is_live",
                        .type = SPARKS_PARAM_BOOLEAN,
                        .required = true,
                        .description = "True for a comment made during a Live"}}},
           {.name = "tiktok.dm",
            .description = "Someone sent the account a direct message",
            .params =
                {{.name = "conversation_id", .required = true, .description = "Where to answer"},
                 {.name = "message_id", .required = true, .description = "The message's id"},
                 {.name = "user", .required = true, .description = "Sender id"},
                 {.name = "text", .required = true, .description = "What the message says"}}}},
      .actions = {{.name = "tiktok.send_dm",
                   .description = "Send a direct message in a conversation the user opened",
                   .params = {{.name = "recipient",
                               .description = "Conversation id or user id (or give `user`)"},
                              {.name = "user", .description = "User id, when no recipient"},
                              {.name = "text",
                               .required = true,
                               .description = "The message, 1 to 6000 characters"}}},
                  {.name = "tiktok.reply_comment",
                   .description = "Reply publicly to a comment",
                   .params = {{.name = "comment_id",
                               .required = true,
                               .description = "The comment to answer"},
                              {.name = "video_id", .required = true, .description = "Its video"},
                              {.name = "text", .required = true, .description = "The reply"}}}},
  };
}

}  // namespace sparks::tiktok

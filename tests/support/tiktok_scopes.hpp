#pragma once
// The scopes a test ticks on the sandbox's consent pages (docs/connectors.md lists what each
// one allows).
#include <string>
#include <vector>

namespace sparks::testing {

// Every scope of the TikTok connector.
inline const std::vector<std::string> kEveryTikTokScope = {
    "user.info.basic",     "user.account.type", "video.list",       "comment.list",
    "comment.list.manage", "message.list.read", "message.list.send"};

// Every TikTok scope but message.list.send, the one that sends DMs: the help page's "one scope
// unticked".
inline const std::vector<std::string> kEveryTikTokScopeButSend = {
    "user.info.basic", "user.account.type",   "video.list",
    "comment.list",    "comment.list.manage", "message.list.read"};

// Every scope of the TikTok Shop connector.
inline const std::vector<std::string> kEveryShopScope = {
    "seller.authorization.info", "seller.order.info", "seller.product.basic"};

}  // namespace sparks::testing

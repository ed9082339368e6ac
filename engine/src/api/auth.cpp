#include "api/auth.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/hmac.hpp"
#include "crypto/random.hpp"

namespace sparks::api {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Error unauthorized(std::string message) {
  return {ErrorKind::unauthorized, "unauthorized", std::move(message)};
}

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim(authorization);
  constexpr std::string_view kScheme = "Bearer";
  if (authorization.size() <= kScheme.size() ||
      !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t'))
    return std::nullopt;
  auto token = trim(authorization.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

MemberKeys::MemberKeys(const config::Config& config) : pepper_(crypto::random_bytes(32)) {
  for (const auto& ws : config.workspaces) {
    workspaces_.push_back(ws.id);
    for (const auto& m : ws.members)
      if (!m.api_key.empty()) entries_.push_back({digest(m.api_key), ws.id, m.user, m.role});
  }
}

std::string MemberKeys::digest(std::string_view api_key) const {
  return crypto::hmac_sha256_hex(pepper_, api_key);
}

// Every entry is compared, match or not, so the time taken does not depend on which matched.
const MemberKeys::Entry* MemberKeys::find(std::string_view api_key) const {
  const std::string presented = digest(api_key);
  const Entry* found = nullptr;
  for (const auto& entry : entries_)
    if (crypto::constant_time_equal(entry.digest, presented)) found = &entry;
  return found;
}

std::optional<MemberKeys::Member> MemberKeys::member_of(std::string_view api_key) const {
  if (api_key.empty()) return std::nullopt;
  const Entry* found = find(api_key);
  if (!found) return std::nullopt;
  return Member{found->workspace, Actor::member(found->user, found->role)};
}

std::variant<Actor, Error> MemberKeys::authenticate(std::optional<std::string_view> authorization,
                                                    std::string_view workspace) const {
  if (!authorization)
    return unauthorized("send a member's API key as `Authorization: Bearer <api_key>`");
  const auto token = bearer_token(*authorization);
  if (!token) return unauthorized("the Authorization header must be `Bearer <api_key>`");

  const Entry* found = find(*token);
  if (!found) return unauthorized("unknown API key");

  if (std::find(workspaces_.begin(), workspaces_.end(), workspace) == workspaces_.end())
    return Error{ErrorKind::not_found, "workspace_not_found",
                 "no workspace '" + std::string(workspace) + "'"};
  if (found->workspace != workspace)
    return Error{ErrorKind::forbidden, "wrong_workspace",
                 "this API key belongs to a member of another workspace, not of '" +
                     std::string(workspace) + "'"};
  return Actor::member(found->user, found->role);
}

}  // namespace sparks::api

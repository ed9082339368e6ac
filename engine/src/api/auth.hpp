#pragma once
// Who is asking: the API key in `Authorization: Bearer <api_key>` names one member of one
// workspace (config::Workspace::members). The key is matched in constant time against every
// configured key, so that neither timing nor length says which key came close. API keys are
// secrets: nothing here logs them, and errors never repeat them.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "sparks/engine.hpp"

namespace sparks::api {

// The token of an `Authorization: Bearer <token>` header value (the scheme in any case), or
// nullopt when the header is another scheme or the token is empty.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class MemberKeys {
 public:
  explicit MemberKeys(const config::Config& config);

  // The member the header names, acting in `workspace`; or why not:
  //   no header, another scheme, an unknown key → unauthorized (401),
  //   a known key and no such workspace         → not_found (404),
  //   the key of another workspace's member     → forbidden (403).
  std::variant<Actor, Error> authenticate(std::optional<std::string_view> authorization,
                                          std::string_view workspace) const;

  // The member an API key names and their workspace (the web app's sign-in), or nullopt for an
  // unknown key. Compared as authenticate does: in constant time against every key.
  struct Member {
    std::string workspace;
    Actor actor;
  };
  std::optional<Member> member_of(std::string_view api_key) const;

 private:
  struct Entry {
    std::string digest;  // keyed digest of the API key: every comparison is of equal length
    std::string workspace;
    std::string user;
    Role role = Role::member;
  };
  std::string digest(std::string_view api_key) const;
  const Entry* find(std::string_view api_key) const;

  std::string pepper_;  // random per process: the digests mean nothing outside it
  std::vector<Entry> entries_;
  std::vector<std::string> workspaces_;
};

}  // namespace sparks::api

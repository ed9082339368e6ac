#pragma once
// OAuth sessions in progress and for the audit log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/page.hpp"

namespace sparks::store {

struct OAuthSessionRow {
  std::string nonce;
  std::string workspace_id;
  std::string platform;
  std::string member;
  std::string redirect_uri;
  std::optional<std::string> sealed_verifier;
  std::int64_t expires_at_ms = 0;
};

struct AuditRow {
  std::string workspace_id;
  std::string actor;
  std::string action;
  std::optional<std::string> platform;
  std::string outcome;
  std::optional<std::string> detail;
  std::int64_t at_ms = 0;
  std::int64_t id = 0;  // set when read: the page key, in the order entries were written
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class OAuthRecords {
 public:
  virtual void save_oauth_session(const OAuthSessionRow& session) = 0;

  // Removes and returns the session: a second call with the same nonce finds nothing. Expired
  // sessions are removed and not returned.
  virtual std::optional<OAuthSessionRow> take_oauth_session(std::string_view nonce,
                                                            std::int64_t now_ms) = 0;

  virtual int delete_expired_oauth_sessions(std::int64_t now_ms) = 0;

  virtual void append_audit(const AuditRow& row) = 0;

  // Newest first (by id descending: the page key, PageKey::number).
  virtual std::vector<AuditRow> load_audit(std::string_view workspace_id,
                                           const PageRequest& page = {}) = 0;

 protected:
  ~OAuthRecords() = default;
};

}  // namespace sparks::store

#pragma once
// The SQL for OAuth sessions in progress and for the audit log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

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

void save_oauth_session(SQLite::Database& db, const OAuthSessionRow& session);
// Removes and returns the session: a second call with the same nonce finds nothing. Expired
// sessions are removed and not returned.
std::optional<OAuthSessionRow> take_oauth_session(SQLite::Database& db, std::string_view nonce,
                                                  std::int64_t now_ms);
int delete_expired_oauth_sessions(SQLite::Database& db, std::int64_t now_ms);

struct AuditRow {
  std::string workspace_id;
  std::string actor;
  std::string action;
  std::optional<std::string> platform;
  std::string outcome;
  std::optional<std::string> detail;
  std::int64_t at_ms = 0;
};

void append_audit(SQLite::Database& db, const AuditRow& row);
// Newest first.
std::vector<AuditRow> load_audit(SQLite::Database& db, std::string_view workspace_id,
                                 int limit = 100);

}  // namespace sparks::store

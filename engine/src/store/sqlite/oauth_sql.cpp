
#include <SQLiteCpp/Statement.h>

#include "store/backend_common.hpp"
#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

void Records::save_oauth_session(const OAuthSessionRow& s) {
  Prepared insert(db_,
                  "INSERT INTO oauth_sessions (nonce, workspace_id, platform, member,"
                  " redirect_uri, sealed_verifier, expires_at_ms)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, s.nonce, s.workspace_id, s.platform, s.member, s.redirect_uri, s.sealed_verifier,
           s.expires_at_ms);
  insert.exec();
}

std::optional<OAuthSessionRow> Records::take_oauth_session(std::string_view nonce,
                                                           std::int64_t now_ms) {
  delete_expired_oauth_sessions(now_ms);
  Prepared take(db_,
                "DELETE FROM oauth_sessions WHERE nonce = ? RETURNING nonce, workspace_id,"
                " platform, member, redirect_uri, sealed_verifier, expires_at_ms");
  bind_all(take, nonce);
  if (!take.executeStep()) return std::nullopt;
  OAuthSessionRow row{take.getColumn(0).getString(), take.getColumn(1).getString(),
                      take.getColumn(2).getString(), take.getColumn(3).getString(),
                      take.getColumn(4).getString(), std::nullopt,
                      take.getColumn(6).getInt64()};
  if (!take.getColumn(5).isNull()) row.sealed_verifier = take.getColumn(5).getString();
  while (take.executeStep()) {
  }
  return row;
}

int Records::delete_expired_oauth_sessions(std::int64_t now_ms) {
  Prepared purge(db_, "DELETE FROM oauth_sessions WHERE expires_at_ms <= ?");
  bind_all(purge, now_ms);
  return purge.exec();
}

void Records::append_audit(const AuditRow& r) {
  Prepared insert(db_,
                  "INSERT INTO audit_log (workspace_id, actor, action, platform, outcome,"
                  " detail, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  bind_all(insert, r.workspace_id, r.actor, r.action, r.platform, r.outcome, r.detail, r.at_ms);
  insert.exec();
}

std::vector<AuditRow> Records::load_audit(std::string_view workspace_id, const PageRequest& page) {
  Prepared select(db_,
                  "SELECT workspace_id, actor, action, platform, outcome, detail, at_ms, id"
                  " FROM audit_log WHERE workspace_id = ?1 AND (?2 = 0 OR id < ?3)"
                  " ORDER BY id DESC LIMIT ?4");
  bind_all(select, workspace_id, has_after(page), after_key(page).number, page.limit);
  std::vector<AuditRow> rows;
  while (select.executeStep()) {
    AuditRow& r = rows.emplace_back();
    r.workspace_id = select.getColumn(0).getString();
    r.actor = select.getColumn(1).getString();
    r.action = select.getColumn(2).getString();
    if (!select.getColumn(3).isNull()) r.platform = select.getColumn(3).getString();
    r.outcome = select.getColumn(4).getString();
    if (!select.getColumn(5).isNull()) r.detail = select.getColumn(5).getString();
    r.at_ms = select.getColumn(6).getInt64();
    r.id = select.getColumn(7).getInt64();
  }
  return rows;
}

}  // namespace sparks::store::sqlite

#include "store/backend_common.hpp"
#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {

void Records::save_oauth_session(const OAuthSessionRow& s) {
  db_.run_later(
      "INSERT INTO oauth_sessions (nonce, workspace_id, platform, member, redirect_uri,"
      " sealed_verifier, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      params(s.nonce, s.workspace_id, s.platform, s.member, s.redirect_uri, s.sealed_verifier,
             s.expires_at_ms));
}

std::optional<OAuthSessionRow> Records::take_oauth_session(std::string_view nonce,
                                                           std::int64_t now_ms) {
  delete_expired_oauth_sessions(now_ms);
  const Result r = db_.run(
      "DELETE FROM oauth_sessions WHERE nonce = $1 RETURNING nonce, workspace_id, platform,"
      " member, redirect_uri, sealed_verifier, expires_at_ms",
      params(nonce));
  if (r.rows() == 0) return std::nullopt;
  return OAuthSessionRow{r.text(0, 0), r.text(0, 1),          r.text(0, 2), r.text(0, 3),
                         r.text(0, 4), r.optional_text(0, 5), r.int64(0, 6)};
}

int Records::delete_expired_oauth_sessions(std::int64_t now_ms) {
  return static_cast<int>(
      db_.run("DELETE FROM oauth_sessions WHERE expires_at_ms <= $1", params(now_ms)).affected());
}

void Records::append_audit(const AuditRow& r) {
  db_.run_later(
      "INSERT INTO audit_log (workspace_id, actor, action, platform, outcome, detail, at_ms)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      params(r.workspace_id, r.actor, r.action, r.platform, r.outcome, r.detail, r.at_ms));
}

std::vector<AuditRow> Records::load_audit(std::string_view workspace_id, const PageRequest& page) {
  const Result r = db_.run(
      "SELECT workspace_id, actor, action, platform, outcome, detail, at_ms, id"
      " FROM audit_log WHERE workspace_id = $1 AND ($2 = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
      params(workspace_id, has_after(page), after_key(page).number, page.limit));
  std::vector<AuditRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    AuditRow& row = rows.emplace_back();
    row.workspace_id = r.text(i, 0);
    row.actor = r.text(i, 1);
    row.action = r.text(i, 2);
    row.platform = r.optional_text(i, 3);
    row.outcome = r.text(i, 4);
    row.detail = r.optional_text(i, 5);
    row.at_ms = r.int64(i, 6);
    row.id = r.int64(i, 7);
  }
  return rows;
}

}  // namespace sparks::store::postgresql

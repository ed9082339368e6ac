#include "store/postgresql/records.hpp"

namespace sparks::store::postgresql {

void Records::store_credentials(std::string_view workspace_id, std::string_view platform,
                                std::span<const std::uint8_t> sealed, std::int64_t updated_at_ms) {
  Params values = params(workspace_id, platform);
  values.add_bytes(sealed).add(updated_at_ms);
  db_.run_later(
      "INSERT INTO credentials (workspace_id, platform, sealed, updated_at_ms)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, platform) DO UPDATE SET"
      " sealed = excluded.sealed, updated_at_ms = excluded.updated_at_ms",
      values);
}

bool Records::clear_credentials(std::string_view workspace_id, std::string_view platform) {
  return db_.run("DELETE FROM credentials WHERE workspace_id = $1 AND platform = $2",
                 params(workspace_id, platform))
             .affected() > 0;
}

std::optional<std::vector<std::uint8_t>> Records::load_credentials(std::string_view workspace_id,
                                                                   std::string_view platform) {
  const Result found =
      db_.run("SELECT sealed FROM credentials WHERE workspace_id = $1 AND platform = $2",
              params(workspace_id, platform));
  if (found.rows() == 0) return std::nullopt;
  return found.bytes(0, 0);
}

}  // namespace sparks::store::postgresql

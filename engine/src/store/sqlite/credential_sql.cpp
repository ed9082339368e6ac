
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/prepared.hpp"
#include "store/sqlite/records.hpp"
#include "store/sqlite/sql_binding.hpp"

namespace sparks::store::sqlite {

void Records::store_credentials(std::string_view workspace_id, std::string_view platform,
                                std::span<const std::uint8_t> sealed, std::int64_t updated_at_ms) {
  Prepared upsert(db_,
                  "INSERT INTO credentials (workspace_id, platform, sealed, updated_at_ms)"
                  " VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, platform) DO UPDATE SET"
                  " sealed = excluded.sealed, updated_at_ms = excluded.updated_at_ms");
  bind_all(upsert, workspace_id, platform, sealed, updated_at_ms);
  upsert.exec();
}

bool Records::clear_credentials(std::string_view workspace_id, std::string_view platform) {
  Prepared remove(db_, "DELETE FROM credentials WHERE workspace_id = ? AND platform = ?");
  bind_all(remove, workspace_id, platform);
  return remove.exec() > 0;
}

std::optional<std::vector<std::uint8_t>> Records::load_credentials(std::string_view workspace_id,
                                                                   std::string_view platform) {
  Prepared select(db_, "SELECT sealed FROM credentials WHERE workspace_id = ? AND platform = ?");
  bind_all(select, workspace_id, platform);
  if (!select.executeStep()) return std::nullopt;
  const SQLite::Column sealed = select.getColumn(0);
  if (sealed.getBytes() == 0) return std::vector<std::uint8_t>{};
  const auto* bytes = static_cast<const std::uint8_t*>(sealed.getBlob());
  return std::vector<std::uint8_t>(bytes, bytes + sealed.getBytes());
}

}  // namespace sparks::store::sqlite

#pragma once
// The SQL for tokens at rest. The store keeps sealed (already encrypted) bytes only: sealing and
// opening them is the caller's job, so no plain token ever reaches the database file.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace sparks::store {

// Inserts or replaces the integration's sealed credentials.
void store_credentials(SQLite::Database& db, std::string_view workspace_id,
                       std::string_view platform, std::span<const std::uint8_t> sealed,
                       std::int64_t updated_at_ms);

// Returns false if there were none.
bool clear_credentials(SQLite::Database& db, std::string_view workspace_id,
                       std::string_view platform);

std::optional<std::vector<std::uint8_t>> load_credentials(SQLite::Database& db,
                                                          std::string_view workspace_id,
                                                          std::string_view platform);

}  // namespace sparks::store

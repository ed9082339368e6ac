#pragma once
// Tokens at rest. The store keeps sealed (already encrypted) bytes only: sealing and
// opening them is the caller's job, so no plain token ever reaches the database file.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace sparks::store {

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class CredentialRecords {
 public:
  // Inserts or replaces the integration's sealed credentials.
  virtual void store_credentials(std::string_view workspace_id, std::string_view platform,
                                 std::span<const std::uint8_t> sealed,
                                 std::int64_t updated_at_ms) = 0;

  // Returns false if there were none.
  virtual bool clear_credentials(std::string_view workspace_id, std::string_view platform) = 0;

  virtual std::optional<std::vector<std::uint8_t>> load_credentials(std::string_view workspace_id,
                                                                    std::string_view platform) = 0;

 protected:
  ~CredentialRecords() = default;
};

}  // namespace sparks::store

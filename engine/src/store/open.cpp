// Where a store location is turned into a backend: today every location is a SQLite path.
#include "store/connection.hpp"
#include "store/sqlite/connection.hpp"

namespace sparks::store {

std::unique_ptr<Connection> open(const std::string& location, const OpenOptions& options) {
  return std::make_unique<sqlite::Connection>(location, options);
}

}  // namespace sparks::store

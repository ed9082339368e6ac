// Where a store location is turned into a backend: a path is a SQLite file.
#include "store/connection.hpp"
#include "store/sqlite/connection.hpp"

namespace sparks::store {

std::unique_ptr<Connection> open(const std::string& location, const OpenOptions& options) {
  return std::make_unique<sqlite::Connection>(location, options);
}

bool is_shared(const std::string&) {
  return false;
}

std::unique_ptr<Listener> listen(const std::string&, std::function<void(std::string)>) {
  return nullptr;
}

}  // namespace sparks::store

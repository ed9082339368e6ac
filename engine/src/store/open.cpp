// Where a store location is turned into a backend: a postgresql:// (or postgres://) URL opens
// PostgreSQL, anything else is a SQLite file.
#include "store/connection.hpp"
#include "store/postgresql/connection.hpp"
#include "store/postgresql/listener.hpp"
#include "store/postgresql/url.hpp"
#include "store/sqlite/connection.hpp"

namespace sparks::store {

std::unique_ptr<Connection> open(const std::string& location, const OpenOptions& options) {
  if (postgresql::is_url(location))
    return std::make_unique<postgresql::Connection>(location, options);
  return std::make_unique<sqlite::Connection>(location, options);
}

bool is_shared(const std::string& location) {
  return postgresql::is_url(location);
}

std::unique_ptr<Listener> listen(const std::string& location,
                                 std::function<void(std::string)> woken) {
  if (!postgresql::is_url(location)) return nullptr;
  return std::make_unique<postgresql::Listener>(location, std::move(woken));
}

}  // namespace sparks::store

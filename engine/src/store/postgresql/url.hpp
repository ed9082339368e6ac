#pragma once
// Store locations that name a PostgreSQL database: libpq's URIs, postgresql://USER@HOST:PORT/DB.
#include <string>
#include <string_view>

namespace sparks::store::postgresql {

// True for a location starting "postgresql://" or "postgres://"; anything else is a SQLite path.
bool is_url(std::string_view location);

// The URL with any password removed (user:password@ and password= query parameters), for errors
// and logs: a password is never shown.
std::string without_password(std::string_view url);

}  // namespace sparks::store::postgresql

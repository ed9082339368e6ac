#include "http/server_stats.hpp"

#include <sstream>
#include <string_view>

namespace sparks::http {

std::string prometheus_text(const ServerStats& stats) {
  std::ostringstream out;
  auto metric = [&out](std::string_view name, std::string_view type, std::string_view help,
                       std::uint64_t value) {
    out << "# HELP sparks_" << name << ' ' << help << "\n# TYPE sparks_" << name << ' ' << type
        << "\nsparks_" << name << ' ' << value << '\n';
  };
  metric("http_connections", "gauge", "HTTP connections open and being served",
         stats.connections.load());
  metric("http_connection_limit", "gauge",
         "HTTP connections served at once (http.max_connections); more are answered 503",
         stats.connection_limit.load());
  metric("http_connections_accepted_total", "counter", "HTTP connections accepted and served",
         stats.accepted_total.load());
  metric("http_connections_refused_total", "counter",
         "HTTP connections answered 503 too_many_connections", stats.refused_total.load());
  metric("http_accept_errors_total", "counter",
         "Failed accepts of HTTP connections (EMFILE, ENFILE, ...), each retried after a pause",
         stats.accept_errors_total.load());
  return out.str();
}

}  // namespace sparks::http

#pragma once
// What the HTTP server counts about its connections, for /metrics: updated by the listener and
// the sessions from their threads, read by whoever renders the metrics.
#include <atomic>
#include <cstdint>
#include <string>

namespace sparks::http {

struct ServerStats {
  std::atomic<std::uint64_t> connections{0};          // open now and being served
  std::atomic<std::uint64_t> connection_limit{0};     // ServerOptions::max_connections, resolved
  std::atomic<std::uint64_t> accepted_total{0};       // connections served since the start
  std::atomic<std::uint64_t> refused_total{0};        // answered 503 too_many_connections
  std::atomic<std::uint64_t> accept_errors_total{0};  // accepts that failed (EMFILE, ENFILE, …)
};

// The Prometheus text of `stats`: sparks_http_connections, sparks_http_connection_limit,
// sparks_http_connections_accepted_total, sparks_http_connections_refused_total and
// sparks_http_accept_errors_total.
std::string prometheus_text(const ServerStats& stats);

}  // namespace sparks::http

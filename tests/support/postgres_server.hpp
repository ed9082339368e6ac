#pragma once
// A private PostgreSQL cluster for one test executable (or bench run): a temporary folder, a
// server listening on 127.0.0.1 only, on a free port, and a fresh database per test.
//
//   const std::string url = sparks::testing::PostgresServer::shared().database();
//   auto connection = sparks::store::open(url);
//
// The server is PostgreSQL 15's, from /usr/lib/postgresql/15/bin (scripts/install-deps installs
// it). PostgreSQL refuses to run as root: as root, the folder belongs to the `postgres` system user
// and the server runs as it. A test that needs the server fails, never skips, without it.
#include <string>

namespace sparks::testing {

struct PostgresServerOptions {
  // Off, PostgreSQL never waits for the disk: fine for tests, which crash Sparks and never the
  // server. On for benches, so that a commit costs what it costs in production.
  bool fsync = false;
};

class PostgresServer {
 public:
  // Creates the cluster and starts the server, waiting (bounded) until it accepts connections.
  // Throws std::runtime_error with the reason (the server log's tail when it does not start).
  explicit PostgresServer(PostgresServerOptions options = {});
  // Stops the server at once (pg_ctl stop -m immediate) and removes the folder. A process killed
  // before it gets here has a watchdog do the same as it ends.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // The server of this executable, started on first use, with fsync off; stopped at exit.
  static PostgresServer& shared();

  // Creates an empty database and returns its URL, postgresql://sparks@127.0.0.1:PORT/NAME.
  std::string database();
  // The URL of the database `name`.
  std::string url(const std::string& name) const;
  int port() const { return port_; }

 private:
  // The shell command that runs one of the server's programs (as `postgres` when root), output
  // appended to the tools' log.
  std::string tool_command(const std::string& tool, const std::string& arguments) const;
  void run_tool(const std::string& tool, const std::string& arguments) const;
  // Makes sure the server is stopped and the folder removed even if this process is killed.
  void start_watchdog();
  std::string log_tail() const;

  std::string folder_;
  std::string log_;
  int port_ = 0;
  int databases_ = 0;
  bool started_ = false;
  int watchdog_pipe_ = -1;  // the watchdog acts once this end closes, when the process ends
};

}  // namespace sparks::testing

#include "support/postgres_server.hpp"
#include "support/free_port.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace sparks::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBinaries = "/usr/lib/postgresql/15/bin";
constexpr const char* kSuperuser = "sparks";
constexpr const char* kStartSeconds = "30";  // pg_ctl -w waits this long at most

bool running_as_root() {
  return ::geteuid() == 0;
}

// Gives the folder to the `postgres` system user, which the server runs as when we are root.
void give_to_postgres(const std::string& folder) {
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr)
    throw std::runtime_error(
        "PostgresServer: running as root, and there is no `postgres` user to run the server as; "
        "scripts/install-deps installs postgresql-15, which creates it");
  if (::chown(folder.c_str(), user->pw_uid, user->pw_gid) != 0)
    throw std::runtime_error("PostgresServer: cannot give " + folder + " to the postgres user");
}

}  // namespace

PostgresServer::PostgresServer(PostgresServerOptions options) {
  if (!fs::exists(fs::path(kBinaries) / "initdb") || !fs::exists(fs::path(kBinaries) / "pg_ctl"))
    throw std::runtime_error(std::string("PostgresServer: PostgreSQL 15 is not installed (no ") +
                             kBinaries +
                             "/initdb); scripts/install-deps installs it (postgresql-15)");
  std::string pattern = (fs::temp_directory_path() / "sparks-postgres-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("PostgresServer: cannot create a temporary folder");
  folder_ = pattern;
  log_ = folder_ + "/server.log";
  try {
    if (running_as_root()) give_to_postgres(folder_);
    run_tool("initdb", "-D " + folder_ + "/data -U " + kSuperuser +
                           " --auth=trust --no-locale -E UTF8 --no-sync");
    // Another process may take the free port before the server binds it: a few ports are tried.
    constexpr int kPortsToTry = 3;
    for (int attempt = 1; !started_; ++attempt) {
      port_ = free_loopback_port();
      std::string settings = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                             " -c unix_socket_directories=" + folder_;
      if (!options.fsync) settings += " -c fsync=off -c full_page_writes=off";
      try {
        run_tool("pg_ctl", "-D " + folder_ + "/data -l " + log_ + " -w -t " + kStartSeconds +
                               " -o '" + settings + "' start");
        started_ = true;
        start_watchdog();
      } catch (const std::runtime_error&) {
        if (attempt == kPortsToTry) throw;
      }
    }
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
    throw;
  }
}

PostgresServer::~PostgresServer() {
  if (started_) {
    try {
      run_tool("pg_ctl", "-D " + folder_ + "/data -m immediate stop");
    } catch (...) {  // the folder goes anyway; a server left behind dies with its data
    }
  }
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
  if (watchdog_pipe_ >= 0) ::close(watchdog_pipe_);  // the watchdog finds nothing left to do
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

std::string PostgresServer::url(const std::string& name) const {
  return std::string("postgresql://") + kSuperuser + "@127.0.0.1:" + std::to_string(port_) + "/" +
         name;
}

std::string PostgresServer::database() {
  const std::string name = "test_" + std::to_string(++databases_);
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url("postgres").c_str()),
                                                          &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK)
    throw std::runtime_error("PostgresServer: cannot connect: " +
                             std::string(PQerrorMessage(connection.get())) + log_tail());
  PGresult* result = PQexec(connection.get(), ("CREATE DATABASE " + name).c_str());
  const bool created = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!created)
    throw std::runtime_error("PostgresServer: cannot create database " + name + ": " +
                             PQerrorMessage(connection.get()));
  return url(name);
}

std::string PostgresServer::tool_command(const std::string& tool,
                                         const std::string& arguments) const {
  // The server's programs take only our own folder names and numbers: no quoting is needed.
  std::string command = std::string(kBinaries) + "/" + tool + " " + arguments;
  if (running_as_root()) command = "runuser -u postgres -- " + command;
  return command + " >>" + log_ + ".tools 2>&1";
}

void PostgresServer::run_tool(const std::string& tool, const std::string& arguments) const {
  if (std::system(tool_command(tool, arguments).c_str()) != 0)
    throw std::runtime_error("PostgresServer: `" + tool + "` failed" + log_tail());
}

void PostgresServer::start_watchdog() {
  // A shell in a session of its own reads a pipe whose only writer is this process: the read ends
  // when the process does, however it ends (a crash, a runner's SIGKILL), and the shell then stops
  // the server and removes the folder. The write end is closed on exec, so that the processes a
  // test starts do not hold it open.
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) return;  // best effort: the destructor still cleans up
  const std::string script = "cat >/dev/null; " +
                             tool_command("pg_ctl", "-D " + folder_ + "/data -m immediate stop") +
                             "; rm -rf " + folder_;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, ends[0], STDIN_FILENO);
  // Not the test's output: a runner waits for that to close.
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes,
                                    const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(ends[0]);
  if (spawned != 0) {
    ::close(ends[1]);
    return;
  }
  watchdog_pipe_ = ends[1];
}

std::string PostgresServer::log_tail() const {
  std::string out;
  for (const std::string& file : {log_ + ".tools", log_}) {
    std::ifstream in(file);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    constexpr std::size_t kTail = 2000;
    if (all.size() > kTail) all = all.substr(all.size() - kTail);
    out += "\n--- " + file + " ---\n" + all;
  }
  return out;
}

}  // namespace sparks::testing

// An HTTP server (GET /healthz) in a process whose open-file limit leaves room for only a few
// connections, so that the next accept fails with EMFILE. tests/unit/http_connections_test.cpp
// starts it and watches what it does then. Usage: starved_http_server FREE_DESCRIPTORS
// It prints "listening on port N" once the limit is in place, then serves until killed.
#include <dirent.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/server.hpp"

namespace {

// Descriptors inherited beyond stdin, stdout and stderr would leave gaps below the limit that new
// connections could use.
void close_inherited_descriptors() {
  std::vector<int> inherited;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd > 2 && fd != own) inherited.push_back(fd);
  }
  ::closedir(dir);
  for (const int fd : inherited) ::close(fd);
}

// The highest descriptor open now (descriptors are handed out lowest first, so the next ones
// follow it).
int highest_open_descriptor() {
  int highest = 2;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return -1;
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd != own) highest = std::max(highest, fd);
  }
  ::closedir(dir);
  return highest;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FREE_DESCRIPTORS\n", argv[0]);
    return 2;
  }
  const int free_descriptors = std::atoi(argv[1]);
  spdlog::flush_on(spdlog::level::trace);  // the test reads the log lines as they come
  close_inherited_descriptors();

  boost::asio::io_context io;
  auto router = std::make_shared<sparks::http::Router>();
  router->add_sync("GET", "/healthz", [](const sparks::http::Request&) {
    return sparks::http::Response::json(200, {{"status", "ok"}});
  });
  sparks::http::Server server(io.get_executor(), router);
  server.listen("127.0.0.1", 0);

  const int highest = highest_open_descriptor();
  if (highest < 0) return 3;
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = static_cast<rlim_t>(highest + 1 + free_descriptors);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return 4;

  std::printf("listening on port %u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  io.run();
  return 0;
}

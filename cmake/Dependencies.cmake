# Every dependency is a Debian 12 package (see scripts/install-deps), found through its CMake
# package file or, for libpq and jemalloc, through pkg-config.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json url)
find_package(SQLite3 REQUIRED)
find_package(SQLiteCpp CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(valijson CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
# libpq has no CMake package file on Debian; pkg-config finds it (libpq-dev).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# `sparks` allocates with jemalloc (libjemalloc-dev): a request makes many small allocations on two
# I/O threads and the store's, which glibc's allocator serves with more locking and a longer path
# (docs/performance.md). The sanitizers bring their own allocator, so those builds keep glibc's.
if(NOT SPARKS_SANITIZE AND NOT SPARKS_TSAN AND NOT SPARKS_FUZZ)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
if(SPARKS_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(SPARKS_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

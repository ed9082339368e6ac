#pragma once
// The counters that bench/allocations/count_allocations.cpp keeps in a shared file, as the HTTP
// bench reads them.
#include <atomic>
#include <cstdint>

namespace sparks::bench {

struct AllocationCounters {
  std::atomic<std::uint64_t> allocations;  // calls that allocated (malloc, new, realloc, …)
  std::atomic<std::uint64_t> bytes;        // the sizes they asked for
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "two processes share the counters through a mapped file");

}  // namespace sparks::bench

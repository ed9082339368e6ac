// Counts the heap allocations of the process it is preloaded into (LD_PRELOAD), for the HTTP
// bench's allocation round (bench/bench_http.cpp, docs/performance.md).
//
// Every allocating entry point — malloc and its family, and every operator new — adds one to a
// counter and the size asked for to another, then allocates with jemalloc's own API, which
// `sparks` links: memory from before the counting began, or freed by jemalloc's functions, stays
// jemalloc's, so nothing is ever freed by an allocator that did not allocate it.
//
// The counters live in the file named by SPARKS_ALLOCATION_COUNTERS (made by the bench, one page),
// mapped shared: the bench reads them while the server runs, before and after a round. Without
// the variable, or when the file cannot be mapped, nothing is counted.
#include <fcntl.h>
#include <jemalloc/jemalloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "allocations/allocation_counters.hpp"

namespace {

using sparks::bench::AllocationCounters;

AllocationCounters* counters = nullptr;

// Runs before the program's own initialisers; what the loader and libc allocated before it ran
// is not counted (it is not the server's work either).
__attribute__((constructor)) void map_counters() {
  const char* path = std::getenv("SPARKS_ALLOCATION_COUNTERS");
  if (path == nullptr) return;
  const int fd = ::open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  void* mapped =
      ::mmap(nullptr, sizeof(AllocationCounters), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (mapped != MAP_FAILED) counters = static_cast<AllocationCounters*>(mapped);
}

void count(std::size_t size) {
  if (counters == nullptr) return;
  counters->allocations.fetch_add(1, std::memory_order_relaxed);
  counters->bytes.fetch_add(size, std::memory_order_relaxed);
}

void* allocate(std::size_t size, int flags = 0) {
  count(size);
  // mallocx leaves a request of 0 bytes undefined; malloc(0) gives a unique pointer.
  return mallocx(size == 0 ? 1 : size, flags);
}

int alignment_flag(std::size_t alignment) {
  return MALLOCX_ALIGN(alignment);
}

void* new_or_throw(std::size_t size, int flags = 0) {
  void* p = allocate(size, flags);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void release(void* p) {
  if (p != nullptr) dallocx(p, 0);
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) {
  void* p = allocate(size);
  if (p == nullptr) errno = ENOMEM;
  return p;
}

void free(void* p) {
  release(p);
}

void* calloc(std::size_t n, std::size_t size) {
  if (size != 0 && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  return allocate(n * size, MALLOCX_ZERO);
}

void* realloc(void* p, std::size_t size) {
  if (p == nullptr) return malloc(size);
  if (size == 0) {
    release(p);
    return nullptr;
  }
  count(size);
  void* moved = rallocx(p, size, 0);
  if (moved == nullptr) errno = ENOMEM;
  return moved;
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = allocate(size, alignment_flag(alignment));
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return allocate(size, alignment_flag(alignment));
}

void* memalign(std::size_t alignment, std::size_t size) {
  return allocate(size, alignment_flag(alignment));
}

void* valloc(std::size_t size) {
  return allocate(size, alignment_flag(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))));
}

void* pvalloc(std::size_t size) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return allocate((size + page - 1) / page * page, alignment_flag(page));
}

}  // extern "C"

void* operator new(std::size_t size) {
  return new_or_throw(size);
}
void* operator new[](std::size_t size) {
  return new_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new(std::size_t size, std::align_val_t a) {
  return new_or_throw(size, alignment_flag(static_cast<std::size_t>(a)));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return new_or_throw(size, alignment_flag(static_cast<std::size_t>(a)));
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(size, alignment_flag(static_cast<std::size_t>(a)));
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(size, alignment_flag(static_cast<std::size_t>(a)));
}

void operator delete(void* p) noexcept {
  release(p);
}
void operator delete[](void* p) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  release(p);
}

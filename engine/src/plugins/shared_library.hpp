#pragma once
// A shared library opened with dlopen and closed (dlclose) when the last owner lets go.
#include <filesystem>
#include <memory>
#include <string>

namespace sparks::plugins {

class SharedLibrary {
 public:
  // Opens `path` with RTLD_NOW | RTLD_LOCAL: every symbol is resolved now (a missing dependency is
  // a refusal at load, not a crash later) and none leaks into other plugins. On failure returns
  // null and sets `error` to dlerror()'s text.
  static std::unique_ptr<SharedLibrary> open(const std::filesystem::path& path, std::string& error);

  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of an exported symbol, or null.
  void* symbol(const char* name) const;

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace sparks::plugins

#include "plugins/shared_library.hpp"

#include <dlfcn.h>

namespace sparks::plugins {

std::unique_ptr<SharedLibrary> SharedLibrary::open(const std::filesystem::path& path,
                                                   std::string& error) {
  dlerror();  // clear a stale error
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : "dlopen failed";
    return nullptr;
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle));
}

SharedLibrary::~SharedLibrary() {
  dlclose(handle_);
}

void* SharedLibrary::symbol(const char* name) const {
  return dlsym(handle_, name);
}

}  // namespace sparks::plugins

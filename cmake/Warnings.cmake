# Our own targets build with warnings as errors; third-party headers come in as system headers.
add_library(sparks_warnings INTERFACE)
target_compile_options(sparks_warnings INTERFACE -Wall -Wextra -Werror -Wno-missing-field-initializers)
# GCC 12 reports false positives for these inside inlined std::string and Boost code at -O2/-O3
# (GCC bugs 105329 and 105651 for -Wrestrict), even when the code at fault is a system header's.
target_compile_options(sparks_warnings INTERFACE
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-maybe-uninitialized -Wno-restrict>)

if(SPARKS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer, for the tests labelled `concurrency` (make tsan). Suppressions, for third-party
# code only, are in tests/tsan.supp.
if(SPARKS_TSAN)
  # -Wno-tsan: GCC warns that TSan does not model std::atomic_thread_fence, which Asio's fenced
  # blocks use around each handler; Asio hands handlers between threads under its scheduler's and
  # strands' mutexes, which TSan does see.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()

if(SPARKS_FUZZ)
  # Coverage for libFuzzer in every object (the connector plugins too); the fuzz targets link the
  # fuzzer's main themselves (tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

// The configuration loader on arbitrary text. Relative paths in it are resolved against a folder
// that does not exist: nothing is read from the file system.
#include "config/config.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sparks::fuzz::quiet_logs();
  const auto loaded = sparks::config::load_config("sparks.yaml", sparks::fuzz::as_text(data, size),
                                                  "/nonexistent/sparks-fuzz");
  for (const auto& diagnostic : loaded.diagnostics) (void)diagnostic.to_string();
  return 0;
}

// The lifecycle loader on arbitrary text: YAML syntax, the schema, then the lifecycle's own checks
// (states, events, guards and actions the engine knows).
#include "fuzz/fuzz_input.hpp"
#include "integrations/lifecycle_bindings.hpp"
#include "lifecycle/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sparks::fuzz::quiet_logs();
  const auto loaded = sparks::lifecycle::load_lifecycle(
      "fuzz.yaml", sparks::fuzz::as_text(data, size), sparks::runtime::lifecycle_registry());
  // A refused file always says why; a loaded one has a definition.
  if (!loaded.definition && loaded.diagnostics.empty()) __builtin_trap();
  return 0;
}

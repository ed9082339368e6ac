// The flow loader on arbitrary text, against what the shipped connectors offer: YAML, the schema,
// triggers, conditions, steps and their templates; then, for a flow that loads, the warnings a
// publish would give.
#include "flows/flow_loader.hpp"
#include "fuzz/fuzz_input.hpp"
#include "support/shipped_capabilities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sparks::fuzz::quiet_logs();
  static const sparks::flows::Capabilities capabilities =
      sparks::test_support::shipped_capabilities();
  const auto loaded =
      sparks::flows::load_flow("fuzz.yaml", sparks::fuzz::as_text(data, size), capabilities);
  if (!loaded.flow) {
    if (loaded.diagnostics.empty()) __builtin_trap();  // refused without a reason
    return 0;
  }
  (void)sparks::flows::publish_warnings(*loaded.flow, {"SKU-1"}, {{"tiktok", {}}}, capabilities);
  return 0;
}

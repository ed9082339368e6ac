#pragma once
// The guards and actions the engine provides to lifecycle YAML, by name.
#include "lifecycle/registry.hpp"

namespace sparks::runtime {

// Every guard and action the engine knows. Firing::context must point at a TransitionContext.
const lifecycle::Registry& lifecycle_registry();

}  // namespace sparks::runtime

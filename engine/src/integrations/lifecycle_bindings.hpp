#pragma once
// The guards and actions the engine provides to lifecycle YAML, by name, and what it requires a
// lifecycle to declare (a live state, one awaiting authorization, a card for every state).
#include "lifecycle/registry.hpp"

namespace sparks::runtime {

// Every guard and action the engine knows, and its requirements. Firing::context must point at a
// TransitionContext.
const lifecycle::Registry& lifecycle_registry();

}  // namespace sparks::runtime

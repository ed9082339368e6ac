#pragma once
// What flows can use with the connectors this tree ships, built from their Manifest objects the
// way the engine builds it from the loaded plugins (descriptor copied, validated, turned into
// capabilities), without loading a shared library.
#include <string>
#include <vector>

#include "flows/capabilities.hpp"

namespace sparks::test_support {

// `installed`: the platforms to treat as installed (the others' triggers and actions are still
// known, as "needs the … connector").
flows::Capabilities shipped_capabilities(std::vector<std::string> installed = {"tiktok",
                                                                               "tiktok_shop"});

}  // namespace sparks::test_support

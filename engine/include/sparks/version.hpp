#pragma once

namespace sparks {

// The engine's version (the project version in CMakeLists.txt).
inline constexpr const char* kVersion = SPARKS_VERSION;

}  // namespace sparks

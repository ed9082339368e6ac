# The shipped connectors' capabilities, from their Manifest objects rather than their .so files
# (support/shipped_capabilities.hpp), for the tests of flows and the fuzz targets. Included by
# tests/CMakeLists.txt and tests/fuzz/CMakeLists.txt (the fuzz build has no tests/ folder of its
# own); defined once, whichever comes first.
if(NOT TARGET sparks_shipped_capabilities)
  add_library(sparks_shipped_capabilities STATIC
    ${PROJECT_SOURCE_DIR}/tests/support/shipped_capabilities.cpp
    ${PROJECT_SOURCE_DIR}/plugins/tiktok/manifest.cpp
    ${PROJECT_SOURCE_DIR}/plugins/tiktok_shop/manifest.cpp)
  target_include_directories(sparks_shipped_capabilities
    PUBLIC ${PROJECT_SOURCE_DIR}/tests PRIVATE ${PROJECT_SOURCE_DIR}/plugins)
  target_link_libraries(sparks_shipped_capabilities PUBLIC sparks_engine PRIVATE sparks_warnings)
endif()

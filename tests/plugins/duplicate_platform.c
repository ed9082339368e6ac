/* A well-formed plugin that claims the example's platform id, "echo": refused with
 * duplicate_platform when the echo plugin is already loaded. */
#define TEST_PLATFORM SPARKS_STR("echo")
#include "test_plugin.h"

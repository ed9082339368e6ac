/* A descriptor whose display name claims to be a terabyte long: the host must refuse it from the
 * length alone (invalid_descriptor), without reading past the five real bytes. */
#define TEST_PLATFORM SPARKS_STR("liar")
#define TEST_DISPLAY_NAME \
  { "Liar", (size_t)1 << 40 }
#include "test_plugin.h"

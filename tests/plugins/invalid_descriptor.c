/* A descriptor that fails schemas/plugin-manifest.schema.json (platform id with capitals and a
 * space, version not semantic): refused with invalid_descriptor. */
#define TEST_PLATFORM SPARKS_STR("Not Valid")
#define TEST_VERSION SPARKS_STR("banana")
#include "test_plugin.h"

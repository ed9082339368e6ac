/* A minimal well-formed plugin in C, for the purpose-built test plugins to bend one way each.
 * Include it from exactly one .c file after defining TEST_PLATFORM (and optionally the others). */
#include <sparks/plugin.h>

#ifndef TEST_PLATFORM
#error define TEST_PLATFORM first
#endif
#ifndef TEST_DISPLAY_NAME
#define TEST_DISPLAY_NAME SPARKS_STR("Test")
#endif
#ifndef TEST_VERSION
#define TEST_VERSION SPARKS_STR("1.0.0")
#endif
#ifndef TEST_OPS
#define TEST_OPS kNoOperations
#endif

static void test_shutdown(sparks_plugin_ctx_t* ctx) {
  (void)ctx;
}

static const sparks_plugin_ops_t kNoOperations = {sizeof(sparks_plugin_ops_t),
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  NULL,
                                                  test_shutdown};

/* Designated: members a later ABI minor adds at the end are zero without a change here. */
static const sparks_plugin_descriptor_t kTestDescriptor = {
    .struct_size = sizeof(sparks_plugin_descriptor_t),
    .platform_id = TEST_PLATFORM,
    .display_name = TEST_DISPLAY_NAME,
    .version = TEST_VERSION};

SPARKS_PLUGIN_DEFINE_ABI();

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)host_api, (void)host, (void)error;
  plugin->ctx = NULL;
  plugin->descriptor = &kTestDescriptor;
  plugin->ops = &TEST_OPS;
  return SPARKS_OK;
}

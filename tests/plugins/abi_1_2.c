/* A plugin built against ABI 1.2: its operations table ends at `shutdown`, so it says nothing of
 * find_action (1.3). The member past its struct_size is set anyway, to a function that would
 * answer "found": the host must not read beyond what the plugin's struct_size covers, and answers
 * find_action with SPARKS_ERR_UNSUPPORTED. execute_action answers {} to show the plugin works. It
 * lives in a folder of its own (older_abi/) so that loading the test plugin folder does not load
 * it.
 */
#include <stddef.h>

#include <sparks/plugin.h>

static void execute_action(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request,
                           sparks_done_cb_t done, void* done_user) {
  sparks_str_t empty = SPARKS_STR("{}");
  (void)ctx, (void)integration, (void)request;
  done(done_user, SPARKS_OK, empty);
}

static void find_action(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request,
                        sparks_done_cb_t done, void* done_user) {
  sparks_str_t yes = SPARKS_STR("{\"found\":true,\"result\":{}}");
  (void)ctx, (void)integration, (void)request;
  done(done_user, SPARKS_OK, yes);
}

static void test_shutdown(sparks_plugin_ctx_t* ctx) {
  (void)ctx;
}

static const sparks_plugin_ops_t kOperations = {
    .struct_size = offsetof(sparks_plugin_ops_t, shutdown) + sizeof(kOperations.shutdown),
    .execute_action = execute_action,
    .shutdown = test_shutdown,
    .find_action = find_action};

static const sparks_plugin_descriptor_t kDescriptor = {
    .struct_size = sizeof(sparks_plugin_descriptor_t),
    .platform_id = SPARKS_STR("abi_1_2"),
    .display_name = SPARKS_STR("ABI 1.2"),
    .version = SPARKS_STR("1.2.0")};

/* The version block of a 1.2 build. */
SPARKS_PLUGIN_EXPORT const sparks_plugin_abi_t sparks_plugin_abi = {SPARKS_PLUGIN_ABI_MAGIC,
                                                                    SPARKS_PLUGIN_ABI_MAJOR, 2u};

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)host_api, (void)host, (void)error;
  plugin->ctx = NULL;
  plugin->descriptor = &kDescriptor;
  plugin->ops = &kOperations;
  return SPARKS_OK;
}

/* Loads fine, then misbehaves at run time; the host must check and survive each case:
 *   get_account     answers with a result that claims a terabyte of bytes;
 *   sync            answers twice (the second answer must be ignored);
 *   execute_action  emits a trigger with a lying payload length, an undeclared trigger and a
 * payload that is not a JSON object, then reports the three statuses it got back:
 *                   {"lying":S1,"undeclared":S2,"not_object":S3}. */
#include <stdio.h>

#include <sparks/plugin.h>

static const sparks_host_api_t* g_api;
static sparks_host_t* g_host;

static void get_account(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request,
                        sparks_done_cb_t done, void* done_user) {
  sparks_str_t huge = {"{}", (size_t)1 << 40};
  (void)ctx, (void)integration, (void)request;
  done(done_user, SPARKS_OK, huge);
}

static void sync_twice(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request,
                       sparks_done_cb_t done, void* done_user) {
  sparks_str_t empty = SPARKS_STR("{\"items\":[]}");
  (void)ctx, (void)integration, (void)request;
  done(done_user, SPARKS_OK, empty);
  done(done_user, SPARKS_OK, empty);
}

static void execute_action(sparks_plugin_ctx_t* ctx, sparks_str_t integration, sparks_str_t request,
                           sparks_done_cb_t done, void* done_user) {
  sparks_str_t declared = SPARKS_STR("misbehaving.poke");
  sparks_str_t undeclared = SPARKS_STR("misbehaving.secret");
  sparks_str_t lying = {"{}", (size_t)1 << 40};
  sparks_str_t object = SPARKS_STR("{}");
  sparks_str_t array = SPARKS_STR("[1,2]");
  char result[128];
  int lying_status = g_api->emit_trigger(g_host, integration, declared, lying);
  int undeclared_status = g_api->emit_trigger(g_host, integration, undeclared, object);
  int array_status = g_api->emit_trigger(g_host, integration, declared, array);
  sparks_str_t answer;
  (void)ctx, (void)request;
  answer.size =
      (size_t)snprintf(result, sizeof result, "{\"lying\":%d,\"undeclared\":%d,\"not_object\":%d}",
                       lying_status, undeclared_status, array_status);
  answer.data = result;
  done(done_user, SPARKS_OK, answer);
}

static void test_shutdown(sparks_plugin_ctx_t* ctx) {
  (void)ctx;
}

static const sparks_plugin_ops_t kOperations = {sizeof(sparks_plugin_ops_t),
                                                NULL,
                                                NULL,
                                                NULL,
                                                NULL,
                                                NULL,
                                                get_account,
                                                NULL,
                                                sync_twice,
                                                execute_action,
                                                test_shutdown};

static const sparks_operation_t kTriggers[] = {
    {SPARKS_STR("misbehaving.poke"), SPARKS_STR("Poked"), NULL, 0}};

static const sparks_plugin_descriptor_t kDescriptor = {
    .struct_size = sizeof(sparks_plugin_descriptor_t),
    .platform_id = SPARKS_STR("misbehaving"),
    .display_name = SPARKS_STR("Misbehaving"),
    .version = SPARKS_STR("0.1.0"),
    .triggers = kTriggers,
    .trigger_count = 1};

SPARKS_PLUGIN_DEFINE_ABI();

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)error;
  g_api = host_api;
  g_host = host;
  plugin->ctx = NULL;
  plugin->descriptor = &kDescriptor;
  plugin->ops = &kOperations;
  return SPARKS_OK;
}

/* Compiled by the normal build as strict C11 (-std=c11 -pedantic): sparks/plugin.h must stay a
 * plain C header that a connector written in C can include. This file is a tiny but complete C
 * plugin, so the macros are exercised too; it is compiled, never loaded. */
#include <sparks/plugin.h>

static const sparks_str_t kEnables[] = {SPARKS_STR("c11.ping")};
static const sparks_scope_t kScopes[] = {
    {SPARKS_STR("ping.read"), SPARKS_STR("Read pings"), 1, kEnables, 1}};
static const sparks_param_t kPingFields[] = {
    {SPARKS_STR("user"), SPARKS_PARAM_STRING, 1, SPARKS_STR("Who pinged")},
    {SPARKS_STR("text"), SPARKS_PARAM_STRING, 1, SPARKS_STR("What they wrote")}};
static const sparks_operation_t kTriggers[] = {
    {SPARKS_STR("c11.ping"), SPARKS_STR("A ping arrived"), kPingFields, 2}};
static const sparks_variable_t kPingVariables[] = {
    {SPARKS_STR("ping.text"), SPARKS_STR("text"), SPARKS_STR("What they wrote")}};
static const sparks_flow_trigger_t kPing = {sizeof(sparks_flow_trigger_t), SPARKS_STR("c11.ping"),
                                            SPARKS_TRIGGER_MESSAGE, kPingVariables, 1};
static const sparks_flow_trigger_t* const kFlowTriggers[] = {&kPing};
/* Designated, so that members a later ABI minor adds at the end are zero. */
static const sparks_plugin_descriptor_t kDescriptor = {
    .struct_size = sizeof(sparks_plugin_descriptor_t),
    .platform_id = SPARKS_STR("c11"),
    .display_name = SPARKS_STR("C11"),
    .version = SPARKS_STR("1.0.0"),
    .scopes = kScopes,
    .scope_count = 1,
    .triggers = kTriggers,
    .trigger_count = 1,
    .flow_triggers = kFlowTriggers,
    .flow_trigger_count = 1};

static void shutdown_plugin(sparks_plugin_ctx_t* ctx) {
  (void)ctx;
}

static const sparks_plugin_ops_t kOps = {sizeof(sparks_plugin_ops_t),
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         NULL,
                                         shutdown_plugin};

SPARKS_PLUGIN_DEFINE_ABI();

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)error;
  if (SPARKS_HOST_HAS(host_api, log)) {
    sparks_str_t hello = SPARKS_STR("c11 plugin ready");
    host_api->log(host, SPARKS_LOG_INFO, hello);
  }
  plugin->ctx = NULL;
  plugin->descriptor = &kDescriptor;
  plugin->ops = &kOps;
  return SPARKS_OK;
}

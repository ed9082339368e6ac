/* Its init fails: refused with init_failed and the plugin's own message. */
#include <sparks/plugin.h>

SPARKS_PLUGIN_DEFINE_ABI();

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  static const char kWhy[] = "the widget is missing";
  (void)host_api, (void)host, (void)plugin;
  error->data = kWhy;
  error->size = sizeof kWhy - 1;
  return SPARKS_ERR_INVALID_ARGUMENT;
}

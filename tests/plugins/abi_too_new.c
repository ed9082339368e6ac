/* Built for an ABI major newer than the host's: refused with abi_too_new, init never called. */
#include <sparks/plugin.h>

#include <stdlib.h>

SPARKS_PLUGIN_EXPORT const sparks_plugin_abi_t sparks_plugin_abi = {SPARKS_PLUGIN_ABI_MAGIC,
                                                                    SPARKS_PLUGIN_ABI_MAJOR + 1, 0};

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)host_api, (void)host, (void)plugin, (void)error;
  abort(); /* must never run */
}

/* A version block whose magic is wrong: refused with wrong_magic, before init is ever called. */
#include <sparks/plugin.h>

#include <stdlib.h>

SPARKS_PLUGIN_EXPORT const sparks_plugin_abi_t sparks_plugin_abi = {0xDEADBEEFu,
                                                                    SPARKS_PLUGIN_ABI_MAJOR, 0};

SPARKS_PLUGIN_INIT_FUNCTION(host_api, host, plugin, error) {
  (void)host_api, (void)host, (void)plugin, (void)error;
  abort(); /* must never run */
}

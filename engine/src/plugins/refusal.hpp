#pragma once
// Why a plugin was not loaded: one reason from a fixed list, plus one line of detail.
#include <string>
#include <string_view>

namespace sparks::plugins {

enum class RefusalReason {
  not_found,           // no such file, or not a regular file
  not_shared_object,   // dlopen could not load it
  no_entry_point,      // sparks_plugin_abi or sparks_plugin_init is missing
  wrong_magic,         // the version block does not start with SPARKS_PLUGIN_ABI_MAGIC
  abi_too_new,         // built for a newer ABI major than this host's
  abi_too_old,         // built for an older ABI major that this host no longer supports
  duplicate_platform,  // another loaded plugin already has this platform id
  init_failed,         // sparks_plugin_init returned an error
  invalid_descriptor,  // the descriptor is malformed or fails the manifest schema
};

// A stable snake_case code, e.g. "wrong_magic", for logs, --json output and tests.
std::string_view code_of(RefusalReason reason);

struct Refusal {
  RefusalReason reason;
  std::string detail;  // one line, e.g. "ABI major 2 is newer than this host's 1"

  // "<code>: <detail>", a single line (line breaks in the detail are flattened).
  std::string to_string() const;
};

}  // namespace sparks::plugins

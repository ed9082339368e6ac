#pragma once
// Operations the host has started in a plugin and is waiting on.
//
// The `done_user` the host passes with each operation is not a pointer but an id into this
// process-wide table, so a plugin that answers twice, or passes back garbage, is caught and ignored
// instead of touching freed memory. Ids are never reused.
#include <sparks/plugin.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace sparks::plugins {

using RawCompletion = std::function<void(sparks_status_t status, sparks_str_t result)>;

namespace operation_completions {

// Registers `completion` for an operation of `owner` (the plugin, for cancelling at unload) and
// returns the value to pass as done_user.
void* add(const void* owner, RawCompletion completion);

// The sparks_done_cb_t given to plugins: looks `done_user` up and runs its completion once.
void on_done(void* done_user, sparks_status_t status, sparks_str_t result);

// Takes every completion `owner` still owes (at unload): the caller answers them itself.
std::vector<RawCompletion> take_all(const void* owner);

}  // namespace operation_completions
}  // namespace sparks::plugins

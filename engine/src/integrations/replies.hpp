#pragma once
// What the owner's integration operations (connect, the OAuth callback, disconnect) answer with,
// shared by the files that implement them, and the way one of them runs as a coroutine.
#include <memory>
#include <string>

#include "lifecycle/machine.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/engine_impl.hpp"
#include "sparks/engine.hpp"

namespace sparks::runtime {

// A lifecycle event the store could not record: nothing changed.
Reply from_outcome_error(const FireOutcome& outcome);

Reply unknown_platform(const std::string& platform);

// Whether the event was handled and left the integration in a state that means `meaning`.
bool enters(const lifecycle::Machine& machine, const FireOutcome& outcome,
            lifecycle::Meaning meaning);

// Runs `steps` (a coroutine of one operation) on the workspace's strand and replies with the Reply
// it returns; an exception that escapes it is logged and answered as an internal error.
void reply_from(const std::shared_ptr<Engine::Impl>& impl, const Engine::Impl::WorkspacePtr& ws,
                Awaitable<Reply> steps, ReplyHandler done);

}  // namespace sparks::runtime

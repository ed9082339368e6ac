#include "integrations/replies.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>

namespace sparks::runtime {

Reply from_outcome_error(const FireOutcome& outcome) {
  return Reply::fail(ErrorKind::internal, "store", outcome.error);
}

Reply unknown_platform(const std::string& platform) {
  return Reply::fail(ErrorKind::not_found, "unknown_platform",
                     "no connector is installed for '" + platform + "'");
}

bool enters(const lifecycle::Machine& machine, const FireOutcome& outcome,
            lifecycle::Meaning meaning) {
  const auto to = machine.state_id(outcome.to);
  return outcome.handled && to && machine.means(*to, meaning);
}

void reply_from(const std::shared_ptr<Engine::Impl>& impl, const Engine::Impl::WorkspacePtr& ws,
                Awaitable<Reply> steps, ReplyHandler done) {
  boost::asio::co_spawn(
      ws->strand, std::move(steps),
      [impl, ws, done = std::move(done)](std::exception_ptr failure, Reply reply) mutable {
        if (failure) {
          const std::string why = describe(failure);
          spdlog::error("workspace {}: an operation failed: {}", ws->id, why);
          reply = Reply::fail(ErrorKind::internal, "internal", why);
        }
        impl->reply(std::move(done), std::move(reply));
      });
}

}  // namespace sparks::runtime

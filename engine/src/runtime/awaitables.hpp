#pragma once
// The engine's asynchronous steps as things a coroutine can co_await, so that an operation of
// several steps (the OAuth callback: take the session, exchange the code, read the account, fire
// the grant) reads top to bottom instead of as nested callbacks.
//
// A coroutine that awaits these runs on its workspace's strand (co_spawn it there). Each answer
// resumes it on that same executor, wherever the answer arrived, so the workspace's state is still
// touched on its strand only. The three steps never answer inside the call that starts them (the
// plugin host, the writer and fire_on_strand all post their answers), and always answer: stop()
// answers pending connector calls with SPARKS_ERR_CANCELLED, a stopped writer refuses batches.
//
// Await each one at once (`co_await call_connector(...)`): the returned awaitable refers to the
// connector, the writer or the engine given to it, which the coroutine keeps alive by holding the
// engine (shared_from_this) as one of its parameters.
//
// GCC 12 destroys a capturing lambda written inside a co_await expression twice: give the lambda
// a name first (`auto work = [..](..) {..}; co_await store_batch(writer, std::move(work));`).
#include <sparks/plugin.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"
#include "store/writer.hpp"

// GCC 12 reports -Wmismatched-new-delete, falsely, where it inlines the start of one Asio coroutine
// into another: it pairs the frame's own operator new (Asio's recycling allocator, which ends in
// aligned_alloc) with the frame's own operator delete. Every file that defines these coroutines
// includes this header, so the warning is silenced here for the rest of such a file; clang has no
// such warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace sparks::runtime {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;

namespace detail {

// The engine's callbacks are std::functions, which must be copyable; a coroutine's completion
// handler is move-only and called once. This shares it, and resumes the coroutine on the
// handler's own executor (its strand) with the step's result.
template <typename Handler>
class Resume {
 public:
  explicit Resume(Handler handler) : handler_(std::make_shared<Handler>(std::move(handler))) {}

  boost::asio::any_io_executor executor() const {
    return boost::asio::get_associated_executor(*handler_);
  }

  template <typename Result>
  void operator()(Result result) const {
    boost::asio::dispatch(executor(), [handler = handler_, result = std::move(result)]() mutable {
      std::move (*handler)(std::move(result));
    });
  }

 private:
  std::shared_ptr<Handler> handler_;
};

}  // namespace detail

// What an exception that ended a coroutine says, for its log line and its answer.
inline std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an unknown exception";
  }
}

// A connector operation's answer.
struct ConnectorAnswer {
  sparks_status_t status = SPARKS_OK;
  std::string text;  // SPARKS_OK: the operation's JSON object; otherwise a one-line message
  bool ok() const { return status == SPARKS_OK; }
};

// plugins::LoadedPlugin::call, awaited.
inline Awaitable<ConnectorAnswer> call_connector(plugins::LoadedPlugin& connector,
                                                 plugins::Operation operation,
                                                 std::string integration,
                                                 std::string request_json) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(ConnectorAnswer)>(
      [&connector, operation](auto handler, std::string integration, std::string request) {
        connector.call(operation, integration, request,
                       [resume = detail::Resume(std::move(handler))](sparks_status_t status,
                                                                     std::string text) {
                         resume(ConnectorAnswer{status, std::move(text)});
                       });
      },
      boost::asio::use_awaitable, std::move(integration), std::move(request_json));
}

// How a store batch ended, and what it read.
template <typename Value>
struct Stored {
  std::exception_ptr error;  // nullptr once committed
  Value value{};             // what the batch returned
};
template <>
struct Stored<void> {
  std::exception_ptr error;  // nullptr once committed
};

// store::Writer::submit, awaited: `work` (called with the store::Transaction of its group) runs on
// the writer's thread; the coroutine resumes once its group has committed or it was undone.
template <typename Work, typename Value = std::invoke_result_t<const Work&, store::Transaction&>>
Awaitable<Stored<Value>> store_batch(store::Writer& writer, Work work) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Stored<Value>)>(
      [&writer](auto handler, Work work) {
        detail::Resume resume(std::move(handler));
        auto stored = std::make_shared<Stored<Value>>();
        writer.submit(
            [work = std::move(work), stored](store::Transaction& tx) {
              if constexpr (std::is_void_v<Value>)
                work(tx);
              else
                stored->value = work(tx);
            },
            resume.executor(),
            [resume, stored](std::exception_ptr error) {
              stored->error = error;
              resume(std::move(*stored));
            });
      },
      boost::asio::use_awaitable, std::move(work));
}

// Engine::Impl::fire_on_strand, awaited: resumes once the transition and its effects are durable
// and the follow-ups that answer (open_oauth_session) have finished. Await it on `ws`'s strand.
inline Awaitable<FireOutcome> fire(Engine::Impl& impl, Engine::Impl::WorkspacePtr ws,
                                   IntegrationKey key, std::string event, Actor actor,
                                   boost::json::object payload,
                                   std::optional<Grant> grant = std::nullopt) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(FireOutcome)>(
      [&impl](auto handler, Engine::Impl::WorkspacePtr ws, IntegrationKey key, std::string event,
              Actor actor, boost::json::object payload, std::optional<Grant> grant) {
        impl.fire_on_strand(ws, std::move(key), std::move(event), std::move(actor),
                            std::move(payload), detail::Resume(std::move(handler)),
                            std::move(grant));
      },
      boost::asio::use_awaitable, std::move(ws), std::move(key), std::move(event), std::move(actor),
      std::move(payload), std::move(grant));
}

}  // namespace sparks::runtime

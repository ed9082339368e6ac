#pragma once
// The one connection that writes, on a thread of its own: the store blocks, and the engine's Asio
// executor must never wait on a disk.
//
// Work arrives as batches. The thread takes every batch queued when it wakes and commits them all
// in one transaction (group commit): a burst of events costs one commit, not one per event. Each
// batch runs inside its own SAVEPOINT, so a batch that throws is rolled back alone and its
// group-mates still commit. A batch's completion is called only after COMMIT has returned: nothing
// is acknowledged before it is durable.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <memory>

#include "store/connection.hpp"

// Declared, not included, so that includers of this header do not pay for Asio. A caller passing
// another executor type (a strand, an io_context's executor) includes
// <boost/asio/any_io_executor.hpp> for the conversion. (It is a class unless
// BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT is set, which the engine does not do.)
namespace boost::asio {
class any_io_executor;
}  // namespace boost::asio

namespace sparks::store {

class Writer {
 public:
  // Runs store operations on the writer's connection, inside the group's transaction. May throw to
  // undo its own writes. Must not call back into the Writer.
  using Batch = std::function<void(Transaction&)>;
  // Told how the batch ended: nullptr once committed, else why it was not.
  using Completion = std::function<void(std::exception_ptr)>;

  struct Counters {
    std::uint64_t batches = 0;         // batches run, committed or not
    std::uint64_t failed_batches = 0;  // batches whose completion received an error
    std::uint64_t transactions = 0;    // groups, i.e. BEGIN … COMMIT attempts
  };

  // The default cap keeps one transaction, and the wait of its first caller, bounded under load.
  static constexpr std::size_t kDefaultMaxBatchesPerTransaction = 1024;

  // `write` false runs each group in a read transaction instead: the Reader (reader.hpp) is one.
  explicit Writer(std::unique_ptr<Connection> connection,
                  std::size_t max_batches_per_transaction = kDefaultMaxBatchesPerTransaction,
                  bool write = true);
  // Commits everything still queued, calls its completions, then stops the thread.
  ~Writer();
  // What the destructor does, earlier: call it from the thread that owns the writer, so that the
  // thread is never left to be joined by whoever drops the last reference. Later submissions are
  // refused: their completion gets an error at once.
  void stop();

  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Thread-safe. `done` runs on the writer thread, so it must be quick and must not block.
  void submit(Batch batch, Completion done);
  // Thread-safe. `done` is posted to `executor` (e.g. a workspace strand) once the batch has ended.
  void submit(Batch batch, const boost::asio::any_io_executor& executor, Completion done);

  // Blocks until every batch submitted before the call has ended and its completion has been
  // called (or posted). For tests and shutdown; never call it from a batch or a completion.
  void flush();

  Counters counters() const;

 private:
  struct Pending {
    Batch batch;
    Completion done;
  };

  void run();
  void commit_group(std::vector<Pending>& group);

  std::unique_ptr<Connection> connection_;  // touched only by the writer thread once started
  const std::size_t max_batches_per_transaction_;
  const bool write_;

  mutable std::mutex mutex_;
  std::condition_variable work_arrived_;
  std::condition_variable group_finished_;
  std::deque<Pending> queue_;    // guarded by mutex_
  std::uint64_t submitted_ = 0;  // guarded by mutex_; batches ever submitted
  std::uint64_t finished_ = 0;   // guarded by mutex_; batches ended, in submission order
  bool stopping_ = false;        // guarded by mutex_

  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> failed_batches_{0};
  std::atomic<std::uint64_t> transactions_{0};

  std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace sparks::store

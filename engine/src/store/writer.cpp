#include "store/writer.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>

namespace sparks::store {

Writer::Writer(std::unique_ptr<Connection> connection, std::size_t max_batches_per_transaction,
               bool write)
    : connection_(std::move(connection)),
      max_batches_per_transaction_(max_batches_per_transaction == 0 ? 1
                                                                    : max_batches_per_transaction),
      write_(write),
      thread_([this] { run(); }) {}

Writer::~Writer() {
  stop();
}

void Writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_arrived_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Writer::submit(Batch batch, Completion done) {
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      if (done) done(std::make_exception_ptr(std::runtime_error("the store is closed")));
      return;
    }
    queue_.push_back({std::move(batch), std::move(done)});
    ++submitted_;
  }
  work_arrived_.notify_one();
}

void Writer::submit(Batch batch, const boost::asio::any_io_executor& executor, Completion done) {
  if (!done) return submit(std::move(batch), nullptr);
  // `done` moves on to the executor: no copy of it (and of what it holds, e.g. the engine) is
  // left to be destroyed on the writer thread, which must never destroy the engine.
  submit(std::move(batch), [executor, done = std::move(done)](std::exception_ptr error) mutable {
    boost::asio::post(executor, [done = std::move(done), error]() mutable { done(error); });
  });
}

void Writer::flush() {
  if (std::this_thread::get_id() == thread_.get_id()) {
    throw std::logic_error("Writer::flush() called from the writer thread would wait forever");
  }
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  group_finished_.wait(lock, [&] { return finished_ >= target; });
}

Writer::Counters Writer::counters() const {
  return {batches_.load(), failed_batches_.load(), transactions_.load()};
}

void Writer::run() {
  std::vector<Pending> group;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      work_arrived_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything has been drained
      // Everything queued right now joins this group: the longer the last commit took, the more
      // work has piled up and the more one commit carries.
      const std::size_t count = std::min(queue_.size(), max_batches_per_transaction_);
      group.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(count)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
    }
    commit_group(group);
    {
      std::lock_guard lock(mutex_);
      finished_ += group.size();
    }
    group_finished_.notify_all();
    group.clear();
  }
}

void Writer::commit_group(std::vector<Pending>& group) {
  Connection& connection = *connection_;
  std::vector<std::exception_ptr> outcomes(group.size());
  std::size_t failed = 0;

  try {
    connection.begin(write_);
    for (std::size_t i = 0; i < group.size(); ++i) {
      connection.begin_part();
      try {
        group[i].batch(connection.records());
        connection.end_part();
      } catch (...) {
        outcomes[i] = std::current_exception();
        connection.undo_part();  // this batch only; throws if the whole transaction was lost
      }
    }
    connection.commit();
  } catch (...) {
    // Nothing of the group is durable: BEGIN or COMMIT failed (a deferred constraint, a full disk),
    // or the transaction was lost. Every batch is told so; one that failed keeps its own reason.
    const std::exception_ptr group_error = std::current_exception();
    connection.rollback();
    for (std::exception_ptr& outcome : outcomes) {
      if (!outcome) outcome = group_error;
    }
  }

  for (std::size_t i = 0; i < group.size(); ++i) {
    if (outcomes[i]) ++failed;
    if (!group[i].done) continue;
    try {
      group[i].done(outcomes[i]);
    } catch (const std::exception& error) {
      // A completion that throws must not take the writer thread, and every later commit, down.
      spdlog::error("store writer: a batch completion threw: {}", error.what());
    } catch (...) {
      spdlog::error("store writer: a batch completion threw a non-standard exception");
    }
  }

  transactions_.fetch_add(1);
  batches_.fetch_add(group.size());
  failed_batches_.fetch_add(failed);
}

}  // namespace sparks::store

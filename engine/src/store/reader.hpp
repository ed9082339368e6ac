#pragma once
// Reads that may take a while (the API's listings) on a connection and thread of their own, so
// that they never hold up the writer: WAL lets them run while it commits. A query sees what was
// committed before it started, not writes still queued on the writer.
#include <memory>

#include "store/writer.hpp"

namespace sparks::store {

class Reader {
 public:
  using Query = Writer::Batch;  // must only read
  using Completion = Writer::Completion;

  explicit Reader(std::unique_ptr<Connection> connection)
      : queries_(std::move(connection), Writer::kDefaultMaxBatchesPerTransaction, /*write=*/false) {
  }

  // Thread-safe. `done` is posted to `executor` once the query has run.
  void submit(Query query, const boost::asio::any_io_executor& executor, Completion done) {
    queries_.submit(std::move(query), executor, std::move(done));
  }
  void stop() { queries_.stop(); }

 private:
  Writer queries_;  // the same queue and thread, each group in a read transaction
};

}  // namespace sparks::store

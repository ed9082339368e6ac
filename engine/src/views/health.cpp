// GET /healthz (docs/production.md, "Monitoring"): the store answers a read on the reader's
// connection, and the writer commits an empty batch, each within kHealthTimeout. A writer stuck
// behind a slow disk or a lost database connection shows here before the webhooks pile up.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "runtime/engine_impl.hpp"
#include "store/monitoring_store.hpp"

namespace sparks {

namespace {

constexpr std::chrono::milliseconds kHealthTimeout{2'000};
constexpr std::string_view kPending = "no answer within 2 s";

std::string reason_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// One check in progress. Its three completions (the read, the batch, the time-out) run on one
// strand: whichever comes last, or the time-out, answers.
struct HealthCheck {
  HealthCheck(boost::asio::strand<boost::asio::any_io_executor> s,
              std::function<void(HealthReport)> d)
      : strand(std::move(s)), timer(strand, kHealthTimeout), done(std::move(d)) {
    report.store = report.writer = std::string(kPending);
  }

  void heard(std::string HealthReport::*part, const std::exception_ptr& error) {
    report.*part = error ? reason_of(error) : "ok";
    if (++answers == 2) finish();
  }
  void finish() {
    if (!done) return;
    timer.cancel();
    auto answer = std::move(done);
    done = nullptr;
    answer(std::move(report));
  }

  boost::asio::strand<boost::asio::any_io_executor> strand;
  boost::asio::steady_timer timer;
  std::function<void(HealthReport)> done;
  HealthReport report;
  int answers = 0;
};

}  // namespace

void Engine::health(std::function<void(HealthReport)> done) {
  auto check =
      std::make_shared<HealthCheck>(boost::asio::make_strand(impl_->executor), std::move(done));
  check->timer.async_wait([check](boost::system::error_code ec) {
    if (!ec) check->finish();
  });
  impl_->reader.submit(
      [](store::Transaction& tx) { tx.check_readable(); }, check->strand,
      [check](std::exception_ptr error) { check->heard(&HealthReport::store, error); });
  // An empty batch: it costs the writer a savepoint in its next group, and proves it commits.
  impl_->writer.submit(
      [](store::Transaction&) {}, check->strand,
      [check](std::exception_ptr error) { check->heard(&HealthReport::writer, error); });
}

}  // namespace sparks

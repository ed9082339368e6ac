// Session's queued statements: sent together with the next statement that needs an answer, in one
// round trip, through libpq's pipeline mode.
#include <libpq-fe.h>

#include <algorithm>
#include <optional>

#include "store/postgresql/session.hpp"

namespace sparks::store::postgresql {
void Session::defer(std::string_view sql) {
  deferred_.push_back({std::string(sql), false, {}});
}

void Session::run_later(std::string_view sql, const Params& parameters) {
  if (!in_transaction_) {
    run(sql, parameters);
    return;
  }
  deferred_.push_back({prepared_name(sql), true, parameters});
  deferred_writes_ = true;
}

void Session::flush() {
  if (!deferred_.empty()) send_deferred(std::nullopt);
}

void Session::drop_deferred_writes() {
  std::erase_if(deferred_, [](const Deferred& statement) { return statement.prepared; });
  deferred_writes_ = false;
}

int Session::send(const Deferred& statement) {
  if (!statement.prepared)
    return PQsendQueryParams(connection_, statement.text.c_str(), 0, nullptr, nullptr, nullptr,
                             nullptr, 0);
  const std::vector<const char*> values = statement.parameters.pointers();
  return PQsendQueryPrepared(connection_, statement.text.c_str(), statement.parameters.size(),
                             values.data(), statement.parameters.lengths().data(),
                             statement.parameters.formats().data(), /*resultFormat=*/0);
}

Result Session::send_deferred(std::optional<Deferred> last) {
  std::vector<Deferred> statements;
  statements.swap(deferred_);
  deferred_writes_ = false;
  if (last) statements.push_back(std::move(*last));

  if (PQenterPipelineMode(connection_) == 0) throw error_of(connection_, nullptr);
  bool sent = true;
  for (const Deferred& statement : statements) sent = sent && send(statement) != 0;
  if (!sent || PQpipelineSync(connection_) == 0) {
    const Error error = error_of(connection_, nullptr);
    PQexitPipelineMode(connection_);
    throw error;
  }
  // Each statement answers with its result then a null; one after a failed one is skipped
  // (PGRES_PIPELINE_ABORTED); the sync ends the round trip.
  std::optional<Error> failure;
  Result answer;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    PGresult* result = PQgetResult(connection_);
    if (result == nullptr) {  // the connection failed: nothing more will come
      if (!failure) failure = error_of(connection_, nullptr);
      break;
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (last && i + 1 == statements.size())
        answer = Result(result);
      else
        PQclear(result);
    } else {
      if (status != PGRES_PIPELINE_ABORTED && !failure) failure = error_of(connection_, result);
      PQclear(result);
    }
    while (PGresult* rest = PQgetResult(connection_)) PQclear(rest);
  }
  if (PGresult* sync = PQgetResult(connection_)) PQclear(sync);  // PGRES_PIPELINE_SYNC
  PQexitPipelineMode(connection_);
  if (failure) throw *failure;
  return answer;
}

}  // namespace sparks::store::postgresql

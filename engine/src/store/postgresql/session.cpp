#include "store/postgresql/session.hpp"

#include <libpq-fe.h>

#include <string>

#include "store/postgresql/url.hpp"

namespace sparks::store::postgresql {
namespace {

// libpq's message, without the trailing newline it ends with.
std::string reason(PGconn* connection) {
  std::string message = PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// Throws Error unless `result` reports success; frees it then.
Result checked(PGconn* connection, PGresult* result) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(result);
  Error error = error_of(connection, result);
  if (result) PQclear(result);
  throw error;
}

}  // namespace

Error error_of(PGconn* connection, PGresult* result) {
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = reason(connection);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Error("PostgreSQL: " + message, sqlstate ? sqlstate : "");
}

Params& Params::push(std::optional<std::string> value, int format) {
  lengths_.push_back(value ? static_cast<int>(value->size()) : 0);
  formats_.push_back(format);
  values_.push_back(std::move(value));
  return *this;
}

Params& Params::add(std::string_view text) {
  return push(std::string(text), 0);
}

Params& Params::add(const std::optional<std::string>& text) {
  return push(text, 0);
}

Params& Params::add(std::int64_t number) {
  return push(std::to_string(number), 0);
}

Params& Params::add(const std::optional<std::int64_t>& number) {
  return push(number ? std::optional(std::to_string(*number)) : std::nullopt, 0);
}

Params& Params::add(bool flag) {
  return push(std::string(flag ? "true" : "false"), 0);
}

Params& Params::add_bytes(std::span<const std::uint8_t> bytes) {
  return push(std::string(bytes.begin(), bytes.end()), 1);
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& value : values_) out.push_back(value ? value->data() : nullptr);
  return out;
}

PGconn* connect(const std::string& url, const OpenOptions& options) {
  // Earlier keywords are defaults that the URL's own parameters override (expand_dbname).
  // A lock waits as long as SQLite's busy timeout would; PostgreSQL's notices (e.g. "already
  // exists, skipping") are not the engine's to print.
  const std::string settings = "-c lock_timeout=" + std::to_string(options.busy_timeout.count()) +
                               " -c client_min_messages=warning";
  const char* keywords[] = {"connect_timeout", "application_name", "options", "dbname", nullptr};
  const char* values[] = {"10", "sparks", settings.c_str(), url.c_str(), nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr)
    throw OpenError("cannot open " + without_password(url) + ": out of memory");
  if (PQstatus(connection) != CONNECTION_OK) {
    const std::string why = reason(connection);
    PQfinish(connection);
    throw OpenError("cannot open " + without_password(url) + ": " + why);
  }
  // libpq prints the server's notices and a lost connection's last words on stderr; the store
  // reports what matters through its errors instead.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  return connection;
}

Session::Session(std::string url, const OpenOptions& options)
    : url_(std::move(url)), connection_(connect(url_, options)) {}

Session::~Session() {
  PQfinish(connection_);
}

bool Session::connected() const {
  return PQstatus(connection_) == CONNECTION_OK;
}

void Session::reconnect() {
  prepared_.clear();  // a new server session has none of them
  deferred_.clear();
  deferred_writes_ = false;
  PQreset(connection_);
  if (!connected()) throw Error("PostgreSQL: cannot reconnect: " + reason(connection_), "");
}

const std::string& Session::prepared_name(std::string_view sql) {
  auto [it, fresh] = prepared_.try_emplace(std::string(sql));
  if (!fresh) return it->second;
  const std::string name = "sparks_" + std::to_string(prepared_.size());
  try {
    checked(connection_, PQprepare(connection_, name.c_str(), it->first.c_str(), 0, nullptr));
  } catch (...) {
    prepared_.erase(it);
    throw;
  }
  it->second = name;
  return it->second;
}

Result Session::run(std::string_view sql, const Params& parameters) {
  const std::string& name = prepared_name(sql);
  const std::vector<const char*> values = parameters.pointers();
  if (!deferred_.empty()) return send_deferred(Deferred{name, true, parameters});
  return checked(connection_, PQexecPrepared(connection_, name.c_str(), parameters.size(),
                                             values.data(), parameters.lengths().data(),
                                             parameters.formats().data(), /*resultFormat=*/0));
}

Result Session::exec(std::string_view sql) {
  const std::string text(sql);
  if (!deferred_.empty()) return send_deferred(Deferred{text, false, {}});
  return checked(connection_, PQexec(connection_, text.c_str()));
}

}  // namespace sparks::store::postgresql

namespace sparks::store::postgresql {

void Session::exec_quietly(std::string_view sql) noexcept {
  deferred_.clear();  // undoing: whatever was not sent yet need not be
  deferred_writes_ = false;
  try {
    PGresult* result = PQexec(connection_, std::string(sql).c_str());
    if (result) PQclear(result);
  } catch (...) {  // std::string may not allocate; there is nothing to undo then
  }
}

}  // namespace sparks::store::postgresql

#pragma once
// One libpq connection and the statements prepared on it. Every statement the store runs goes
// through run(): its text is prepared once per connection (PQprepare, cached by text) and then
// executed with its parameters in text format (bytea in binary), so PostgreSQL parses and plans
// each statement once. Used by one thread at a time, like the store::Connection that owns it.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/connection.hpp"
#include "store/postgresql/result.hpp"

struct pg_conn;
struct pg_result;

namespace sparks::store::postgresql {

// A statement PostgreSQL refused, or a connection that failed while running one. The message is
// PostgreSQL's; it never holds parameter values.
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  // The five-character SQLSTATE, e.g. "40001"; empty when the connection itself failed.
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// A statement's parameters, $1, $2, … in the order they are added.
class Params {
 public:
  Params& add(std::string_view text);
  Params& add(const std::string& text) { return add(std::string_view(text)); }
  Params& add(const char* text) { return add(std::string_view(text)); }
  Params& add(const std::optional<std::string>& text);
  Params& add(std::int64_t number);
  Params& add(int number) { return add(static_cast<std::int64_t>(number)); }
  Params& add(const std::optional<std::int64_t>& number);
  Params& add(bool flag);
  Params& add_bytes(std::span<const std::uint8_t> bytes);  // bytea, sent in binary

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  const std::vector<int>& lengths() const { return lengths_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  Params& push(std::optional<std::string> value, int format);
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

template <typename... Values>
Params params(const Values&... values) {
  Params out;
  (out.add(values), ...);
  return out;
}

class Session {
 public:
  // Connects to `url` (libpq's URI syntax). Throws OpenError naming the URL without its password.
  Session(std::string url, const OpenOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs `sql` with `parameters` ($1, …), prepared once on this connection. Throws Error.
  Result run(std::string_view sql, const Params& parameters = {});
  // Runs one or more statements without parameters or preparing (BEGIN, DDL), or one statement
  // after deferred commands. Throws Error.
  Result exec(std::string_view sql);
  // Queues a command whose answer nothing waits for (BEGIN, SAVEPOINT, RELEASE): it goes to the
  // server with the next run(), exec() or flush(), in the same round trip (libpq's pipeline
  // mode), and a failure of it is thrown there. The engine's batches are small statements, so
  // round trips are what they cost.
  void defer(std::string_view sql);
  // run() for a write whose result nobody reads: inside a transaction it is queued like a
  // deferred command, else it runs at once.
  void run_later(std::string_view sql, const Params& parameters);
  // Sends whatever is queued and waits for it; throws the first failure.
  void flush();
  // True when a write is queued: flush() before a part ends, so that its failure is the part's.
  bool has_deferred_writes() const { return deferred_writes_; }
  // Drops the queued writes (a part being undone), keeping the queued commands.
  void drop_deferred_writes();
  // Whether a transaction is open: Connection says so (queued writes wait only inside one).
  void set_in_transaction(bool open) { in_transaction_ = open; }

  // exec() for undoing: never throws, whatever state the connection is in.
  void exec_quietly(std::string_view sql) noexcept;

  // True while the connection is up; a lost one is connected again by reconnect().
  bool connected() const;
  // Connects again after the connection was lost; prepared statements start afresh. Throws Error.
  void reconnect();

  const std::string& url() const { return url_; }  // as given: may hold a password
  pg_conn* handle() { return connection_; }

 private:
  const std::string& prepared_name(std::string_view sql);
  struct Deferred {
    std::string text;  // a command's SQL, or a prepared statement's name
    bool prepared = false;
    Params parameters;
  };
  // Sends the queued statements, then `last` (if any), with one sync, and waits for them all;
  // returns the last one's result.
  Result send_deferred(std::optional<Deferred> last);
  int send(const Deferred& statement);

  std::string url_;
  pg_conn* connection_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::vector<Deferred> deferred_;                         // not sent yet, in order
  bool deferred_writes_ = false;                           // a write among them
  bool in_transaction_ = false;
};

// The error PostgreSQL reported for `result`, or the connection's when there is no result.
Error error_of(pg_conn* connection, pg_result* result);

// Opens a libpq connection to `url` with the engine's settings, or throws OpenError naming the
// URL without its password and libpq's reason.
pg_conn* connect(const std::string& url, const OpenOptions& options);

}  // namespace sparks::store::postgresql

#pragma once
// The rows a statement returned, read by row and column. Values come in PostgreSQL's text format.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct pg_result;

namespace sparks::store::postgresql {

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  // Rows an INSERT, UPDATE or DELETE changed (PQcmdTuples).
  std::int64_t affected() const;
  // The command tag, e.g. "COMMIT", or "ROLLBACK" for a COMMIT of a failed transaction.
  std::string command_status() const;

  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const;
  std::vector<std::uint8_t> bytes(int row, int column) const;  // a bytea column
  std::optional<std::string> optional_text(int row, int column) const;
  std::optional<std::int64_t> optional_int(int row, int column) const;

 private:
  pg_result* result_ = nullptr;
};

}  // namespace sparks::store::postgresql

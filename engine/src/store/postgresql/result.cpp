#include "store/postgresql/result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

namespace sparks::store::postgresql {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::runtime_error("a bytea column is not in hex format");
}

}  // namespace

Result::~Result() {
  if (result_) PQclear(result_);
}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int Result::rows() const {
  return result_ ? PQntuples(result_) : 0;
}

std::int64_t Result::affected() const {
  const char* count = result_ ? PQcmdTuples(result_) : "";
  std::int64_t value = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}

std::string Result::command_status() const {
  return result_ ? PQcmdStatus(result_) : "";
}

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t Result::int64(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  const char* end = value + PQgetlength(result_, row, column);
  std::int64_t number = 0;
  const auto [stop, error] = std::from_chars(value, end, number);
  if (error != std::errc() || stop != end)
    throw std::runtime_error(std::string("column ") + PQfname(result_, column) +
                             " is not an integer: '" + std::string(value, end) + "'");
  return number;
}

bool Result::boolean(int row, int column) const {
  return PQgetvalue(result_, row, column)[0] == 't';
}

std::vector<std::uint8_t> Result::bytes(int row, int column) const {
  // Text format of bytea: "\x" then two hex digits per byte (bytea_output = hex, the default).
  const std::string hex = text(row, column);
  if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x' || hex.size() % 2 != 0)
    throw std::runtime_error("a bytea column is not in hex format");
  std::vector<std::uint8_t> out;
  out.reserve((hex.size() - 2) / 2);
  for (std::size_t i = 2; i < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1])));
  return out;
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

std::optional<std::int64_t> Result::optional_int(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

}  // namespace sparks::store::postgresql

#pragma once
// Binds C++ values to a statement's `?` parameters, in order, for the types the store uses:
//   SQLite::Statement insert(db, "INSERT INTO t VALUES (?, ?)");
//   bind_all(insert, name, at_ms);
// and reads back the columns that may be NULL.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

namespace sparks::store::sqlite {

inline void bind_value(SQLite::Statement& statement, int index, const std::string& text) {
  statement.bind(index, text);
}

inline void bind_value(SQLite::Statement& statement, int index, std::string_view text) {
  statement.bind(index, std::string(text));  // SQLiteCpp binds only NUL-terminated text
}

inline void bind_value(SQLite::Statement& statement, int index,
                       const std::optional<std::string>& text) {
  if (text) {
    statement.bind(index, *text);
  } else {
    statement.bind(index);  // NULL
  }
}

inline void bind_value(SQLite::Statement& statement, int index, std::int64_t number) {
  statement.bind(index, number);
}

inline void bind_value(SQLite::Statement& statement, int index,
                       const std::optional<std::int64_t>& number) {
  if (number) {
    statement.bind(index, *number);
  } else {
    statement.bind(index);  // NULL
  }
}

inline void bind_value(SQLite::Statement& statement, int index,
                       std::span<const std::uint8_t> bytes) {
  // A null pointer would bind NULL rather than an empty blob.
  static constexpr std::uint8_t kNoBytes = 0;
  statement.bind(index, bytes.empty() ? &kNoBytes : bytes.data(), static_cast<int>(bytes.size()));
}

inline std::optional<std::string> optional_text(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getString());
}

inline std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getInt64());
}

template <typename... Values>
void bind_all(SQLite::Statement& statement, const Values&... values) {
  int index = 0;
  (bind_value(statement, ++index, values), ...);
}

}  // namespace sparks::store::sqlite

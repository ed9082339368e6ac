#pragma once
// Binds C++ values to a statement's `?` parameters, in order, for the types the store uses:
//   SQLite::Statement insert(db, "INSERT INTO t VALUES (?, ?)");
//   bind_all(insert, name, at_ms);
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

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
                       std::span<const std::uint8_t> bytes) {
  // A null pointer would bind NULL rather than an empty blob.
  static constexpr std::uint8_t kNoBytes = 0;
  statement.bind(index, bytes.empty() ? &kNoBytes : bytes.data(), static_cast<int>(bytes.size()));
}

template <typename... Values>
void bind_all(SQLite::Statement& statement, const Values&... values) {
  int index = 0;
  (bind_value(statement, ++index, values), ...);
}

}  // namespace sparks::store::sqlite

#pragma once
// Reading strings that come from a plugin. A plugin's (pointer, length) pairs are never trusted:
// a NULL pointer with a length, a length over the limit for that kind of string, or bytes that are
// not UTF-8 are refused before the text is used. (A length that is merely a little too long for its
// buffer cannot be detected from inside the process; the limits keep such a lie from reaching far.)
#include <sparks/plugin.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sparks::plugins {

// Size limits, by kind of string.
inline constexpr std::size_t kMaxNameSize = 128;                  // ids, names, scopes, keys
inline constexpr std::size_t kMaxTextSize = 4 * 1024;             // descriptions, messages
inline constexpr std::size_t kMaxDocumentSize = 8 * 1024 * 1024;  // JSON documents, HTTP bodies
inline constexpr std::size_t kMaxArrayItems = 1024;               // entries of any descriptor array

struct CheckedText {
  std::string_view text;  // valid only when `error` is empty; borrowed from the plugin
  std::string error;      // why the string was refused, e.g. "is 1099511627776 bytes (limit 128)"
  bool ok() const { return error.empty(); }
};

// Checks `value` against `max_size`, NULL-with-length and UTF-8.
CheckedText check_text(sparks_str_t value, std::size_t max_size);

// The same checks without UTF-8, for binary data (keys, bodies being signed).
CheckedText check_bytes(sparks_str_t value, std::size_t max_size);

// True when `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool is_utf8(std::string_view bytes);

// A one-line message from a plugin made safe for logs: checked (limit kMaxTextSize), line breaks
// flattened; a refused message is replaced by a note saying why it was refused.
std::string sanitize_message(sparks_str_t message);

}  // namespace sparks::plugins

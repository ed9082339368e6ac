#include "plugins/abi_text.hpp"

#include <algorithm>

namespace sparks::plugins {

CheckedText check_text(sparks_str_t value, std::size_t max_size) {
  CheckedText result = check_bytes(value, max_size);
  if (result.ok() && !is_utf8(result.text)) {
    result.text = {};
    result.error = "is not valid UTF-8";
  }
  return result;
}

CheckedText check_bytes(sparks_str_t value, std::size_t max_size) {
  CheckedText result;
  if (value.size == 0) return result;
  if (value.data == nullptr) {
    result.error = "has a length of " + std::to_string(value.size) + " but no data";
    return result;
  }
  if (value.size > max_size) {
    result.error =
        "is " + std::to_string(value.size) + " bytes (limit " + std::to_string(max_size) + ")";
    return result;
  }
  result.text = std::string_view(value.data, value.size);
  return result;
}

bool is_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    int length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;  // a continuation byte, an overlong 2-byte lead (C0, C1), or above F4
    }
    if (end - p < length) return false;
    for (int i = 1; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      code = (code << 6) | (p[i] & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000)) return false;  // overlong
    if (code >= 0xD800 && code <= 0xDFFF) return false;  // surrogate
    if (code > 0x10FFFF) return false;
    p += length;
  }
  return true;
}

std::string sanitize_message(sparks_str_t message) {
  CheckedText checked = check_text(message, kMaxTextSize);
  if (!checked.ok()) return "(the plugin's message " + checked.error + ")";
  std::string line(checked.text);
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return line;
}

}  // namespace sparks::plugins

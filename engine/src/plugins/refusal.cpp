#include "plugins/refusal.hpp"

#include <algorithm>

namespace sparks::plugins {

std::string_view code_of(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::not_found:
      return "not_found";
    case RefusalReason::not_shared_object:
      return "not_shared_object";
    case RefusalReason::no_entry_point:
      return "no_entry_point";
    case RefusalReason::wrong_magic:
      return "wrong_magic";
    case RefusalReason::abi_too_new:
      return "abi_too_new";
    case RefusalReason::abi_too_old:
      return "abi_too_old";
    case RefusalReason::duplicate_platform:
      return "duplicate_platform";
    case RefusalReason::init_failed:
      return "init_failed";
    case RefusalReason::invalid_descriptor:
      return "invalid_descriptor";
  }
  return "unknown";
}

std::string Refusal::to_string() const {
  std::string line = std::string(code_of(reason)) + ": " + detail;
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return line;
}

}  // namespace sparks::plugins

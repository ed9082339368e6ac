#include "util/diagnostic.hpp"

namespace sparks {

std::string Diagnostic::to_string() const {
  const std::string position =
      whole_file ? std::string() : ":" + std::to_string(line) + ":" + std::to_string(column);
  return file + position + (warning ? ": warning: " : ": error: ") + message;
}

}  // namespace sparks

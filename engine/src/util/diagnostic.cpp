#include "util/diagnostic.hpp"

namespace sparks {

std::string Diagnostic::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) +
         (warning ? ": warning: " : ": error: ") + message;
}

}  // namespace sparks

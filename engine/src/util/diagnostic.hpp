#pragma once
// A problem found in a user's file, reported as `FILE:LINE:COL: error: MESSAGE`.
#include <string>
#include <vector>

namespace sparks {

struct Diagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based
  std::string message;
  bool warning = false;     // it will work, but not as the author may think; never fails a check
  bool whole_file = false;  // about the file as such (its size): reported without a position

  std::string to_string() const;  // "file:line:col: error: message" ("file: error: …" whole_file)
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace sparks

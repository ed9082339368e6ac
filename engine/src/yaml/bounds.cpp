#include "yaml/bounds.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace sparks::yaml {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Where the nesting limit was crossed, 1-based.
struct Position {
  int line = 0;
  int column = 0;
};

// One pass over the text, in the two contexts of YAML: in a flow collection every bracket outside a
// quoted scalar or a comment opens or closes a level (plain scalars cannot contain brackets there);
// in block context a level is a column at which a mapping (`key: `) or a sequence (`- `) lives, and
// a line indented less closes the levels right of it. The count never exceeds the tree yaml-cpp
// would build, so a valid document within the limit is never refused.
class DepthScanner {
 public:
  DepthScanner(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<Position> run() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = line_begin_ = 3;  // a UTF-8 byte order mark
    while (pos_ < text_.size() && !crossed_) {
      if (at_line_start_)
        start_line();
      else
        step();
    }
    return crossed_;
  }

 private:
  enum class Kind { mapping, sequence };
  struct Level {
    int column;
    Kind kind;
  };

  char at(std::size_t i) const { return i < text_.size() ? text_[i] : '\n'; }
  int column() const { return static_cast<int>(pos_ - line_begin_); }  // 0-based
  bool ends_token(std::size_t i) const { return is_blank(at(i)) || at(i) == '\n'; }
  int depth() const { return static_cast<int>(levels_.size()) + flow_; }

  // `col`: where the level that may be one too many begins (0-based, on the current line).
  void check_depth(int col) {
    if (depth() > max_depth_ && !crossed_) crossed_ = Position{line_, col + 1};
  }

  void new_line() {
    ++line_;
    line_begin_ = ++pos_;
  }
  // Past a line break that ends a line of the document (not one inside a scalar): in block
  // context the next line's indentation matters.
  void end_line() {
    new_line();
    at_line_start_ = flow_ == 0;
  }

  void skip_to_line_end() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }

  // Block context, at the first character of a line: blank and comment lines change nothing; a
  // document marker starts afresh; a continued plain scalar is text; otherwise the line's
  // indentation closes every level right of it.
  void start_line() {
    at_line_start_ = false;
    while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_];
    if (c == '\n') return end_line();
    if (c == '#') {
      plain_open_ = false;
      return skip_to_line_end();
    }
    const int col = column();
    if (col == 0 &&
        (text_.substr(pos_).starts_with("---") || text_.substr(pos_).starts_with("...")) &&
        ends_token(pos_ + 3)) {
      levels_.clear();
      plain_open_ = false;
      pos_ += 3;
      begin_node();
      return;
    }
    if (col == 0 && c == '%' && levels_.empty()) return skip_to_line_end();  // a directive
    if (plain_open_ && (levels_.empty() || col > levels_.back().column))
      return skip_to_line_end();  // the plain scalar of the line before goes on
    while (!levels_.empty() && levels_.back().column > col) levels_.pop_back();
    plain_open_ = false;
    begin_node();
  }

  void begin_node() {
    node_start_ = true;
    token_column_ = -1;
  }

  void step() {
    const char c = text_[pos_];
    if (c == '\n') return end_line();
    const bool after_blank = pos_ == line_begin_ || is_blank(at(pos_ - 1));
    if (c == '#' && after_blank) {
      plain_open_ = false;
      return skip_to_line_end();
    }
    if (flow_ > 0) return step_in_flow(c);
    step_in_block(c);
  }

  void step_in_flow(char c) {
    if (is_blank(c)) {
      ++pos_;
      return;
    }
    if ((c == '"' || c == '\'') && flow_token_start_) {
      skip_quoted(c);
      flow_token_start_ = false;
      return;
    }
    if (c == '[' || c == '{') {
      ++flow_;
      check_depth(column());
    } else if (c == ']' || c == '}') {
      if (--flow_ == 0) {  // back in block context, after a complete node
        node_start_ = false;
        plain_open_ = false;
      }
    }
    flow_token_start_ = c == '[' || c == '{' || c == ',' || c == ':' || c == '?' || c == '-';
    ++pos_;
  }

  void step_in_block(char c) {
    if (is_blank(c)) {
      ++pos_;
      return;
    }
    if (c == ':' && ends_token(pos_ + 1)) {
      open(Kind::mapping, token_column_ < 0 ? column() : token_column_);
      plain_open_ = false;
      ++pos_;
      begin_node();
      return;
    }
    if (!node_start_) {
      ++pos_;
      return;
    }
    if ((c == '-' || c == '?') && ends_token(pos_ + 1)) {
      open(c == '-' ? Kind::sequence : Kind::mapping, column());
      ++pos_;
      begin_node();
      return;
    }
    if (token_column_ < 0) token_column_ = column();
    if (c == '&' || c == '!') {  // an anchor or a tag: the node itself comes after it
      while (!ends_token(pos_)) ++pos_;
      return;
    }
    node_start_ = false;
    if (c == '[' || c == '{') {
      ++flow_;
      check_depth(column());
      flow_token_start_ = true;
      ++pos_;
    } else if (c == '"' || c == '\'') {
      skip_quoted(c);
    } else if (c == '|' || c == '>') {
      skip_block_scalar();
    } else {
      plain_open_ = true;
      ++pos_;
    }
  }

  // A mapping or sequence at `col`: a new level unless it is the one already open there. A
  // sequence may sit at its mapping's column (`key:` then `- item` below it); the next key at
  // that column closes it again.
  void open(Kind kind, int col) {
    if (kind == Kind::mapping && !levels_.empty() && levels_.back().column == col &&
        levels_.back().kind == Kind::sequence && levels_.size() >= 2 &&
        levels_[levels_.size() - 2].column == col)
      levels_.pop_back();
    if (!levels_.empty() && levels_.back().column == col &&
        (levels_.back().kind == kind || kind == Kind::mapping))
      return;
    levels_.push_back({col, kind});
    check_depth(col);
  }

  // From the opening quote to past the closing one, across lines ('' and \" do not close).
  void skip_quoted(char quote) {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        new_line();
        continue;
      }
      if (quote == '"' && c == '\\') {
        if (at(pos_ + 1) == '\n') {
          ++pos_;
          continue;
        }
        pos_ += 2;
        continue;
      }
      if (c == quote) {
        if (quote == '\'' && at(pos_ + 1) == '\'') {
          pos_ += 2;
          continue;
        }
        ++pos_;
        return;
      }
      ++pos_;
    }
  }

  // `|` or `>`: the rest of the line is its header, then every line that is blank or indented
  // more than the collection holding the scalar is its content.
  void skip_block_scalar() {
    const int parent = levels_.empty() ? -1 : levels_.back().column;
    skip_to_line_end();
    while (pos_ < text_.size()) {
      new_line();
      std::size_t i = pos_;
      while (i < text_.size() && text_[i] == ' ') ++i;
      const bool blank = i >= text_.size() || at(i) == '\n' || at(i) == '\r';
      const int indent = static_cast<int>(i - pos_);
      const std::string_view rest = text_.substr(pos_);
      const bool marker =
          (rest.starts_with("---") || rest.starts_with("...")) && ends_token(pos_ + 3);
      if (!blank && (indent <= parent || marker)) {
        at_line_start_ = true;
        return;
      }
      pos_ = i;
      skip_to_line_end();
    }
  }

  std::string_view text_;
  int max_depth_;
  std::size_t pos_ = 0;
  std::size_t line_begin_ = 0;
  int line_ = 1;
  std::vector<Level> levels_;      // the open block collections, outermost first
  int flow_ = 0;                   // open flow collections
  bool node_start_ = true;         // block context: the next token begins a node
  int token_column_ = -1;          // where the node's first token began (a key's column)
  bool plain_open_ = false;        // a plain scalar may continue on a more indented line
  bool flow_token_start_ = false;  // flow context: a quote here opens a quoted scalar
  bool at_line_start_ = true;
  std::optional<Position> crossed_;
};

// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF), or npos. Later stages take the text's strings to be
// UTF-8; the schema validator reads past its own tables on a long run of continuation bytes.
std::size_t first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](std::size_t at) {
      return at < text.size() ? static_cast<unsigned char>(text[at]) : 0u;
    };
    const unsigned lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

// 1-based line and column (in bytes) of `offset`.
Position position_of(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const auto line_start = before.rfind('\n');
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const auto column = line_start == std::string_view::npos ? offset : offset - line_start - 1;
  return {line, static_cast<int>(column) + 1};
}

}  // namespace

std::optional<Diagnostic> check_bounds(const std::string& file, std::string_view text,
                                       const Limits& limits) {
  if (text.size() > limits.max_bytes) {
    Diagnostic too_large{file, 0, 0,
                         "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                             std::to_string(limits.max_bytes)};
    too_large.whole_file = true;
    return too_large;
  }
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    const Position at = position_of(text, bad);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
    return Diagnostic{file, at.line, at.column,
                      std::string("the text is not UTF-8 (byte ") + byte + ")"};
  }
  if (auto crossed = DepthScanner(text, limits.max_depth).run())
    return Diagnostic{file, crossed->line, crossed->column,
                      "nesting deeper than " + std::to_string(limits.max_depth) + " levels"};
  return std::nullopt;
}

}  // namespace sparks::yaml

#include "thaiyyal/load/string_source.h"

#include <algorithm>

#include "thaiyyal/diag/render.h"

namespace thaiyyal::load::detail {

std::pair<std::size_t, std::size_t> StringSource::range(std::size_t offset,
                                                        std::size_t length) const {
  if (offset >= bytes.size()) return {end, end + 1};
  const std::size_t begin = bytes[offset].first;
  const std::size_t last = std::min(offset + std::max<std::size_t>(length, 1), bytes.size()) - 1;
  return {begin, std::max(bytes[last].second, begin + 1)};
}

diag::Location string_location(const std::shared_ptr<const diag::SourceFile>& file,
                               std::size_t base, std::pair<std::size_t, std::size_t> r) {
  diag::Location loc;
  loc.file = file;
  const auto [line, column] = file->line_column(base + r.first);
  loc.line = line;
  loc.column = column;
  const std::size_t line_size = file->line_text(line).size();
  const auto col = static_cast<std::size_t>(column - 1);
  std::size_t len = r.second - r.first;
  if (col + len > line_size) len = line_size > col ? line_size - col : 1;
  loc.length = static_cast<int>(std::clamp<std::size_t>(len, 1, 80));
  return loc;
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `n` hex digits at `text[i]`, or -1.
long hex_value(std::string_view text, std::size_t i, int n) {
  if (i + static_cast<std::size_t>(n) > text.size()) return -1;
  long v = 0;
  for (int k = 0; k < n; ++k) {
    const int d = hex_digit(text[i + static_cast<std::size_t>(k)]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append(StringSource& s, std::string_view bytes, std::size_t begin, std::size_t end) {
  for (char c : bytes) {
    s.value.push_back(c);
    s.bytes.emplace_back(begin, end);
  }
}

/// Sets `s.end` once the value is complete: just after the last character
/// that is not one of the value's final line breaks (so the end of a block
/// scalar is on its last line of text); `content_begin` when there is none.
StringSource finish(StringSource s, std::string_view text, std::size_t content_begin) {
  s.end = content_begin;
  for (std::size_t i = s.bytes.size(); i-- > 0;) {
    const auto [first, last] = s.bytes[i];
    const bool from_break =
        s.value[i] == '\n' && first < text.size() && (text[first] == '\n' || text[first] == '\r');
    if (!from_break) {
      s.end = last;
      break;
    }
    s.end = first;
  }
  return s;
}

void truncate(StringSource& s, std::size_t size) {
  if (size < s.value.size()) {
    s.value.resize(size);
    s.bytes.resize(size);
  }
}

/// Reads one YAML scalar again, as yaml-cpp's scanner does (its ScanScalar
/// with the parameters of each scalar style), recording where every byte of
/// the value comes from.
class YamlScalarScanner {
 public:
  YamlScalarScanner(std::string_view text, std::size_t start, const YamlScalarContext& ctx)
      : t_(text), i_(start), ctx_(ctx) {
    const auto nl = start == 0 ? std::string_view::npos : t_.rfind('\n', start - 1);
    line_start_ = nl == std::string_view::npos ? 0 : nl + 1;
  }

  std::optional<StringSource> scan() {
    if (!skip_properties()) return std::nullopt;
    if (eof()) return std::nullopt;
    const char c = t_[i_];
    if (c == '|' || c == '>') return block();
    if (c == '"' || c == '\'') return quoted(c);
    return plain();
  }

 private:
  enum class Fold { DontFold, Block, Flow };
  enum class Chomp { Strip, Clip, Keep };
  enum class End { Plain, PlainInFlow, SingleQuote, DoubleQuote, None };

  struct Params {
    End end = End::None;
    bool eat_end = false;
    char escape = 0;
    int indent = 0;
    bool detect_indent = false;
    Fold fold = Fold::DontFold;
    bool eat_leading_whitespace = false;
    bool trim_trailing_spaces = false;
    Chomp chomp = Chomp::Clip;
    bool break_on_doc_indicator = false;  ///< else a document marker is an error
  };

  bool eof(std::size_t at) const { return at >= t_.size(); }
  bool eof() const { return eof(i_); }
  char at(std::size_t k) const { return k < t_.size() ? t_[k] : '\0'; }
  bool is_blank(std::size_t k) const { return !eof(k) && (t_[k] == ' ' || t_[k] == '\t'); }
  bool is_break(std::size_t k) const { return !eof(k) && (t_[k] == '\n' || t_[k] == '\r'); }
  bool is_blank_or_break(std::size_t k) const { return is_blank(k) || is_break(k); }
  std::size_t break_length(std::size_t k) const {
    if (!is_break(k)) return 0;
    return t_[k] == '\r' && at(k + 1) == '\n' ? 2 : 1;
  }
  int column() const { return static_cast<int>(i_ - line_start_); }

  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && i_ < t_.size(); ++k) {
      if (t_[i_++] == '\n') line_start_ = i_;
    }
  }

  /// A document marker (`---` or `...` and a blank, a break or the end).
  bool doc_indicator() const {
    if (i_ + 3 > t_.size()) return false;
    const std::string_view m = t_.substr(i_, 3);
    if (m != "---" && m != "...") return false;
    return eof(i_ + 3) || is_blank_or_break(i_ + 3);
  }

  bool flow_terminator(std::size_t k) const {
    const char c = at(k);
    return c == ',' || c == ']' || c == '}';
  }

  /// Length of the end of the scalar at the current position, or -1.
  int end_match(End e) const {
    switch (e) {
      case End::None:
        return -1;
      case End::SingleQuote:
        return at(i_) == '\'' && at(i_ + 1) != '\'' && !eof() ? 1 : -1;
      case End::DoubleQuote:
        return at(i_) == '"' && !eof() ? 1 : -1;
      case End::Plain:
      case End::PlainInFlow:
        if (is_blank_or_break(i_) && at(i_ + 1) == '#') return 2;
        if (at(i_) == ':' && !eof()) {
          if (eof(i_ + 1) || is_blank_or_break(i_ + 1)) return 1;
          if (e == End::PlainInFlow && flow_terminator(i_ + 1)) return 1;
        }
        if (e == End::PlainInFlow) {
          const char c = at(i_);
          if (!eof() && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')) {
            return 1;
          }
        }
        return -1;
    }
    return -1;
  }

  /// Skips the node's tag and anchor (and the blanks after them).
  bool skip_properties() {
    while (!eof() && (t_[i_] == '!' || t_[i_] == '&')) {
      if (t_[i_] == '!' && at(i_ + 1) == '<') {
        const auto close = t_.find('>', i_);
        if (close == std::string_view::npos) return false;
        advance(close + 1 - i_);
      } else {
        while (!eof() && !is_blank_or_break(i_) &&
               !(ctx_.in_flow && (flow_terminator(i_) || at(i_) == '[' || at(i_) == '{'))) {
          advance(1);
        }
      }
      for (;;) {
        if (is_blank_or_break(i_)) {
          advance(1);
        } else if (at(i_) == '#' && !eof()) {
          while (!eof() && !is_break(i_)) advance(1);
        } else {
          break;
        }
      }
    }
    return true;
  }

  /// A double-quoted escape at the current position (at its backslash).
  bool escape(StringSource& s) {
    const std::size_t begin = i_;
    const char c = at(i_ + 1);
    if (eof(i_ + 1)) return false;
    std::string out;
    std::size_t n = 2;
    switch (c) {
      case '0':
        out = std::string(1, '\0');
        break;
      case 'a':
        out = "\x07";
        break;
      case 'b':
        out = "\x08";
        break;
      case 't':
      case '\t':
        out = "\x09";
        break;
      case 'n':
        out = "\x0A";
        break;
      case 'v':
        out = "\x0B";
        break;
      case 'f':
        out = "\x0C";
        break;
      case 'r':
        out = "\x0D";
        break;
      case 'e':
        out = "\x1B";
        break;
      case ' ':
        out = " ";
        break;
      case '"':
        out = "\"";
        break;
      case '\'':
        out = "'";
        break;
      case '\\':
        out = "\\";
        break;
      case '/':
        out = "/";
        break;
      case 'N':
        out = "\xC2\x85";
        break;
      case '_':
        out = "\xC2\xA0";
        break;
      case 'L':
        out = "\xE2\x80\xA8";
        break;
      case 'P':
        out = "\xE2\x80\xA9";
        break;
      case 'x':
      case 'u':
      case 'U': {
        const int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        const long v = hex_value(t_, i_ + 2, digits);
        if (v < 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return false;
        diag::append_utf8(out, static_cast<char32_t>(v));
        n += static_cast<std::size_t>(digits);
        break;
      }
      default:
        return false;
    }
    append(s, out, begin, begin + n);
    advance(n);
    return true;
  }

  /// yaml-cpp's ScanScalar, recording sources. False when the text does not
  /// read as a scalar (then the caller gives up on exact positions).
  bool scan_scalar(StringSource& s, Params& p) {
    bool found_non_empty_line = false;
    bool past_opening_break = p.fold == Fold::Flow;
    bool empty_line = false, more_indented = false;
    int folded_newlines = 0;
    bool folded_started_more_indented = false;
    std::vector<std::pair<std::size_t, std::size_t>> folded_breaks;
    std::size_t last_escaped = std::string::npos;

    while (!eof()) {
      // 1. Up to the end of the line.
      std::size_t last_non_blank = s.value.size();
      bool escaped_newline = false;
      while (end_match(p.end) < 0 && !is_break(i_)) {
        if (eof()) break;
        if (column() == 0 && doc_indicator()) {
          if (p.break_on_doc_indicator) break;
          return false;
        }
        found_non_empty_line = true;
        past_opening_break = true;
        if (p.escape == '\\' && at(i_) == '\\' && is_break(i_ + 1)) {
          advance(1);
          last_non_blank = s.value.size();
          last_escaped = s.value.size();
          escaped_newline = true;
          break;
        }
        if (p.escape != 0 && at(i_) == p.escape) {
          if (p.escape == '\'') {
            append(s, "'", i_, i_ + 2);
            advance(2);
          } else if (!escape(s)) {
            return false;
          }
          last_non_blank = s.value.size();
          last_escaped = s.value.size();
          continue;
        }
        const char ch = t_[i_];
        append(s, std::string_view(&ch, 1), i_, i_ + 1);
        advance(1);
        if (ch != ' ' && ch != '\t') last_non_blank = s.value.size();
      }
      if (eof()) {
        if (p.eat_end) return false;
        break;
      }
      if (p.break_on_doc_indicator && column() == 0 && doc_indicator()) break;
      if (end_match(p.end) >= 0) break;
      if (p.fold == Fold::Flow) truncate(s, last_non_blank);

      // 2. The line break.
      const std::pair<std::size_t, std::size_t> brk{i_, i_ + break_length(i_)};
      advance(brk.second - brk.first);

      // 3. The indentation and leading blanks of the next line.
      while (at(i_) == ' ' && !eof() &&
             (column() < p.indent || (p.detect_indent && !found_non_empty_line)) &&
             end_match(p.end) < 0) {
        advance(1);
      }
      if (p.detect_indent && !found_non_empty_line) p.indent = std::max(p.indent, column());
      while (is_blank(i_)) {
        if (t_[i_] == '\t' && column() < p.indent && p.end != End::SingleQuote &&
            p.end != End::DoubleQuote) {
          return false;  // a tab used as indentation
        }
        if (!p.eat_leading_whitespace || end_match(p.end) >= 0) break;
        advance(1);
      }

      const bool next_empty_line = is_break(i_);
      const bool next_more_indented = is_blank(i_);
      if (p.fold == Fold::Block && folded_newlines == 0 && next_empty_line) {
        folded_started_more_indented = more_indented;
      }
      if (past_opening_break) {
        switch (p.fold) {
          case Fold::DontFold:
            append(s, "\n", brk.first, brk.second);
            break;
          case Fold::Block:
            if (!empty_line && !next_empty_line && !more_indented && !next_more_indented &&
                column() >= p.indent) {
              append(s, " ", brk.first, brk.second);
            } else if (next_empty_line) {
              ++folded_newlines;
              folded_breaks.push_back(brk);
            } else {
              append(s, "\n", brk.first, brk.second);
            }
            if (!next_empty_line && folded_newlines > 0) {
              // The kept line breaks are those of the empty lines.
              std::size_t k = 0;
              for (int n = 0; n < folded_newlines - 1; ++n, ++k) {
                append(s, "\n", folded_breaks[k].first, folded_breaks[k].second);
              }
              if (folded_started_more_indented || next_more_indented || !found_non_empty_line) {
                const auto& b = folded_breaks[std::min(k, folded_breaks.size() - 1)];
                append(s, "\n", b.first, b.second);
              }
              folded_newlines = 0;
              folded_breaks.clear();
            }
            break;
          case Fold::Flow:
            if (next_empty_line) {
              append(s, "\n", brk.first, brk.second);
            } else if (!empty_line && !escaped_newline) {
              append(s, " ", brk.first, brk.second);
            }
            break;
        }
      }
      empty_line = next_empty_line;
      more_indented = next_more_indented;
      past_opening_break = true;
      if (!empty_line && column() < p.indent) break;
    }

    if (p.trim_trailing_spaces) {
      std::size_t pos = s.value.find_last_not_of(" \t");
      if (last_escaped != std::string::npos && (pos == std::string::npos || pos < last_escaped)) {
        pos = last_escaped;
      }
      if (pos < s.value.size()) truncate(s, pos + 1);
    }
    if (p.chomp != Chomp::Keep) {
      std::size_t pos = s.value.find_last_not_of('\n');
      if (last_escaped != std::string::npos && (pos == std::string::npos || pos < last_escaped)) {
        pos = last_escaped;
      }
      if (pos == std::string::npos) {
        truncate(s, 0);
      } else {
        truncate(s, pos + (p.chomp == Chomp::Clip ? 2 : 1));
      }
    }
    return true;
  }

  std::optional<StringSource> plain() {
    Params p;
    p.end = ctx_.in_flow ? End::PlainInFlow : End::Plain;
    p.indent = ctx_.in_flow ? 0 : ctx_.indent + 1;
    p.fold = Fold::Flow;
    p.eat_leading_whitespace = true;
    p.trim_trailing_spaces = true;
    p.chomp = Chomp::Strip;
    p.break_on_doc_indicator = true;
    StringSource s;
    const std::size_t begin = i_;
    if (!scan_scalar(s, p)) return std::nullopt;
    return finish(std::move(s), t_, begin);
  }

  std::optional<StringSource> quoted(char quote) {
    Params p;
    p.end = quote == '\'' ? End::SingleQuote : End::DoubleQuote;
    p.eat_end = true;
    p.escape = quote == '\'' ? '\'' : '\\';
    p.fold = Fold::Flow;
    p.eat_leading_whitespace = true;
    p.chomp = Chomp::Clip;
    StringSource s;
    advance(1);
    const std::size_t begin = i_;
    if (!scan_scalar(s, p)) return std::nullopt;
    return finish(std::move(s), t_, begin);
  }

  std::optional<StringSource> block() {
    Params p;
    p.indent = 1;
    p.detect_indent = true;
    p.fold = t_[i_] == '>' ? Fold::Block : Fold::DontFold;
    advance(1);
    p.chomp = Chomp::Clip;
    bool chomp_given = false;
    for (int k = 0; k < 2 && !eof(); ++k) {
      const char c = t_[i_];
      if ((c == '+' || c == '-') && !chomp_given) {
        chomp_given = true;
        p.chomp = c == '+' ? Chomp::Keep : Chomp::Strip;
      } else if (c >= '1' && c <= '9' && p.detect_indent) {
        p.indent = c - '0';
        p.detect_indent = false;
      } else {
        break;
      }
      advance(1);
    }
    while (is_blank(i_)) advance(1);
    if (at(i_) == '#' && !eof()) {
      while (!eof() && !is_break(i_)) advance(1);
    }
    if (!eof() && !is_break(i_)) return std::nullopt;
    if (ctx_.indent >= 0) p.indent += ctx_.indent;
    StringSource s;
    const std::size_t begin = i_;
    if (!scan_scalar(s, p)) return std::nullopt;
    return finish(std::move(s), t_, begin);
  }

  std::string_view t_;
  std::size_t i_;
  std::size_t line_start_ = 0;
  YamlScalarContext ctx_;
};

}  // namespace

std::optional<StringSource> json_string_source(std::string_view text, std::size_t quote) {
  if (quote >= text.size() || text[quote] != '"') return std::nullopt;
  StringSource s;
  std::size_t i = quote + 1;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"') return finish(std::move(s), text, quote + 1);
    if (c < 0x20) return std::nullopt;
    if (c != '\\') {
      const std::size_t n = c < 0x80 ? 1 : diag::utf8_sequence_length(text, i);
      if (n == 0) return std::nullopt;
      append(s, text.substr(i, n), i, i + n);
      i += n;
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    const char e = text[i + 1];
    std::string out;
    std::size_t n = 2;
    switch (e) {
      case '"':
        out = "\"";
        break;
      case '\\':
        out = "\\";
        break;
      case '/':
        out = "/";
        break;
      case 'b':
        out = "\b";
        break;
      case 'f':
        out = "\f";
        break;
      case 'n':
        out = "\n";
        break;
      case 'r':
        out = "\r";
        break;
      case 't':
        out = "\t";
        break;
      case 'u': {
        long cp = hex_value(text, i + 2, 4);
        if (cp < 0) return std::nullopt;
        n = 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          // A high surrogate pairs with an escaped low one; alone it decodes
          // to U+FFFD, as the JSON parser does.
          const long lo = text.substr(i + 6, 2) == "\\u" ? hex_value(text, i + 8, 4) : -1;
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            n = 12;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        diag::append_utf8(out, static_cast<char32_t>(cp));
        break;
      }
      default:
        return std::nullopt;
    }
    append(s, out, i, i + n);
    i += n;
  }
  return std::nullopt;
}

std::optional<StringSource> yaml_scalar_source(std::string_view text, std::size_t start,
                                               const YamlScalarContext& ctx) {
  if (start >= text.size()) return std::nullopt;
  return YamlScalarScanner(text, start, ctx).scan();
}

}  // namespace thaiyyal::load::detail

#include "thaiyyal/expr/lexer.h"

#include <charconv>
#include <cstdio>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/expr/text.h"

namespace thaiyyal::expr::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Whether the decimal number `text` (digits, '.', exponent; already matched
/// by the grammar) is too large for a double: its leading significant digit
/// sits at a power of ten above 308. Only called when from_chars reports
/// result_out_of_range, which it also does on underflow.
bool overflows(std::string_view text) {
  long long exp10 = 0;
  const auto e = text.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::string_view ex = text.substr(e + 1);
    bool neg = false;
    if (!ex.empty() && (ex[0] == '+' || ex[0] == '-')) {
      neg = ex[0] == '-';
      ex.remove_prefix(1);
    }
    for (char c : ex) {
      if (exp10 < 100000) exp10 = exp10 * 10 + (c - '0');
    }
    if (neg) exp10 = -exp10;
  }
  const std::string_view mant = text.substr(0, e);
  const auto dot = mant.find('.');
  const std::size_t int_len = dot == std::string_view::npos ? mant.size() : dot;
  // Position of the first non-zero digit relative to the decimal point.
  long long lead = 0;
  bool found = false;
  for (std::size_t i = 0; i < mant.size(); ++i) {
    if (mant[i] == '.' || mant[i] == '0') continue;
    lead = i < int_len ? static_cast<long long>(int_len - i - 1)
                       : -static_cast<long long>(i - int_len);
    found = true;
    break;
  }
  return found && lead + exp10 > 0;
}

}  // namespace

std::string_view token_spelling(Tok kind) {
  switch (kind) {
    case Tok::End:
      return "end of expression";
    case Tok::Number:
      return "number";
    case Tok::String:
      return "string";
    case Tok::Name:
      return "name";
    case Tok::NodeId:
      return "node id";
    case Tok::LParen:
      return "(";
    case Tok::RParen:
      return ")";
    case Tok::LBracket:
      return "[";
    case Tok::RBracket:
      return "]";
    case Tok::LBrace:
      return "{";
    case Tok::RBrace:
      return "}";
    case Tok::Comma:
      return ",";
    case Tok::Colon:
      return ":";
    case Tok::Dot:
      return ".";
    case Tok::QuestionDot:
      return "?.";
    case Tok::Question:
      return "?";
    case Tok::Bang:
      return "!";
    case Tok::Less:
      return "<";
    case Tok::LessEq:
      return "<=";
    case Tok::Greater:
      return ">";
    case Tok::GreaterEq:
      return ">=";
    case Tok::EqEq:
      return "==";
    case Tok::BangEq:
      return "!=";
    case Tok::EqEqEq:
      return "===";
    case Tok::BangEqEq:
      return "!==";
    case Tok::AndAnd:
      return "&&";
    case Tok::OrOr:
      return "||";
    case Tok::QuestionQuestion:
      return "??";
    case Tok::Plus:
      return "+";
    case Tok::Minus:
      return "-";
    case Tok::Star:
      return "*";
    case Tok::Slash:
      return "/";
    case Tok::Percent:
      return "%";
  }
  return "token";
}

void Lexer::fail(int column, std::string detail) const {
  throw ExprError("syntax", column, std::move(detail));
}

char Lexer::peek(std::size_t ahead) const {
  return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
}

int Lexer::end_column() const {
  return col_ + static_cast<int>(code_point_count(src_.substr(pos_)));
}

void Lexer::skip_blanks() {
  while (pos_ < src_.size()) {
    const char c = src_[pos_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    ++pos_;
    ++col_;
  }
}

Token Lexer::punct(Tok kind, int chars) {
  Token t;
  t.kind = kind;
  t.column = col_;
  t.length = chars;
  pos_ += static_cast<std::size_t>(chars);
  col_ += chars;
  return t;
}

Token Lexer::next() {
  skip_blanks();
  Token t;
  const bool after_node_dot = prev_[0] == Tok::Dot && prev_node_[1] && prev_[2] != Tok::Dot &&
                              prev_[2] != Tok::QuestionDot && pos_ == prev_end_;
  if (pos_ >= src_.size()) {
    t.kind = Tok::End;
    t.column = col_;
  } else if (after_node_dot && is_name_char(src_[pos_])) {
    t = lex_node_id();
  } else {
    const char c = src_[pos_];
    const char c1 = peek(1);
    // After the root `node`, a '.' is always a member dot, so that
    // `node.1.value` reads the node with id "1" (§3.7).
    const bool node_dot =
        c == '.' && prev_node_[0] && prev_[1] != Tok::Dot && prev_[1] != Tok::QuestionDot;
    if (is_digit(c) || (c == '.' && is_digit(c1) && !node_dot)) {
      t = lex_number();
    } else if (is_name_start(c)) {
      t = lex_name();
    } else if (c == '\'' || c == '"') {
      t = lex_string();
    } else {
      switch (c) {
        case '(':
          t = punct(Tok::LParen, 1);
          break;
        case ')':
          t = punct(Tok::RParen, 1);
          break;
        case '[':
          t = punct(Tok::LBracket, 1);
          break;
        case ']':
          t = punct(Tok::RBracket, 1);
          break;
        case '{':
          t = punct(Tok::LBrace, 1);
          break;
        case '}':
          t = punct(Tok::RBrace, 1);
          break;
        case ',':
          t = punct(Tok::Comma, 1);
          break;
        case ':':
          t = punct(Tok::Colon, 1);
          break;
        case '.':
          t = punct(Tok::Dot, 1);
          break;
        case '+':
          t = punct(Tok::Plus, 1);
          break;
        case '-':
          t = punct(Tok::Minus, 1);
          break;
        case '*':
          t = punct(Tok::Star, 1);
          break;
        case '/':
          t = punct(Tok::Slash, 1);
          break;
        case '%':
          t = punct(Tok::Percent, 1);
          break;
        case '?':
          if (c1 == '?') {
            t = punct(Tok::QuestionQuestion, 2);
          } else if (c1 == '.' && !is_digit(peek(2))) {
            // `?.` before a digit is `?` and a number: `a?.5:1` (§3.3).
            t = punct(Tok::QuestionDot, 2);
          } else {
            t = punct(Tok::Question, 1);
          }
          break;
        case '!':
          if (c1 == '=') {
            t = peek(2) == '=' ? punct(Tok::BangEqEq, 3) : punct(Tok::BangEq, 2);
          } else {
            t = punct(Tok::Bang, 1);
          }
          break;
        case '=':
          if (c1 != '=') fail(col_, "unexpected '='; there is no assignment, use == to compare");
          t = peek(2) == '=' ? punct(Tok::EqEqEq, 3) : punct(Tok::EqEq, 2);
          break;
        case '<':
          t = c1 == '=' ? punct(Tok::LessEq, 2) : punct(Tok::Less, 1);
          break;
        case '>':
          t = c1 == '=' ? punct(Tok::GreaterEq, 2) : punct(Tok::Greater, 1);
          break;
        case '&':
          if (c1 != '&') fail(col_, "unexpected character '&'; use && for a logical and");
          t = punct(Tok::AndAnd, 2);
          break;
        case '|':
          if (c1 != '|') fail(col_, "unexpected character '|'; use || for a logical or");
          t = punct(Tok::OrOr, 2);
          break;
        default: {
          const auto u = static_cast<unsigned char>(c);
          if (u >= 0x21 && u < 0x7F) fail(col_, std::string("unexpected character '") + c + "'");
          std::size_t i = pos_;
          const std::size_t n = utf8_length_at(src_, pos_);
          const char32_t cp = next_code_point(src_, i);
          char buf[32];
          if (n == 0) {
            std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
            fail(col_, std::string("invalid UTF-8 (") + buf + ")");
          }
          std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
          fail(col_, std::string("unexpected character ") + buf);
        }
      }
    }
  }
  prev_[2] = prev_[1];
  prev_[1] = prev_[0];
  prev_[0] = t.kind;
  prev_node_[2] = prev_node_[1];
  prev_node_[1] = prev_node_[0];
  prev_node_[0] = t.kind == Tok::Name && t.text == "node";
  prev_end_ = pos_;
  return t;
}

Token Lexer::lex_number() {
  const std::size_t start = pos_;
  const int column = col_;
  std::size_t i = pos_;
  auto run_digits = [&] {
    while (i < src_.size() && is_digit(src_[i])) ++i;
  };
  run_digits();
  if (i < src_.size() && src_[i] == '.') {
    const char after = i + 1 < src_.size() ? src_[i + 1] : '\0';
    if (is_digit(after)) {
      ++i;
      run_digits();
    } else if (is_name_start(after)) {
      fail(column, "a number cannot be followed by '.' and a name (write 1e5, or (5).name)");
    }
  }
  if (i < src_.size() && (src_[i] == 'e' || src_[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < src_.size() && (src_[j] == '+' || src_[j] == '-')) ++j;
    if (j < src_.size() && is_digit(src_[j])) {
      i = j;
      run_digits();
    }
  }
  if (i < src_.size() && is_name_char(src_[i])) {
    fail(column, "a number cannot be directly followed by a name or digit");
  }
  if (i < src_.size() && src_[i] == '.' && i + 1 < src_.size() && is_name_start(src_[i + 1])) {
    fail(column, "a number cannot be followed by '.' and a name (write 1e5, or (5).name)");
  }
  const std::string_view text = src_.substr(start, i - start);
  Token t;
  t.kind = Tok::Number;
  t.column = column;
  t.length = static_cast<int>(text.size());
  double value = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec == std::errc::result_out_of_range) {
    if (overflows(text)) fail(column, "number out of range");
    value = 0;
  } else if (res.ec != std::errc() || res.ptr != text.data() + text.size()) {
    fail(column, "invalid number");
  }
  t.number = value;
  pos_ = i;
  col_ += static_cast<int>(text.size());
  return t;
}

Token Lexer::lex_name() {
  Token t;
  t.kind = Tok::Name;
  t.column = col_;
  const std::size_t start = pos_;
  while (pos_ < src_.size() && is_name_char(src_[pos_])) ++pos_;
  t.text.assign(src_.substr(start, pos_ - start));
  t.length = static_cast<int>(pos_ - start);
  col_ += t.length;
  return t;
}

Token Lexer::lex_node_id() {
  Token t;
  t.kind = Tok::NodeId;
  t.column = col_;
  const std::size_t start = pos_;
  for (;;) {
    while (pos_ < src_.size() && is_name_char(src_[pos_])) ++pos_;
    // A single '-' joins the id only when an id character follows it.
    if (pos_ + 1 < src_.size() && src_[pos_] == '-' && is_name_char(src_[pos_ + 1])) {
      ++pos_;
      continue;
    }
    break;
  }
  t.text.assign(src_.substr(start, pos_ - start));
  t.length = static_cast<int>(pos_ - start);
  col_ += t.length;
  return t;
}

Token Lexer::lex_string() {
  const char quote = src_[pos_];
  const int open_column = col_;
  Token t;
  t.kind = Tok::String;
  t.column = open_column;
  ++pos_;
  ++col_;
  auto read_u_escape = [&](int esc_column, unsigned& cp) {
    // pos_ is at the 'u'.
    unsigned v = 0;
    for (std::size_t k = 1; k <= 4; ++k) {
      const int h = pos_ + k < src_.size() ? hex_value(src_[pos_ + k]) : -1;
      if (h < 0) fail(esc_column, "invalid escape: \\u needs four hex digits");
      v = v * 16 + static_cast<unsigned>(h);
    }
    pos_ += 5;
    col_ += 5;
    cp = v;
  };
  for (;;) {
    if (pos_ >= src_.size()) fail(open_column, "unterminated string");
    const char c = src_[pos_];
    if (c == quote) {
      ++pos_;
      ++col_;
      break;
    }
    if (c == '\n' || c == '\r') fail(open_column, "unterminated string");
    if (c == '\\') {
      const int esc_column = col_;
      ++pos_;
      ++col_;
      if (pos_ >= src_.size()) fail(open_column, "unterminated string");
      const char e = src_[pos_];
      switch (e) {
        case '"':
          t.text.push_back('"');
          break;
        case '\'':
          t.text.push_back('\'');
          break;
        case '\\':
          t.text.push_back('\\');
          break;
        case '/':
          t.text.push_back('/');
          break;
        case 'b':
          t.text.push_back('\b');
          break;
        case 'f':
          t.text.push_back('\f');
          break;
        case 'n':
          t.text.push_back('\n');
          break;
        case 'r':
          t.text.push_back('\r');
          break;
        case 't':
          t.text.push_back('\t');
          break;
        case 'u': {
          unsigned cp = 0;
          read_u_escape(esc_column, cp);
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail(esc_column, "invalid escape: lone surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // Must be followed at once by an escaped low surrogate.
            if (!(peek() == '\\' && peek(1) == 'u')) {
              fail(esc_column, "invalid escape: lone surrogate");
            }
            const int low_column = col_;
            ++pos_;
            ++col_;
            unsigned low = 0;
            read_u_escape(low_column, low);
            if (low < 0xDC00 || low > 0xDFFF) fail(esc_column, "invalid escape: lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(t.text, static_cast<char32_t>(cp));
          continue;  // read_u_escape advanced already
        }
        default: {
          std::string shown;
          if (static_cast<unsigned char>(e) >= 0x20 && static_cast<unsigned char>(e) < 0x7F) {
            shown = std::string("\\") + e;
          } else {
            shown = "backslash";
          }
          fail(esc_column, "invalid escape '" + shown + "'");
        }
      }
      ++pos_;
      ++col_;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      t.text.push_back(c);
      ++pos_;
      ++col_;
      continue;
    }
    const std::size_t n = utf8_length_at(src_, pos_);
    if (n == 0) fail(col_, "invalid UTF-8 in string");
    t.text.append(src_.substr(pos_, n));
    pos_ += n;
    ++col_;
  }
  t.length = col_ - open_column;
  return t;
}

}  // namespace thaiyyal::expr::detail

#include "thaiyyal/model/value_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <unordered_set>

#include "thaiyyal/diag/render.h"

namespace thaiyyal {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

class Parser {
 public:
  Parser(std::string_view text, const JsonParseOptions& opts) : s_(text), opts_(opts) {}

  Value parse_document() {
    if (s_.size() >= 3 && s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM
    skip_ws();
    if (pos_ >= s_.size()) fail("unexpected end of JSON input");
    Value v = parse_value(0);
    skip_ws();
    if (pos_ < s_.size()) fail("unexpected " + describe_char(s_[pos_]) + " after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(std::string msg, std::string code = "json-syntax") const {
    throw JsonParseError(std::move(msg), pos_, std::move(code));
  }
  [[noreturn]] void fail_at(std::size_t at, std::string msg, std::string code = "json-syntax") {
    pos_ = at;
    fail(std::move(msg), std::move(code));
  }

  void skip_ws() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }

  Value parse_value(std::size_t depth) {
    if (pos_ >= s_.size()) fail("unexpected end of JSON input");
    const char c = s_[pos_];
    switch (c) {
      case '{':
        return parse_object(depth + 1);
      case '[':
        return parse_array(depth + 1);
      case '"':
        return Value(parse_string());
      case 't':
        expect_word("true");
        return Value(true);
      case 'f':
        expect_word("false");
        return Value(false);
      case 'n':
        expect_word("null");
        return Value();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return Value(parse_number());
        fail("unexpected " + describe_char(c) + " where a JSON value was expected");
    }
  }

  void expect_word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) {
      fail("invalid literal; expected '" + std::string(w) + "'");
    }
    pos_ += w.size();
  }

  void check_depth(std::size_t depth) {
    if (opts_.max_depth > 0 && depth > opts_.max_depth) {
      fail("nesting too deep: more than " + std::to_string(opts_.max_depth) + " levels",
           "nesting-too-deep");
    }
  }

  /// A container's members are collected in the scratch vector of its depth
  /// (kept across containers, so it rarely allocates) and then moved into a
  /// vector of exactly their number: no slack capacity per object or array,
  /// which for a document of many small objects is most of its memory.
  template <typename T>
  static std::vector<T>& scratch(std::deque<std::vector<T>>& stack, std::size_t depth) {
    while (stack.size() <= depth) stack.emplace_back();
    auto& v = stack[depth];
    v.clear();
    return v;
  }
  template <typename T>
  static std::vector<T> take(std::vector<T>& collected) {
    std::vector<T> out(std::make_move_iterator(collected.begin()),
                       std::make_move_iterator(collected.end()));
    collected.clear();
    return out;
  }

  Value parse_array(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '['
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Value(Array{});
    }
    auto& items = scratch(array_scratch_, depth);
    for (;;) {
      skip_ws();
      items.push_back(parse_value(depth));
      skip_ws();
      if (pos_ >= s_.size()) fail("unexpected end of JSON input in array");
      if (s_[pos_] == ',') {
        ++pos_;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ']') fail("trailing comma in array");
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return Value(take(items));
      }
      fail("expected ',' or ']' in array, got " + describe_char(s_[pos_]));
    }
  }

  Value parse_object(std::size_t depth) {
    check_depth(depth);
    ++pos_;  // '{'
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Value(Object{});
    }
    // Members go to the scratch vector while the object is small (a linear
    // search finds duplicate keys), then to an Object, whose index keeps
    // that search fast for large ones.
    auto& small = scratch(object_scratch_, depth);
    Object big;
    bool is_big = false;
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size()) fail("unexpected end of JSON input in object");
      if (s_[pos_] != '"') {
        fail(s_[pos_] == '}' ? "trailing comma in object"
                             : "expected a string key in object, got " + describe_char(s_[pos_]));
      }
      const std::size_t key_pos = pos_;
      std::string key = parse_string();
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') {
        if (pos_ >= s_.size()) fail("unexpected end of JSON input in object");
        fail("expected ':' after object key, got " + describe_char(s_[pos_]));
      }
      ++pos_;
      skip_ws();
      Value v = parse_value(depth);
      Value* existing = nullptr;
      if (is_big) {
        existing = const_cast<Value*>(big.find(key));
      } else {
        for (auto& [k, value] : small) {
          if (k == key) {
            existing = &value;
            break;
          }
        }
      }
      if (existing != nullptr) {
        if (opts_.reject_duplicate_keys) {
          std::string msg = "duplicate key ";
          diag::append_json_string(msg, key);
          fail_at(key_pos, msg + " in object", "duplicate-key");
        }
        *existing = std::move(v);
      } else if (is_big) {
        big.append_unique(std::move(key), std::move(v));
      } else {
        small.emplace_back(std::move(key), std::move(v));
        if (small.size() > kSmallObject) {
          big = Object(take(small));
          is_big = true;
        }
      }
      skip_ws();
      if (pos_ >= s_.size()) fail("unexpected end of JSON input in object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        return is_big ? Value(std::move(big)) : Value(Object(take(small)));
      }
      fail("expected ',' or '}' in object, got " + describe_char(s_[pos_]));
    }
  }

  unsigned parse_hex4() {
    if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        --pos_;
        fail("invalid hex digit in \\u escape");
      }
    }
    return v;
  }

  /// Validates one UTF-8 sequence at pos_ and copies it.
  void copy_utf8(std::string& out) {
    const std::size_t n = diag::utf8_sequence_length(s_, pos_);
    if (n == 0) fail("invalid UTF-8 in string");
    out.append(s_.substr(pos_, n));
    pos_ += n;
  }

  std::string parse_string() {
    const std::size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      // Fast path: copy a run of plain ASCII bytes.
      std::size_t run = pos_;
      while (run < s_.size()) {
        const auto c = static_cast<unsigned char>(s_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(s_.substr(pos_, run - pos_));
      pos_ = run;
      if (pos_ >= s_.size()) fail_at(start, "unterminated string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail("control character in string (must be escaped)");
      if (c >= 0x80) {
        copy_utf8(out);
        continue;
      }
      // Backslash escape.
      ++pos_;
      if (pos_ >= s_.size()) fail_at(start, "unterminated string");
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          unsigned cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low surrogate;
            // a lone one becomes U+FFFD, as JSON decoders commonly do.
            if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
              const std::size_t save = pos_;
              pos_ += 2;
              const unsigned lo = parse_hex4();
              if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              } else {
                pos_ = save;
                cp = 0xFFFD;
              }
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
          pos_ -= 1;
          fail("invalid escape '\\" + std::string(1, e) + "' in string");
      }
    }
  }

  double parse_number() {
    const std::size_t start = pos_;
    const bool negative = s_[pos_] == '-';
    if (negative) ++pos_;
    if (pos_ >= s_.size()) fail("invalid number");
    // Whole numbers of up to 15 digits are exact in a double: they are
    // accumulated while scanning, and from_chars only runs for the others.
    std::uint64_t whole = 0;
    std::size_t digits = 0;
    if (s_[pos_] == '0') {
      ++pos_;
      digits = 1;
      if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        fail("invalid number: leading zeros are not allowed");
      }
    } else if (s_[pos_] >= '1' && s_[pos_] <= '9') {
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        whole = whole * 10 + static_cast<std::uint64_t>(s_[pos_] - '0');
        ++digits;
        ++pos_;
      }
    } else {
      fail("invalid number");
    }
    const bool fraction_or_exponent =
        pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E');
    if (!fraction_or_exponent && digits <= 15) {
      const double d = static_cast<double>(whole);
      return negative ? -d : d;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
        fail("invalid number: expected digits after '.'");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
        fail("invalid number: expected digits in exponent");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    double d = 0;
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    auto res = std::from_chars(first, last, d);
    if (res.ec == std::errc::result_out_of_range) {
      // Underflow (to zero or a subnormal, sign kept) is harmless; overflow
      // cannot be represented (D2). strtod tells them apart by its result:
      // the sign of the exponent does not ("1000...0e-10" overflows).
      const std::string literal(first, last);
      d = std::strtod(literal.c_str(), nullptr);
      if (std::isinf(d)) fail_at(start, "number out of range: " + literal, "number-out-of-range");
    }
    return d;
  }

  /// Members past this many: the object gets its hash index while parsing.
  static constexpr std::size_t kSmallObject = 16;

  std::string_view s_;
  const JsonParseOptions& opts_;
  std::size_t pos_ = 0;
  std::deque<std::vector<Object::Entry>> object_scratch_;  ///< by depth
  std::deque<Array> array_scratch_;                        ///< by depth
};

// ---- writer -------------------------------------------------------------------

constexpr std::size_t kFlushBytes = 64u << 10;

/// A JSON string as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and
/// U+2029 escaped, control characters as \u00XX (lower-case hex) except the
/// short escapes, invalid UTF-8 as \ufffd.
void append_go_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '<':
        case '>':
        case '&':
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    const std::size_t n = diag::utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    const std::string_view seq = s.substr(i, n);
    if (seq == "\xE2\x80\xA8") {
      out += "\\u2028";
    } else if (seq == "\xE2\x80\xA9") {
      out += "\\u2029";
    } else {
      out.append(seq);
    }
    i += n;
  }
  out.push_back('"');
}

/// Writing an array of objects visits each object and then its members, two
/// dependent loads that miss the cache when the objects are scattered (a
/// sorted array): start both loads a few elements ahead.
inline void prefetch_ahead(const Array& a, std::size_t i) {
  constexpr std::size_t kObjectDistance = 8, kMembersDistance = 4;
  if (i + kObjectDistance < a.size()) {
    if (const Object* o = a[i + kObjectDistance].if_object()) __builtin_prefetch(o);
  }
  if (i + kMembersDistance < a.size()) {
    if (const Object* o = a[i + kMembersDistance].if_object(); o && !o->empty()) {
      __builtin_prefetch(&*o->begin());
    }
  }
}

void append_string(std::string& out, std::string_view s, const JsonWriteOptions& opts) {
  if (opts.escape_html) {
    append_go_json_string(out, s);
  } else {
    diag::append_json_string(out, s);
  }
}

void write_value(std::string& out, const Value& v, const JsonWriteOptions& opts, int level);

void newline(std::string& out, const JsonWriteOptions& opts, int level) {
  if (opts.indent <= 0) return;
  out.push_back('\n');
  out.append(static_cast<std::size_t>(opts.indent * level), ' ');
}

void write_value(std::string& out, const Value& v, const JsonWriteOptions& opts, int level) {
  switch (v.kind()) {
    case Kind::Null:
      out += "null";
      return;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::Number: {
      const double d = v.as_number();
      if (!std::isfinite(d)) throw JsonWriteError("cannot encode a non-finite number as JSON");
      append_number(out, d);
      return;
    }
    case Kind::String:
      append_string(out, v.as_string(), opts);
      return;
    case Kind::Array: {
      const auto& a = v.as_array();
      out.push_back('[');
      for (std::size_t i = 0; i < a.size(); ++i) {
        prefetch_ahead(a, i);
        if (opts.stop_after != 0 && out.size() > opts.stop_after) return;
        if (opts.flush && out.size() >= kFlushBytes) opts.flush(out);
        if (i) out.push_back(',');
        newline(out, opts, level + 1);
        write_value(out, a[i], opts, level + 1);
      }
      if (!a.empty()) newline(out, opts, level);
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      const auto& o = v.as_object();
      out.push_back('{');
      bool first = true;
      auto member = [&](const Object::Entry& e) {
        if (opts.flush && out.size() >= kFlushBytes) opts.flush(out);
        if (!first) out.push_back(',');
        first = false;
        newline(out, opts, level + 1);
        append_string(out, e.first, opts);
        out += opts.indent > 0 ? ": " : ":";
        write_value(out, e.second, opts, level + 1);
      };
      if (opts.sort_keys) {
        std::vector<const Object::Entry*> order;
        order.reserve(o.size());
        for (const auto& e : o) order.push_back(&e);
        std::sort(order.begin(), order.end(),
                  [](const auto* a, const auto* b) { return a->first < b->first; });
        for (const auto* e : order) {
          if (opts.stop_after != 0 && out.size() > opts.stop_after) return;
          member(*e);
        }
      } else {
        for (const auto& e : o) {
          if (opts.stop_after != 0 && out.size() > opts.stop_after) return;
          member(e);
        }
      }
      if (!o.empty()) newline(out, opts, level);
      out.push_back('}');
      return;
    }
  }
}

// ---- path locator -------------------------------------------------------------

class Locator {
 public:
  explicit Locator(std::string_view s, std::size_t pos) : s_(s), pos_(pos) {}

  void ws() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool at(char c) {
    ws();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool skip_string() {
    if (!at('"')) return false;
    ++pos_;
    while (pos_ < s_.size()) {
      if (s_[pos_] == '\\') {
        pos_ += 2;
        continue;
      }
      if (s_[pos_] == '"') {
        ++pos_;
        return true;
      }
      ++pos_;
    }
    return false;
  }
  bool read_key(std::string& key) {
    // Keys are compared after decoding only the simple escapes.
    const std::size_t start = pos_;
    if (!skip_string()) return false;
    JsonParseOptions o;
    try {
      key = parse_json(s_.substr(start, pos_ - start), o).as_string();
    } catch (const JsonParseError&) {
      return false;
    }
    return true;
  }
  /// Skips one value with bracket counting (strings respected).
  bool skip_value() {
    ws();
    if (pos_ >= s_.size()) return false;
    int depth = 0;
    do {
      ws();
      if (pos_ >= s_.size()) return false;
      const char c = s_[pos_];
      if (c == '"') {
        if (!skip_string()) return false;
      } else if (c == '{' || c == '[') {
        ++depth;
        ++pos_;
      } else if (c == '}' || c == ']') {
        --depth;
        ++pos_;
      } else if (c == ',' || c == ':') {
        ++pos_;
      } else {
        while (pos_ < s_.size() && !is_space(s_[pos_]) && s_[pos_] != ',' && s_[pos_] != '}' &&
               s_[pos_] != ']') {
          ++pos_;
        }
      }
    } while (depth > 0);
    return true;
  }

  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t p) { pos_ = p; }

  std::optional<std::size_t> find(const std::vector<PathStep>& steps, bool at_key) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto& step = steps[i];
      const bool last = i + 1 == steps.size();
      if (step.index) {
        if (!at('[')) return std::nullopt;
        ++pos_;
        for (std::size_t k = 0; k < *step.index; ++k) {
          if (!skip_value()) return std::nullopt;
          if (!at(',')) return std::nullopt;
          ++pos_;
        }
        ws();
      } else {
        if (!at('{')) return std::nullopt;
        ++pos_;
        for (;;) {
          ws();
          const std::size_t key_pos = pos_;
          std::string key;
          if (!read_key(key)) return std::nullopt;
          if (!at(':')) return std::nullopt;
          ++pos_;
          ws();
          if (key == step.key) {
            if (last && at_key) return key_pos;
            break;
          }
          if (!skip_value()) return std::nullopt;
          if (!at(',')) return std::nullopt;
          ++pos_;
        }
      }
    }
    ws();
    return pos_;
  }

 private:
  std::string_view s_;
  std::size_t pos_;
};

bool is_identifier(std::string_view k) {
  if (k.empty()) return false;
  for (std::size_t i = 0; i < k.size(); ++i) {
    const char c = k[i];
    const bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Value parse_json(std::string_view text, const JsonParseOptions& opts) {
  return Parser(text, opts).parse_document();
}

void append_json(std::string& out, const Value& v, const JsonWriteOptions& opts) {
  write_value(out, v, opts, 0);
}

std::string to_json(const Value& v, const JsonWriteOptions& opts) {
  std::string out;
  write_value(out, v, opts, 0);
  return out;
}

std::string format_json_path(const std::vector<PathStep>& steps) {
  std::string out = "$";
  for (const auto& s : steps) {
    if (s.index) {
      out += '[';
      out += std::to_string(*s.index);
      out += ']';
    } else if (is_identifier(s.key)) {
      out += '.';
      out += s.key;
    } else {
      out += '[';
      diag::append_json_string(out, s.key);
      out += ']';
    }
  }
  return out;
}

std::optional<std::size_t> locate_json_path(std::string_view text,
                                            const std::vector<PathStep>& steps, bool at_key,
                                            std::size_t start) {
  Locator loc(text, start);
  if (start == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") loc = Locator(text, 3);
  return loc.find(steps, at_key);
}

std::vector<std::size_t> json_array_element_offsets(std::string_view text,
                                                    std::size_t array_offset) {
  std::vector<std::size_t> out;
  Locator loc(text, array_offset);
  if (!loc.at('[')) return out;
  loc.set_pos(loc.pos() + 1);
  if (loc.at(']')) return out;
  for (;;) {
    loc.ws();
    out.push_back(loc.pos());
    if (!loc.skip_value()) return out;
    if (!loc.at(',')) return out;
    loc.set_pos(loc.pos() + 1);
  }
}

std::size_t json_value_length(std::string_view text, std::size_t offset) {
  Locator loc(text, offset);
  if (!loc.skip_value()) return 0;
  return loc.pos() - offset;
}

}  // namespace thaiyyal

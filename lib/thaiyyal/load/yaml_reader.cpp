#include "thaiyyal/load/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/load/string_source.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::load {
namespace detail {
namespace {

/// Raises a load error at a 0-based line and byte column of the text (-1: unknown).
[[noreturn]] void fail_at(int line, int column, std::string code, std::string message) {
  diag::Location loc;
  if (line >= 0) {
    loc.line = line + 1;
    loc.column = column + 1;
  }
  diag::raise(diag::ErrorKind::Load, std::move(code), std::move(message), loc);
}

/// Same at a yaml-cpp mark. yaml-cpp does not count a leading byte order mark
/// (`bom` bytes) in its columns; the file text, and so the caret line, does.
[[noreturn]] void fail(const YAML::Mark& m, int bom, std::string code, std::string message) {
  fail_at(m.line, m.column + (m.line == 0 ? bom : 0), std::move(code), std::move(message));
}

/// YAML streams are Unicode text: rejects invalid UTF-8 and the control
/// characters YAML does not allow (all of C0 but tab, LF and CR; and DEL), which
/// yaml-cpp would otherwise pass through into strings.
void check_text(std::string_view s) {
  int line = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
      continue;
    }
    const int column = static_cast<int>(i - line_start);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c < 0x80) {
      fail_at(line, column, "control-character",
              fmt::format("control character 0x{:02X} is not allowed in YAML", c));
    }
    const std::size_t n = diag::utf8_sequence_length(s, i);
    if (n == 0) {
      fail_at(line, column, "invalid-utf8", fmt::format("invalid UTF-8 (byte 0x{:02X})", c));
    }
    i += n;
  }
}

/// yaml-cpp accepts a quoted scalar that is still open at the end of the
/// stream (`a: 'text` plus a newline), swallowing the rest of the file. A quoted
/// scalar must have its closing quote: checked from its opening quote.
void check_quote_closed(std::string_view text, int bom, const YAML::Mark& m) {
  if (m.pos < 0) return;
  std::size_t i = static_cast<std::size_t>(m.pos) + static_cast<std::size_t>(bom);
  if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return;
  const char quote = text[i++];
  while (i < text.size()) {
    if (quote == '"' && text[i] == '\\') {
      i += 2;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        i += 2;  // '' is an escaped quote
      } else {
        return;
      }
    } else {
      ++i;
    }
  }
  fail(m, bom, "yaml-syntax", "invalid YAML: unterminated quoted string");
}

bool all_of(std::string_view s, std::size_t from, bool (*pred)(char)) {
  if (from >= s.size()) return false;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (!pred(s[i])) return false;
  }
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// YAML 1.2 core-schema float syntax (without .inf/.nan).
bool is_core_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

class Converter {
 public:
  /// `budget` caps the number of values and `byte_budget` the bytes of text
  /// (scalars and keys) the document may expand to through aliases.
  Converter(std::string_view text, int bom, std::size_t max_depth, std::size_t budget,
            std::size_t byte_budget, YamlMarks* marks)
      : text_(text),
        bom_(bom),
        max_depth_(max_depth),
        budget_(budget),
        byte_budget_(byte_budget),
        marks_(marks) {}

  /// A mapping value's key: where it is and its text.
  struct KeyRef {
    YAML::Mark mark;
    std::string_view text;
  };

  /// `ctx` says where the node sits: its enclosing block collection and
  /// whether it is inside a flow collection.
  Value convert(const YAML::Node& n, std::vector<PathStep>& path, std::size_t depth,
                const KeyRef* key_ref, const YamlScalarContext& ctx) {
    if (++count_ > budget_) too_large(n.Mark());
    YamlSpan* span = nullptr;
    if (marks_) {
      span = &(*marks_)[format_json_path(path)];
      *span = YamlSpan{};
      span->line = n.Mark().line;
      span->column = n.Mark().column + (span->line == 0 ? bom_ : 0);
      if (key_ref) {
        const YAML::Mark& km = key_ref->mark;
        span->key_line = km.line;
        span->key_column = km.column + (span->key_line == 0 ? bom_ : 0);
        span->key_pos = km.pos >= 0 ? static_cast<std::size_t>(km.pos) : 0;
        span->key_size = key_ref->text.size();
        span->key_hash = std::hash<std::string_view>{}(key_ref->text);
      }
      span->pos = n.Mark().pos >= 0 ? static_cast<std::size_t>(n.Mark().pos) : 0;
      span->block_indent = ctx.indent;
      span->in_flow = ctx.in_flow;
    }
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Value();
      case YAML::NodeType::Scalar: {
        Value v = scalar(n);
        if (span && v.is_string()) {
          // An alias is read where its anchor is: in the anchor's context.
          const auto& first = scalar_contexts_.try_emplace(span->pos, ctx).first->second;
          span->block_indent = first.indent;
          span->in_flow = first.in_flow;
          span->is_string = true;
          span->string_size = v.as_string().size();
          span->string_hash = std::hash<std::string_view>{}(v.as_string());
        }
        return v;
      }
      case YAML::NodeType::Sequence: {
        check_depth(n, depth + 1);
        const YamlScalarContext inner = children_context(n, ctx);
        Array items;
        items.reserve(n.size());
        std::size_t i = 0;
        for (const auto& child : n) {
          path.push_back(PathStep{"", i++});
          items.push_back(convert(child, path, depth + 1, nullptr, inner));
          path.pop_back();
        }
        return Value(std::move(items));
      }
      case YAML::NodeType::Map: {
        check_depth(n, depth + 1);
        const YamlScalarContext inner = children_context(n, ctx);
        Object obj;
        for (const auto& kv : n) {
          const YAML::Node& k = kv.first;
          if (!k.IsScalar()) {
            fail(k.Mark(), "yaml-syntax",
                 fmt::format("mapping keys must be strings, got {}", k.IsSequence() ? "array"
                                                                     : k.IsMap()    ? "object"
                                                                                    : "null"));
          }
          if (k.Tag() == "!") check_quote_closed(text_, bom_, k.Mark());
          std::string key = k.Scalar();
          count_bytes(k.Mark(), key.size());
          if (obj.contains(key)) {
            std::string msg = "duplicate key ";
            diag::append_json_string(msg, key);
            fail(k.Mark(), "duplicate-key", msg + " in mapping");
          }
          const KeyRef ref{k.Mark(), key};
          path.push_back(PathStep{key, std::nullopt});
          Value v = convert(kv.second, path, depth + 1, &ref, inner);
          path.pop_back();
          obj.append_unique(std::move(key), std::move(v));
        }
        return Value(std::move(obj));
      }
    }
    return Value();
  }

 private:
  /// The context of a collection's children: a block collection is their
  /// enclosing indentation; inside a flow collection they stay in flow.
  YamlScalarContext children_context(const YAML::Node& n, const YamlScalarContext& ctx) const {
    if (ctx.in_flow || n.Style() == YAML::EmitterStyle::Flow) return {ctx.indent, true};
    return {block_column(n), false};
  }

  /// Column (not counting a byte order mark) of a block collection: of its
  /// first key, or of its first `-`. The node's mark is there too, unless
  /// the collection has an anchor or a tag, which the mark points at.
  int block_column(const YAML::Node& n) const {
    const auto at = [&](const YAML::Mark& m) {
      return static_cast<std::size_t>(std::max(0, m.pos)) + static_cast<std::size_t>(bom_);
    };
    const std::size_t pos = at(n.Mark());
    if (pos >= text_.size() || (text_[pos] != '&' && text_[pos] != '!') || n.size() == 0) {
      return n.Mark().column;
    }
    if (n.IsMap()) return n.begin()->first.Mark().column;
    // The first item's `-`: the first non-blank before the item.
    std::size_t i = at(n.begin()->Mark());
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\n' ||
                     text_[i - 1] == '\r')) {
      --i;
    }
    if (i == 0 || text_[i - 1] != '-') return n.Mark().column;
    const std::size_t dash = i - 1;
    const std::size_t nl = text_.rfind('\n', dash);
    const std::size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
    return static_cast<int>(dash - line_start) - (line_start == 0 ? bom_ : 0);
  }

  void check_depth(const YAML::Node& n, std::size_t depth) {
    if (max_depth_ > 0 && depth > max_depth_) {
      fail(n.Mark(), "nesting-too-deep",
           "nesting too deep: more than " + std::to_string(max_depth_) + " levels");
    }
  }

  Value scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    const std::string& tag = n.Tag();
    count_bytes(n.Mark(), s.size());
    if (tag == "!") check_quote_closed(text_, bom_, n.Mark());
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value(s);
    // Only the core schema's scalar tags (D19); !!binary, !!timestamp and
    // application tags have no Value.
    if (tag != "?" && tag != "tag:yaml.org,2002:null" && tag != "tag:yaml.org,2002:bool" &&
        tag != "tag:yaml.org,2002:int" && tag != "tag:yaml.org,2002:float") {
      fail(n.Mark(), "yaml-unsupported", "unsupported YAML tag '" + tag + "'");
    }
    const bool plain = tag == "?";
    if (plain || tag == "tag:yaml.org,2002:null") {
      if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value();
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid !!null value '" + s + "'");
    }
    if (plain || tag == "tag:yaml.org,2002:bool") {
      if (s == "true" || s == "True" || s == "TRUE") return Value(true);
      if (s == "false" || s == "False" || s == "FALSE") return Value(false);
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid !!bool value '" + s + "'");
    }
    if (plain || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float") {
      std::string_view v = s;
      std::string_view body = v;
      if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
      std::string lower(body);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == ".inf" || lower == ".nan") {
        fail(n.Mark(), "non-finite-number",
             "'" + s + "' is not a finite number; infinities and NaN are not supported");
      }
      if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all_of(s, 2, is_octal)) {
        return Value(integer(n, s.substr(2), 8));
      }
      if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all_of(s, 2, is_hex)) {
        return Value(integer(n, s.substr(2), 16));
      }
      if (is_core_float(v)) {
        double d = 0;
        const char* first = v.data() + (v[0] == '+' ? 1 : 0);
        auto res = std::from_chars(first, v.data() + v.size(), d);
        if (res.ec == std::errc::result_out_of_range &&
            !std::isfinite(std::strtod(s.c_str(), nullptr))) {
          fail(n.Mark(), "number-out-of-range", "number out of range: " + s);
        }
        if (res.ec == std::errc::result_out_of_range) d = 0;
        return Value(d);
      }
      if (!plain) fail(n.Mark(), "yaml-unsupported", "invalid number '" + s + "'");
    }
    return Value(s);
  }

  double integer(const YAML::Node& n, const std::string& digits, int base) {
    double d = 0;
    for (char c : digits) {
      const int v =
          is_digit(c) ? c - '0' : (std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
      d = d * base + v;
    }
    if (!std::isfinite(d)) fail(n.Mark(), "number-out-of-range", "number out of range");
    return d;
  }

  [[noreturn]] void fail(const YAML::Mark& m, std::string code, std::string message) const {
    detail::fail(m, bom_, std::move(code), std::move(message));
  }

  [[noreturn]] void too_large(const YAML::Mark& m) const {
    fail(m, "yaml-too-large",
         "YAML document expands to too many values (aliases are limited to prevent "
         "exponential expansion)");
  }

  /// A long string repeated through aliases is as much a bomb as many values.
  void count_bytes(const YAML::Mark& m, std::size_t n) {
    bytes_ += n;
    if (bytes_ > byte_budget_) too_large(m);
  }

  std::string_view text_;
  int bom_;
  std::size_t max_depth_;
  std::size_t budget_;
  std::size_t byte_budget_;
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
  YamlMarks* marks_;
  /// Context of each string scalar, by position, as first seen.
  std::unordered_map<std::size_t, YamlScalarContext> scalar_contexts_;
};

}  // namespace

Value parse_yaml_document(std::string_view text, std::size_t max_depth, YamlMarks* marks) {
  const int bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  check_text(text);
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion&) {
    // yaml-cpp's own recursion guard (500 levels); its mark is not useful.
    fail_at(-1, -1, "nesting-too-deep", "nesting too deep: more than 499 levels");
  } catch (const YAML::Exception& e) {
    fail(e.mark, bom, "yaml-syntax", "invalid YAML: " + e.msg);
  }
  if (docs.size() > 1) {
    fail(docs[1].Mark(), bom, "yaml-syntax",
         "the file holds several YAML documents; a workflow file holds exactly one");
  }
  if (docs.empty()) return Value();
  // Aliases may share subtrees; expanding them is bounded by the text size.
  const std::size_t budget = 100000 + text.size() * 4;
  const std::size_t byte_budget = (1u << 20) + text.size() * 4;
  Converter c(text, bom, max_depth, budget, byte_budget, marks);
  std::vector<PathStep> path;
  return c.convert(docs[0], path, 0, nullptr, YamlScalarContext{});
}

}  // namespace detail

Value parse_yaml(std::string_view text, std::size_t max_depth) {
  return detail::parse_yaml_document(text, max_depth, nullptr);
}

}  // namespace thaiyyal::load

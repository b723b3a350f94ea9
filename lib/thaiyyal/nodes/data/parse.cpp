#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <pugixml.hpp>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class InputType : std::uint8_t { Auto, Json, Csv, Tsv, Yaml, Xml };

constexpr Choice<InputType> kInputTypes[] = {
    {"AUTO", InputType::Auto}, {"JSON", InputType::Json}, {"CSV", InputType::Csv},
    {"TSV", InputType::Tsv},   {"YAML", InputType::Yaml}, {"XML", InputType::Xml},
};

/// Nesting limit of parsed JSON, YAML and XML values.
constexpr std::size_t kMaxDepth = 512;

struct Config final : NodeConfig {
  /// Matched case-insensitively; nullopt (including "") fails at run time with
  /// `unsupported input type: <TYPE> (supported: ...)`.
  std::optional<InputType> input_type = InputType::Auto;
  std::string input_type_name = "AUTO";  ///< upper-cased, for that message
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (auto type = r.string("input_type")) {
    c->input_type = find_choice(*type, kInputTypes, /*ignore_case=*/true);
    std::string upper = *type;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char ch) {
      return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    });
    if (!c->input_type) {
      r.unknown_option(
          "input_type", *type, choice_names(kInputTypes),
          ConfigReader::RunEffect::fails(fmt::format(
              "unsupported input type: {} (supported: AUTO, JSON, CSV, TSV, YAML, XML)", upper)),
          /*ignore_case=*/true);
    }
    c->input_type_name = std::move(upper);
  }
  if (!r.ok()) return nullptr;
  return c;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// ---- cell typing (spec 03 §0.5) ---------------------------------------------

/// How a text reads under Go's strconv.ParseFloat.
struct GoFloat {
  enum Kind : std::uint8_t { NotFloat, Finite, Special, OutOfRange };
  Kind kind = NotFloat;
  double value = 0;
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// Go's rule for underscores in number literals: only between digits (or
/// between a base prefix and a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

/// Recognises exactly the texts Go's strconv.ParseFloat(s, 64) accepts:
/// decimal and hexadecimal (with a `p` exponent) literals, an optional sign,
/// single underscores between digits, and inf/infinity/nan in any case.
GoFloat parse_go_float(std::string_view s) {
  GoFloat out;
  if (s.empty()) return out;
  {
    std::string_view rest = s;
    if (rest[0] == '+' || rest[0] == '-') rest.remove_prefix(1);
    if (iequals(rest, "inf") || iequals(rest, "infinity") || iequals(s, "nan")) {
      out.kind = GoFloat::Special;
      return out;
    }
  }
  std::size_t i = 0;
  bool underscores = false;
  if (s[i] == '+' || s[i] == '-') ++i;
  bool hex = false;
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    hex = true;
    i += 2;
  }
  bool saw_dot = false;
  bool saw_digits = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw_digits = true;
    } else {
      break;
    }
  }
  if (!saw_digits) return out;
  const char exp_char = hex ? 'p' : 'e';
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return out;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
    }
  } else if (hex) {
    return out;  // a hexadecimal float needs its exponent
  }
  if (i != s.size()) return out;
  if (underscores && !underscores_ok(s)) return out;
  std::string clean;
  clean.reserve(s.size());
  for (const char c : s) {
    if (c != '_') clean.push_back(c);
  }
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return out;
  if (!std::isfinite(d)) {
    out.kind = GoFloat::OutOfRange;
    return out;
  }
  out.kind = GoFloat::Finite;
  out.value = d;
  return out;
}

/// A CSV cell, YAML-lite value or XML text typed as the reference does: trimmed;
/// `true`/`false`/`null`; a Go float literal is a number (NaN and infinities
/// stay text, D2 and D-17); anything else is the trimmed text.
Value type_cell(std::string_view raw) {
  const std::string_view s = trim(raw);
  if (s == "true") return Value(true);
  if (s == "false") return Value(false);
  if (s == "null") return Value();
  const GoFloat f = parse_go_float(s);
  if (f.kind == GoFloat::Finite) return Value(f.value);
  return Value(std::string(s));
}

/// Line and column (1-based) of a byte offset, for error messages.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  return {line, offset - start + 1};
}

// ---- text handed to the parser (spec 03 §12.1) ------------------------------

std::string input_text(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return "";
    case Kind::Bool:
      return v.as_bool() ? "true" : "false";
    case Kind::Number:
      return number_to_string(v.as_number());  // D2: JavaScript text
    case Kind::String:
      return v.as_string();
    case Kind::Array:
    case Kind::Object:
      // Compact, keys in byte order: parsing it back gives the same value.
      return to_json(v, JsonWriteOptions::canonical());
  }
  return "";
}

// ---- JSON (§12.3, D14) ------------------------------------------------------

Value parse_json_document(std::string_view text) {
  JsonParseOptions opts;
  opts.max_depth = kMaxDepth;
  opts.reject_duplicate_keys = false;  // the last duplicate wins, as in the reference
  try {
    return thaiyyal::parse_json(text, opts);
  } catch (const JsonParseError& e) {
    const auto [line, column] = line_column(text, e.offset());
    throw NodeError(fmt::format("invalid JSON: {} at line {}, column {}", e.what(), line, column));
  }
}

Value parse_json_text(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) throw NodeError("invalid JSON: unexpected end of JSON input");
  if (t == "true") return Value(true);
  if (t == "false") return Value(false);
  if (t == "null") return Value();
  // A whole text that is a Go float literal ("1_000", "+5", ".5", "0x1p4").
  const GoFloat f = parse_go_float(t);
  if (f.kind == GoFloat::Finite) return Value(f.value);
  if (f.kind == GoFloat::Special) {
    throw NodeError(
        fmt::format("invalid JSON: {} is not a JSON number (NaN and infinities "
                    "cannot be values)",
                    t));
  }
  // Text after the value is an error (D14), which parse_json enforces.
  return parse_json_document(text);
}

// ---- CSV and TSV (§12.4) ----------------------------------------------------

/// A reader with the rules of Go's encoding/csv (TrimLeadingSpace, no lazy
/// quotes, field count fixed by the first record), so that error messages and
/// positions match the reference.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter) : text_(text), delim_(delimiter) {}

  /// The next record, or nullopt at the end. Throws NodeError on a syntax error.
  std::optional<std::vector<std::string>> next() {
    std::string_view line;
    // Skip empty lines.
    for (;;) {
      if (!read_line(line)) return std::nullopt;
      if (line.size() != newline_length(line)) break;
    }
    const std::size_t record_line = line_no_;
    std::vector<std::string> fields;
    std::size_t col = 1;  // 1-based byte column of `line`'s start
    for (;;) {
      // Leading white space (including the line's own newline) is dropped.
      std::size_t i = 0;
      while (i < line.size()) {
        const std::size_t n = space_length(line.substr(i));
        if (n == 0) break;
        i += n;
      }
      if (i == line.size()) col -= newline_length(line);
      line.remove_prefix(i);
      col += i;
      if (line.empty() || line.front() != '"') {
        const std::size_t d = line.find(delim_);
        std::string_view field = d == std::string_view::npos
                                     ? line.substr(0, line.size() - newline_length(line))
                                     : line.substr(0, d);
        if (const std::size_t q = field.find('"'); q != std::string_view::npos) {
          fail(record_line, line_no_, col + q, "bare \" in non-quoted-field");
        }
        fields.emplace_back(field);
        if (d == std::string_view::npos) break;
        line.remove_prefix(d + 1);
        col += d + 1;
        continue;
      }
      // Quoted field.
      std::string field;
      line.remove_prefix(1);
      col += 1;
      bool at_end = false;
      for (;;) {
        const std::size_t q = line.find('"');
        if (q != std::string_view::npos) {
          field.append(line.substr(0, q));
          line.remove_prefix(q + 1);
          col += q + 1;
          if (!line.empty() && line.front() == '"') {
            field.push_back('"');
            line.remove_prefix(1);
            col += 1;
          } else if (!line.empty() && line.front() == delim_) {
            line.remove_prefix(1);
            col += 1;
            break;
          } else if (line.size() == newline_length(line)) {
            at_end = true;
            break;
          } else {
            fail(record_line, line_no_, col - 1, "extraneous or missing \" in quoted-field");
          }
        } else if (!line.empty()) {
          // The field goes on past the end of the line.
          field.append(line);
          col += line.size();
          std::string_view next_line;
          if (!read_line(next_line)) {
            fail(record_line, line_no_, col, "extraneous or missing \" in quoted-field");
          }
          line = next_line;
          col = 1;
        } else {
          fail(record_line, line_no_, col, "extraneous or missing \" in quoted-field");
        }
      }
      fields.push_back(std::move(field));
      if (at_end) break;
    }
    if (fields_per_record_ == 0) {
      fields_per_record_ = fields.size();
    } else if (fields.size() != fields_per_record_) {
      throw NodeError(
          fmt::format("invalid CSV/TSV: record on line {}: wrong number of fields", record_line));
    }
    return fields;
  }

 private:
  /// The next line with its LF (CR LF becomes LF; a CR before the end of the
  /// text is dropped). False at the end of the text.
  bool read_line(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl + 1;
    std::string_view raw = text_.substr(pos_, end - pos_);
    pos_ = end;
    ++line_no_;
    buffer_.assign(raw);
    if (nl == std::string_view::npos) {
      if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    } else if (buffer_.size() >= 2 && buffer_[buffer_.size() - 2] == '\r') {
      buffer_.erase(buffer_.size() - 2, 1);
    }
    line = buffer_;
    return true;
  }

  static std::size_t newline_length(std::string_view line) {
    return !line.empty() && line.back() == '\n' ? 1 : 0;
  }

  /// Byte length of the Unicode white-space character at the start of `s`, or 0.
  static std::size_t space_length(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    if (s.empty()) return 0;
    if ((b(0) >= 0x09 && b(0) <= 0x0D) || b(0) == 0x20) return 1;
    if (s.size() >= 2 && b(0) == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;
    if (s.size() >= 3) {
      const unsigned cp = ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
      if ((b(0) & 0xF0) == 0xE0 &&
          (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000)) {
        return 3;
      }
    }
    return 0;
  }

  [[noreturn]] static void fail(std::size_t start_line, std::size_t line, std::size_t column,
                                std::string_view what) {
    if (start_line != line) {
      throw NodeError(
          fmt::format("invalid CSV/TSV: record on line {}; parse error on line {}, "
                      "column {}: {}",
                      start_line, line, column, what));
    }
    throw NodeError(
        fmt::format("invalid CSV/TSV: parse error on line {}, column {}: {}", line, column, what));
  }

  std::string_view text_;
  char delim_;
  std::size_t pos_ = 0;
  std::size_t line_no_ = 0;
  std::size_t fields_per_record_ = 0;
  std::string buffer_;
};

Value parse_csv(std::string_view text, char delimiter, RunContext& ctx) {
  CsvReader reader(text, delimiter);
  auto header = reader.next();
  Array rows;
  if (!header) return Value(std::move(rows));
  while (auto record = reader.next()) {
    ctx.check_cancelled();
    Object row;
    row.reserve(record->size());
    for (std::size_t i = 0; i < record->size(); ++i) {
      row.set((*header)[i], type_cell((*record)[i]));  // a later duplicate column wins
    }
    rows.emplace_back(std::move(row));
  }
  return Value(std::move(rows));
}

// ---- YAML (D14, D19) ----------------------------------------------------------

Value parse_yaml_text(std::string_view text) {
  Value v;
  try {
    v = load::parse_yaml(text, kMaxDepth);
  } catch (const diag::Error& e) {
    std::string message = e.what();
    if (message.rfind("the file holds several YAML documents", 0) == 0) {
      message = "several YAML documents in the text; parse reads exactly one";
    }
    if (message.rfind("invalid YAML: ", 0) != 0) message = "invalid YAML: " + message;
    const auto& where = e.diagnostic().where;
    if (where.line > 0) message += fmt::format(" at line {}, column {}", where.line, where.column);
    throw NodeError(message);
  }
  if (v.is_object() || v.is_array()) return v;
  if (v.is_null()) throw NodeError("no valid YAML key-value pairs found");
  throw NodeError(
      fmt::format("invalid YAML: the document is a single {}, not a mapping or a sequence",
                  kind_name(v.kind())));
}

// ---- XML (D14) ----------------------------------------------------------------

std::string_view local_name(std::string_view name) {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

/// An element as a value: a leaf without attributes is its typed text; any
/// other element is an object of `@attribute`s, child elements (repeated
/// names become arrays, in order of first appearance) and `#text` for its own
/// non-blank text.
Value xml_element(const pugi::xml_node& e, std::size_t depth) {
  if (depth > kMaxDepth) {
    throw NodeError(fmt::format("invalid XML: nesting too deep: more than {} levels", kMaxDepth));
  }
  std::string text;
  std::vector<std::pair<std::string, std::vector<Value>>> children;
  for (const pugi::xml_node& c : e.children()) {
    const auto type = c.type();
    if (type == pugi::node_pcdata || type == pugi::node_cdata) {
      text += c.value();
    } else if (type == pugi::node_element) {
      const std::string name(local_name(c.name()));
      auto it = std::find_if(children.begin(), children.end(),
                             [&](const auto& entry) { return entry.first == name; });
      if (it == children.end()) {
        children.emplace_back(name, std::vector<Value>{});
        it = std::prev(children.end());
      }
      it->second.push_back(xml_element(c, depth + 1));
    }
  }
  Object out;
  for (const pugi::xml_attribute& a : e.attributes()) {
    const std::string_view name = a.name();
    if (name == "xmlns" || name.rfind("xmlns:", 0) == 0) continue;  // declarations, not data
    std::string key(1, '@');
    key += local_name(name);
    out.set(std::move(key), type_cell(a.value()));
  }
  if (out.empty() && children.empty()) return type_cell(text);
  for (auto& [name, values] : children) {
    if (values.size() == 1) {
      out.set(name, std::move(values.front()));
    } else {
      out.set(name, Value(Array(std::make_move_iterator(values.begin()),
                                std::make_move_iterator(values.end()))));
    }
  }
  if (!trim(text).empty()) out.set("#text", type_cell(text));
  return Value(std::move(out));
}

Value parse_xml(std::string_view text) {
  pugi::xml_document doc;
  // Default options: entities decoded, CDATA kept, comments, processing
  // instructions and the DOCTYPE skipped (so no external entity is ever read).
  const pugi::xml_parse_result res =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!res) {
    const auto [line, column] = line_column(text, static_cast<std::size_t>(res.offset));
    throw NodeError(
        fmt::format("invalid XML: {} at line {}, column {}", res.description(), line, column));
  }
  const pugi::xml_node root =
      doc.first_child().type() == pugi::node_element
          ? doc.first_child()
          : doc.find_child([](const pugi::xml_node& n) { return n.type() == pugi::node_element; });
  if (!root) throw NodeError("invalid XML: no root element");
  return Value(Object{{std::string(local_name(root.name())), xml_element(root, 1)}});
}

// ---- AUTO detection (§12.2) -------------------------------------------------

Value parse_auto(std::string_view text, RunContext& ctx) {
  const std::string_view t = trim(text);
  if (t.empty()) return parse_json_text(text);
  if ((t.front() == '{' && t.back() == '}') || (t.front() == '[' && t.back() == ']')) {
    JsonParseOptions opts;
    opts.max_depth = kMaxDepth;
    opts.reject_duplicate_keys = false;
    try {
      return thaiyyal::parse_json(t, opts);
    } catch (const JsonParseError&) {
      // Not one valid JSON value: try the other formats.
    }
  }
  if (t.front() == '<' && t.back() == '>') return parse_xml(text);
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const std::size_t nl = t.find('\n', start);
    lines.push_back(t.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (lines.size() > 1) {
    if (t.find(":\n") != std::string_view::npos || t.find(": ") != std::string_view::npos) {
      const auto pairs = std::count_if(lines.begin(), lines.end(), [](std::string_view l) {
        return trim(l).find(": ") != std::string_view::npos;
      });
      if (pairs >= 2) return parse_yaml_text(text);
    }
    const auto commas = std::count(lines.front().begin(), lines.front().end(), ',');
    const auto tabs = std::count(lines.front().begin(), lines.front().end(), '\t');
    if (tabs > commas && tabs > 0) return parse_csv(text, '\t', ctx);
    if (commas > 0) return parse_csv(text, ',', ctx);
  }
  return parse_json_text(text);
}

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (inputs.empty()) throw NodeError("parse node requires input");
  if (!c.input_type) {
    throw NodeError(
        fmt::format("unsupported input type: {} (supported: AUTO, JSON, CSV, TSV, YAML, XML)",
                    c.input_type_name));
  }
  const std::string text = input_text(inputs[0]);
  switch (*c.input_type) {
    case InputType::Auto:
      return parse_auto(text, ctx);
    case InputType::Json:
      return parse_json_text(text);
    case InputType::Csv:
      return parse_csv(text, ',', ctx);
    case InputType::Tsv:
      return parse_csv(text, '\t', ctx);
    case InputType::Yaml:
      return parse_yaml_text(text);
    case InputType::Xml:
      return parse_xml(text);
  }
  return Value();
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) { return std::string("parse node requires input"); };
  return t;
}

}  // namespace

extern const KindInfo kParseKind{
    "parse",
    Category::Data,
    "Parses its text input as JSON, CSV, TSV, YAML or XML (detected when AUTO).",
    R"({"input_type": "CSV"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes

#include <fmt/format.h>

#include <algorithm>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class OutputType : std::uint8_t { Json, Csv, Tsv };

constexpr Choice<OutputType> kOutputTypes[] = {
    {"JSON", OutputType::Json},
    {"CSV", OutputType::Csv},
    {"TSV", OutputType::Tsv},
};

struct Config final : NodeConfig {
  /// Matched case-insensitively; nullopt fails at run time with
  /// `unsupported output type: <TYPE> (supported: JSON, CSV, TSV)`.
  std::optional<OutputType> output_type;
  std::string output_type_name;  ///< upper-cased, for that message
  bool pretty_print = false;     ///< JSON only
  bool include_headers = true;   ///< CSV/TSV only
  /// CSV only: the first code point of `delimiter`, "," when absent or "".
  /// Unusable delimiters (quote, CR, LF, NUL) fail when rows are written.
  std::string delimiter = ",";
};

/// The first UTF-8 code point of a non-empty string.
std::string first_code_point(const std::string& s) {
  std::size_t n = 1;
  while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return s.substr(0, n);
}

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto type = r.string("output_type", Presence::Required);
  c->pretty_print = r.boolean("pretty_print").value_or(false);
  c->include_headers = r.boolean("include_headers").value_or(true);
  auto delimiter = r.string("delimiter");
  if (delimiter && !delimiter->empty()) c->delimiter = first_code_point(*delimiter);
  if (!type || !r.ok()) return nullptr;
  c->output_type = find_choice(*type, kOutputTypes, /*ignore_case=*/true);
  // The reference silently uses the first character of a longer delimiter.
  if (c->output_type == OutputType::Csv && delimiter && c->delimiter.size() < delimiter->size()) {
    r.fail("delimiter", "invalid-value",
           fmt::format("delimiter: '{}' is not a single character", *delimiter))
        .notes.push_back(fmt::format("the Go engine silently uses only its first character, '{}'",
                                     c->delimiter));
    return nullptr;
  }
  std::string upper = *type;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char ch) {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
  });
  if (!c->output_type) {
    r.unknown_option("output_type", *type, choice_names(kOutputTypes),
                     ConfigReader::RunEffect::fails(fmt::format(
                         "unsupported output type: {} (supported: JSON, CSV, TSV)", upper)),
                     /*ignore_case=*/true);
  }
  c->output_type_name = std::move(upper);
  return c;
}

// ---- RefJSON (spec 03 §0.5): the reference's encoding -------------------------

/// RefJSON: keys in byte order, Go's string escaping, compact (indent 0) or
/// indented.
std::string ref_json(const Value& v, int indent = 0) {
  JsonWriteOptions opts = JsonWriteOptions::canonical();
  opts.indent = indent;
  opts.escape_html = true;
  return to_json(v, opts);
}

// ---- CSV and TSV (§12.8) ------------------------------------------------------

/// The code point of a one-code-point string, or -1 when it is not valid UTF-8.
long decode_delimiter(std::string_view d) {
  const auto c = static_cast<unsigned char>(d[0]);
  if (c < 0x80) return c;
  const std::size_t n = diag::utf8_sequence_length(d, 0);
  if (n == 0 || n != d.size()) return -1;
  long cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(d[k]) & 0x3F);
  return cp;
}

/// Whether Go's csv.Writer accepts the delimiter.
bool valid_delimiter(std::string_view d) {
  const long cp = decode_delimiter(d);
  return cp > 0 && cp != '"' && cp != '\r' && cp != '\n';
}

bool starts_with_space(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  if ((c >= 0x09 && c <= 0x0D) || c == 0x20) return true;
  const std::size_t n = diag::utf8_sequence_length(s, 0);
  if (n == 0) return false;
  const long cp = decode_delimiter(s.substr(0, n));
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/// Appends one field as Go's csv.Writer does: quoted when it holds the
/// delimiter, a quote, CR or LF, starts with white space, or is `\.`.
void append_field(std::string& out, std::string_view field, std::string_view delimiter) {
  bool quote = false;
  if (!field.empty()) {
    quote = field == "\\." || field.find(delimiter) != std::string_view::npos ||
            field.find_first_of("\"\r\n") != std::string_view::npos || starts_with_space(field);
  }
  if (!quote) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string cell_text(const Value* v) {
  if (!v) return "";
  switch (v->kind()) {
    case Kind::Null:
      return "";
    case Kind::Bool:
      return v->as_bool() ? "true" : "false";
    case Kind::Number:
      return number_to_string(v->as_number());  // D2: JavaScript text
    case Kind::String:
      return v->as_string();
    case Kind::Array:
    case Kind::Object:
      return ref_json(*v);
  }
  return "";
}

std::string format_csv(const Value& input, std::string_view delimiter, bool headers,
                       RunContext& ctx) {
  std::vector<const Object*> rows;
  if (const Array* a = input.if_array()) {
    if (a->empty()) return "";
    rows.reserve(a->size());
    for (const Value& e : *a) {
      const Object* o = e.if_object();
      if (!o) {
        throw NodeError(
            fmt::format("CSV formatting requires array of objects, got array element of type {}",
                        kind_name(e.kind())));
      }
      rows.push_back(o);
    }
  } else if (const Object* o = input.if_object()) {
    rows.push_back(o);
  } else {
    throw NodeError(fmt::format("CSV formatting requires array of objects or single object, got {}",
                                kind_name(input.kind())));
  }
  if (!valid_delimiter(delimiter)) {
    throw NodeError(fmt::format("failed to write CSV {}: csv: invalid field or comment delimiter",
                                headers ? "headers" : "row"));
  }
  std::vector<std::string> columns;
  for (const Object* row : rows) {
    for (const auto& [k, v] : *row) columns.push_back(k);
  }
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  std::string out;
  auto write_line = [&](auto&& field_at) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out.append(delimiter);
      append_field(out, field_at(i), delimiter);
    }
    out.push_back('\n');
  };
  if (headers) write_line([&](std::size_t i) -> std::string { return columns[i]; });
  for (const Object* row : rows) {
    ctx.check_cancelled();
    write_line([&](std::size_t i) { return cell_text(row->find(columns[i])); });
  }
  return out;
}

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (inputs.empty()) throw NodeError("format node requires input");
  if (!c.output_type) {
    throw NodeError(
        fmt::format("unsupported output type: {} (supported: JSON, CSV, TSV)", c.output_type_name));
  }
  switch (*c.output_type) {
    case OutputType::Json:
      return Value(ref_json(inputs[0], c.pretty_print ? 2 : 0));
    case OutputType::Csv:
      return Value(format_csv(inputs[0], c.delimiter, c.include_headers, ctx));
    case OutputType::Tsv:
      return Value(format_csv(inputs[0], "\t", c.include_headers, ctx));
  }
  return Value();
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) { return std::string("format node requires input"); };
  return t;
}

}  // namespace

extern const KindInfo kFormatKind{
    "format",
    Category::Data,
    "Formats its input as JSON, CSV or TSV text.",
    R"({"output_type": "CSV", "include_headers": true})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes

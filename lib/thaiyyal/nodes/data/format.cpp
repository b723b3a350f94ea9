#include <fmt/format.h>

#include <algorithm>

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
  if (auto delimiter = r.string("delimiter"); delimiter && !delimiter->empty()) {
    c->delimiter = first_code_point(*delimiter);
  }
  if (!type || !r.ok()) return nullptr;
  c->output_type = find_choice(*type, kOutputTypes, /*ignore_case=*/true);
  std::transform(type->begin(), type->end(), type->begin(), [](char ch) {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
  });
  if (!c->output_type) {
    r.warn_fails_when_run(
        "output_type",
        fmt::format("unsupported output type: {} (supported: JSON, CSV, TSV)", *type),
        choice_names(kOutputTypes));
  }
  c->output_type_name = std::move(*type);
  return c;
}

}  // namespace

extern const KindInfo kFormatKind{
    "format",
    Category::Data,
    "Formats its input as JSON, CSV or TSV text.",
    R"({"output_type": "CSV", "include_headers": true})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes

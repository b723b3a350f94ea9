#include <fmt/format.h>

#include <algorithm>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class InputType : std::uint8_t { Auto, Json, Csv, Tsv, Yaml, Xml };

constexpr Choice<InputType> kInputTypes[] = {
    {"AUTO", InputType::Auto}, {"JSON", InputType::Json}, {"CSV", InputType::Csv},
    {"TSV", InputType::Tsv},   {"YAML", InputType::Yaml}, {"XML", InputType::Xml},
};

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
    std::transform(type->begin(), type->end(), type->begin(), [](char ch) {
      return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    });
    if (!c->input_type) {
      r.warn_fails_when_run(
          "input_type",
          fmt::format("unsupported input type: {} (supported: AUTO, JSON, CSV, TSV, YAML, XML)",
                      *type),
          choice_names(kInputTypes));
    }
    c->input_type_name = std::move(*type);
  }
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kParseKind{
    "parse",
    Category::Data,
    "Parses its text input as JSON, CSV, TSV, YAML or XML (detected when AUTO).",
    R"({"input_type": "CSV"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes

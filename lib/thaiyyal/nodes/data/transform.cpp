#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class TransformType : std::uint8_t { ToArray, ToObject, Flatten, Keys, Values };

constexpr Choice<TransformType> kTransformTypes[] = {
    {"to_array", TransformType::ToArray}, {"to_object", TransformType::ToObject},
    {"flatten", TransformType::Flatten},  {"keys", TransformType::Keys},
    {"values", TransformType::Values},
};

struct Config final : NodeConfig {
  std::string type_name;
  /// nullopt: `unsupported transform type: <t>` at run time.
  std::optional<TransformType> type;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto type = r.string("transform_type", Presence::Required);
  if (!type) return nullptr;
  c->type = find_choice(*type, kTransformTypes);
  if (!c->type) {
    r.warn_fails_when_run("transform_type", fmt::format("unsupported transform type: {}", *type),
                          choice_names(kTransformTypes));
  }
  c->type_name = std::move(*type);
  return c;
}

}  // namespace

extern const KindInfo kTransformKind{
    "transform",
    Category::Data,
    "Reshapes its input: to_array, to_object, flatten, keys or values.",
    R"({"transform_type": "keys"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes

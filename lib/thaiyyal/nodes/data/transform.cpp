#include <fmt/format.h>

#include <algorithm>

#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/values.h"

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
    r.unknown_option(
        "transform_type", *type, choice_names(kTransformTypes),
        ConfigReader::RunEffect::fails(fmt::format("unsupported transform type: {}", *type)));
  }
  c->type_name = std::move(*type);
  return c;
}

void flatten_into(const Array& a, Array& out) {
  for (const auto& e : a) {
    if (const Array* inner = e.if_array()) {
      flatten_into(*inner, out);
    } else {
      out.push_back(e);
    }
  }
}

/// The entries of an object sorted by key (byte order; D15).
std::vector<const Object::Entry*> sorted_entries(const Object& o) {
  std::vector<const Object::Entry*> entries;
  entries.reserve(o.size());
  for (const auto& e : o) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return entries;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("transform node requires input");
  if (!c.type) throw NodeError(fmt::format("unsupported transform type: {}", c.type_name));
  const Value& input = inputs.front();
  const auto got = kind_name(input.kind());
  switch (*c.type) {
    case TransformType::ToArray:
      return Value(Array(inputs.begin(), inputs.end()));
    case TransformType::ToObject: {
      const Array* a = array_input(input);  // D18: an object's array key
      if (!a) throw NodeError(fmt::format("to_object requires array input, got {}", got));
      Object out;
      for (std::size_t i = 0; i + 1 < a->size(); i += 2) {
        const std::string* key = (*a)[i].if_string();
        if (!key) throw NodeError(fmt::format("to_object requires string keys at index {}", i));
        out.set(*key, (*a)[i + 1]);
      }
      return Value(std::move(out));
    }
    case TransformType::Flatten: {
      const Array* a = array_input(input);  // D18: an object's array key
      if (!a) throw NodeError(fmt::format("flatten requires array input, got {}", got));
      Array out;
      flatten_into(*a, out);
      return Value(std::move(out));  // [] when empty (D3)
    }
    case TransformType::Keys:
    case TransformType::Values: {
      const Object* o = input.if_object();
      const bool keys = *c.type == TransformType::Keys;
      if (!o) {
        throw NodeError(fmt::format("{} transform requires object input, got {}",
                                    keys ? "keys" : "values", got));
      }
      Array out;
      out.reserve(o->size());
      for (const auto* e : sorted_entries(*o)) out.push_back(keys ? Value(e->first) : e->second);
      return Value(std::move(out));
    }
  }
  return Value();
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) { return std::string("transform node requires input"); };
  return t;
}

}  // namespace

extern const KindInfo kTransformKind{
    "transform",
    Category::Data,
    "Reshapes its input: to_array, to_object, flatten, keys or values.",
    R"({"transform_type": "keys"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::vector<std::string> paths;  ///< non-empty; duplicates kept in `paths`
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto paths = r.string_list("paths");
  if (paths && paths->empty()) r.missing("paths");  // must be non-empty (spec 01 §6.1)
  if (!paths && !r.has("paths")) r.missing("paths");
  if (!paths || !r.ok()) return nullptr;
  c->paths = std::move(*paths);
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("split node requires at least one input");
  const Value& input = inputs.front();
  Array paths;
  paths.reserve(c.paths.size());
  Object outputs;
  for (const auto& p : c.paths) {
    paths.emplace_back(p);
    outputs.set(p, input);  // a duplicated name appears once
  }
  return Value(Object{{"value", input},
                      {"paths", Value(std::move(paths))},
                      {"outputs", Value(std::move(outputs))}});
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("split node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kSplitKind{
    "split",
    Category::Flow,
    "Copies its first input under each of the named paths, for fan-out.",
    R"({"paths": ["audit", "notify"]})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes

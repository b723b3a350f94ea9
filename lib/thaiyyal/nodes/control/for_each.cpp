#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

constexpr std::uint64_t kDefaultMaxIterations = 1000;

struct Config final : NodeConfig {
  /// The node's own cap on the input length; <= 0 or absent means the
  /// default, and --max-loop-iterations caps it in turn (D9).
  std::optional<std::int64_t> max_iterations;
  std::uint64_t default_max_iterations = kDefaultMaxIterations;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->max_iterations = r.integer("max_iterations");
  if (!r.ok()) return nullptr;
  return c;
}

/// The node's own cap: its max_iterations when positive, else its default.
std::uint64_t own_limit(const Config& c) {
  return c.max_iterations && *c.max_iterations > 0 ? static_cast<std::uint64_t>(*c.max_iterations)
                                                   : c.default_max_iterations;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "for_each");
  const Array* items = array_input(input);
  if (!items) fail_not_array("for_each", input);
  const std::size_t n = items->size();
  const std::uint64_t limit = ctx.loop_limit(c.max_iterations, c.default_max_iterations);
  if (n > limit) {
    // The input is rejected, not truncated (spec 03-control §3(f)).
    const std::string message = fmt::format("for_each exceeds max iterations: {} > {}", n, limit);
    // Below the node's own cap, --max-loop-iterations decided: a run limit (D9).
    if (limit < own_limit(c)) throw LimitError(message);
    throw NodeError(message);
  }
  return Value(Object{{"input_count", Value(n)},
                      {"iterations", Value(n)},
                      {"successful", Value(n)},
                      {"failed", Value(0)}});
}

}  // namespace

extern const KindInfo kForEachKind{
    "for_each",
    Category::Control,
    "Checks that its array input is within max_iterations and reports the iteration counts.",
    R"({"max_iterations": 500})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes

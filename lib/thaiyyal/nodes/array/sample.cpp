#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

enum class Method : std::uint8_t { Random, First, Last };

constexpr Choice<Method> kMethods[] = {
    {"random", Method::Random},
    {"first", Method::First},
    {"last", Method::Last},
};

constexpr double kDefaultCount = 1;

struct Config final : NodeConfig {
  /// Typed *any* but required: a non-number means 1 (spec 03-control §18).
  /// Truncated when used; <= 0 fails at run time after the non-array check.
  double count = kDefaultCount;
  std::string method_name = "random";  ///< as written, echoed in the output
  /// nullopt: `unknown sample method: <m> ...` at run time, after the
  /// non-array and count checks.
  std::optional<Method> method = Method::Random;
  /// Seeds this node's random picks (an extension: the reference has no
  /// seed); without it the run's generator is used, seeded by --seed.
  std::optional<std::int64_t> seed;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const bool given = r.has("count");
  c->count = number_if_given(r, "count", Presence::Required).value_or(kDefaultCount);
  if (auto method = r.string("method")) {
    c->method = find_choice(*method, kMethods);
    if (!c->method) {
      r.unknown_option(
          "method", *method, choice_names(kMethods),
          ConfigReader::RunEffect::fails(
              fmt::format("unknown sample method: {} (must be 'random', 'first', or 'last')",
                          *method),
              "when its input is an array"));
    }
    c->method_name = std::move(*method);
  }
  c->seed = r.integer("seed");
  if (!given || !r.ok()) return nullptr;
  return c;
}

/// A uniform integer in [0, bound) (bound > 0), by rejection: the same
/// picks on every platform for the same seed.
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return x % bound;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "sample");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const std::int64_t count = truncate_count(c.count);
  if (count <= 0)
    throw NodeError(fmt::format("sample count must be greater than 0, got {}", count));
  if (!c.method) {
    throw NodeError(fmt::format("unknown sample method: {} (must be 'random', 'first', or 'last')",
                                c.method_name));
  }
  const Array& elements = *items;
  const std::size_t n = elements.size();
  const std::size_t m = std::min(static_cast<std::size_t>(count), n);
  using Diff = std::ptrdiff_t;
  Value picked;
  switch (*c.method) {
    case Method::First:
      picked = Value(Array(elements.begin(), elements.begin() + static_cast<Diff>(m)));
      break;
    case Method::Last:
      picked = Value(Array(elements.end() - static_cast<Diff>(m), elements.end()));
      break;
    case Method::Random: {
      if (m == n) {
        picked = Value(items);  // the whole array in its order: deterministic
        break;
      }
      // Partial Fisher-Yates; the picks come in selection order. The node's
      // own seed wins over the run's generator (seeded by --seed).
      std::optional<std::mt19937_64> own;
      if (c.seed) own.emplace(static_cast<std::uint64_t>(*c.seed));
      std::mt19937_64& rng = own ? *own : ctx.random();
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), std::size_t{0});
      Array out;
      out.reserve(m);
      for (std::size_t i = 0; i < m; ++i) {
        poll_cancel(ctx, i);
        const std::size_t j = i + static_cast<std::size_t>(uniform_below(rng, n - i));
        std::swap(order[i], order[j]);
        out.push_back(elements[order[i]]);
      }
      picked = Value(std::move(out));
      break;
    }
  }
  return Value(Object{{"sample", std::move(picked)},
                      {"input_count", Value(n)},
                      {"output_count", Value(m)},
                      {"method", Value(c.method_name)}});
}

}  // namespace

extern const KindInfo kSampleKind{
    "sample",
    Category::Array,
    "Picks count elements of its array input: at random, the first ones or the last ones.",
    R"({"count": 5, "method": "random", "seed": 42})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes

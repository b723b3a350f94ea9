#include <algorithm>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

constexpr double kDefaultSize = 10;

struct Config final : NodeConfig {
  /// Typed *any* but required: a non-number means 10 (spec 03-control §14).
  /// Truncated when used; <= 0 fails at run time after the non-array check.
  double size = kDefaultSize;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const bool given = r.has("size");
  c->size = number_if_given(r, "size", Presence::Required).value_or(kDefaultSize);
  if (!given || !r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "chunk");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const std::int64_t size = truncate_count(c.size);
  if (size <= 0) throw NodeError(fmt::format("chunk size must be greater than 0, got {}", size));
  const Array& elements = *items;
  const auto step = static_cast<std::size_t>(size);
  Array chunks;
  chunks.reserve(elements.size() / step + 1);
  for (std::size_t lo = 0, hi = 0; lo < elements.size(); lo = hi) {
    poll_cancel(ctx, chunks.size());
    hi = lo + std::min(step, elements.size() - lo);  // the last chunk may be shorter
    chunks.emplace_back(Array(elements.begin() + static_cast<std::ptrdiff_t>(lo),
                              elements.begin() + static_cast<std::ptrdiff_t>(hi)));
  }
  const std::size_t count = chunks.size();
  return Value(Object{{"chunks", Value(std::move(chunks))},
                      {"input_count", Value(elements.size())},
                      {"chunk_count", Value(count)},
                      {"chunk_size", Value(size)}});
}

}  // namespace

extern const KindInfo kChunkKind{
    "chunk",
    Category::Array,
    "Splits its array input into consecutive chunks of size elements.",
    R"({"size": 3})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes

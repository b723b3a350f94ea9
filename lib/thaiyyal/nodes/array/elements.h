/// Internal to nodes/: what the array and loop executors share: the first
/// input, the per-element expression environment (02 §2.1), tolerated
/// per-element failures (02 §2.3) and cooperative cancellation (D9).
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/values.h"

namespace thaiyyal::nodes {

/// Elements handled between two ctx.check_cancelled() calls (a power of two).
inline constexpr std::size_t kCancelCheckEvery = 4096;

/// Lets a deadline or a cancellation stop a long loop: checks every
/// kCancelCheckEvery-th element (including element 0, which is cheap).
inline void poll_cancel(RunContext& ctx, std::size_t i) {
  if ((i & (kCancelCheckEvery - 1)) == 0) ctx.check_cancelled();
}

/// The first input; fails with `<kind> node needs at least 1 input` when
/// there is none (spec 03-control §3-§21, (f)).
inline const Value& first_input(std::span<const Value> inputs, std::string_view kind) {
  if (inputs.empty()) throw NodeError(fmt::format("{} node needs at least 1 input", kind));
  return inputs.front();
}

/// A count, index or size given as a number (spec 03-control §0.1):
/// truncated toward zero and clamped to a range where arithmetic on it with
/// array lengths cannot overflow.
inline std::int64_t truncate_count(double d) {
  constexpr double kBound = 4e18;
  const double t = std::trunc(d);
  if (!(t < kBound)) return static_cast<std::int64_t>(kBound);
  if (!(t > -kBound)) return -static_cast<std::int64_t>(kBound);
  return static_cast<std::int64_t>(t);
}

/// The environment of a per-element expression (02 §2.1, §5.1): built once
/// per node execution, then rebound to each element in turn. `input` and
/// `item` are the element, `index` its 0-based position (a number), `items`
/// the whole array; `accumulator` is bound by reduce only. Not copyable: the
/// Env points into the object itself.
class ElementEnv {
 public:
  /// `node_input` is the node's first input (the environment's base binding);
  /// `items` the array being iterated (not copied).
  ElementEnv(RunContext& ctx, const Value& node_input, const ArrayPtr& items)
      : items_(items), env_(ctx.env(&node_input)) {
    env_.items = &items_;
    env_.index = &index_;
  }
  ElementEnv(const ElementEnv&) = delete;
  ElementEnv& operator=(const ElementEnv&) = delete;

  /// Binds `accumulator` (reduce); the pointee is read at each evaluation.
  void bind_accumulator(const Value* acc) { env_.accumulator = acc; }

  /// The environment for element `i`.
  const expr::Env& at(std::size_t i, const Value& element) {
    index_ = Value(static_cast<double>(i));
    env_.input = &element;
    env_.item = &element;
    return env_;
  }

 private:
  Value items_;
  Value index_;
  expr::Env env_;
};

/// Logs one tolerated per-element evaluation failure at warning level (02
/// §2.3, D16); the engine adds the node id.
inline void warn_element(RunContext& ctx, std::size_t index, const std::exception& e) {
  ctx.warn(fmt::format("element {}: {}", index, e.what()));
}

/// For the kinds that fail without an array (for_each, map, reduce): throws
/// `<kind> node requires array input, got <json type>` (D4). The other kinds
/// return not_an_array() (values.h) instead.
[[noreturn]] inline void fail_not_array(std::string_view kind, const Value& input) {
  throw NodeError(
      fmt::format("{} node requires array input, got {}", kind, kind_name(input.kind())));
}

}  // namespace thaiyyal::nodes
